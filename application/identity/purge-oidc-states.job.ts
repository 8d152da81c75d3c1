import { Injectable } from '@nestjs/common';
import type { Schedule } from '../shared/job.js';
import { OidcStates } from './oidc-states.js';

/** Drops OpenID sign-ins that never came back, and spent states, once they have expired. */
@Injectable()
export class PurgeOidcStatesJob implements Schedule {
  readonly name = 'purge-oidc-states';
  readonly cron = '*/10 * * * *';
  readonly queue = 'maintenance' as const;

  constructor(private readonly states: OidcStates) {}

  async run() {
    return { purged: await this.states.purgeExpired() };
  }
}
