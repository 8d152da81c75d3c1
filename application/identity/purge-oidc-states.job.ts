import { Injectable } from '@nestjs/common';
import type { Job } from '../shared/job.js';
import { OidcStates } from './oidc-states.js';

/** Drops OpenID sign-ins that never came back, and spent states, once they have expired. */
@Injectable()
export class PurgeOidcStatesJob implements Job {
  readonly name = 'purge-oidc-states';
  readonly everyMs = 10 * 60_000;

  constructor(private readonly states: OidcStates) {}

  async run() {
    return { purged: await this.states.purgeExpired() };
  }
}
