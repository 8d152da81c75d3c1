import type { Logger } from '../../application/ports/logger.port.js';
import { IDEMPOTENCY_COLLECTION, type IdempotencyRecord } from '../../application/shared/idempotency.js';
import type { Infrastructure } from './infrastructure.js';

/**
 * At an api's start: every `pending` Idempotency-Key record whose process is gone (killed, crashed)
 * becomes `unknown`, so no key stays pending after a restart. The next request with such a key
 * settles it by its event ids (the first answer rebuilt when its events are in the log, the command
 * run when they are not); a repeat is never refused as in progress for a dead process.
 */
export async function settleIdempotencyRecords(infra: Infrastructure, logger: Logger): Promise<number> {
  await infra.store.ensureCollection({ name: IDEMPOTENCY_COLLECTION });
  const records = infra.store.collection<IdempotencyRecord>(IDEMPOTENCY_COLLECTION);
  let settled = 0;
  for (const record of await records.find({ state: 'pending' })) {
    if (record.owner && (await infra.processes.isAlive(record.owner))) continue;
    const { owner: _o, leaseUntil: _l, ...rest } = record;
    await records.put({ ...rest, state: 'unknown' });
    settled++;
  }
  if (settled > 0)
    logger.info('idempotency keys left pending by a stopped process are now outcome-unknown', { settled });
  return settled;
}
