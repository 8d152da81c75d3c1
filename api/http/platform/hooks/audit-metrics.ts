import { Gauge, type Registry } from 'prom-client';
import { AUDIT_STATE, LAST_VERIFICATION, type LastVerificationDoc } from '../../../../application/audit/audit.view.js';
import type { ReadStore } from '../../../../application/ports/read-store.port.js';

/**
 * The last verification of the hash chains (the worker's, an auditor's, or the CLI's), as kept beside
 * the read models: `rentlog_audit_verify_ok` 1 or 0, the position it verified up to, when, and how
 * many events it checked. `scope` is `full` (from position 0, checkpoints' Merkle roots included) or
 * `partial` (from a later position). No series before the first verification: an alert on
 * `rentlog_audit_verify_ok == 0` stays silent until something was verified.
 */
export function auditMetrics(registry: Registry, store: ReadStore): void {
  // One read a scrape: the registry starts every gauge's collect at once, so they share the read in
  // flight; it is forgotten as soon as it answers (a timer could outlive the scrape and serve the next).
  let pending: Promise<LastVerificationDoc | null> | null = null;
  const last = () => {
    pending ??= read(store).finally(() => (pending = null));
    return pending;
  };
  const gauge = (name: string, help: string, value: (v: LastVerificationDoc) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['scope'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        const verification = await last();
        const v = verification && value(verification);
        if (verification && v !== null && v !== undefined) this.set({ scope: scopeOf(verification) }, v);
      },
    });
  gauge(
    'rentlog_audit_verify_ok',
    'Whether the last verification of the hash chains found them whole (1) or not (0)',
    (v) => (v.ok ? 1 : 0),
  );
  gauge('rentlog_audit_verify_position', 'The last position the last verification checked', (v) =>
    v.head ? Number(v.head.position) : 0,
  );
  gauge('rentlog_audit_verify_timestamp_seconds', 'When the last verification ran (unix seconds)', (v) => {
    const at = Date.parse(v.verifiedAt);
    return Number.isNaN(at) ? null : at / 1000;
  });
  gauge('rentlog_audit_verify_checked_events', 'Events the last verification checked', (v) => v.checkedEvents);
}

const scopeOf = (v: LastVerificationDoc): string => (v.fromPosition === '0' ? 'full' : 'partial');

async function read(store: ReadStore): Promise<LastVerificationDoc | null> {
  try {
    return (await store.collection(AUDIT_STATE).findById(LAST_VERIFICATION)) as LastVerificationDoc | null;
  } catch {
    return null; // not verified yet: the collection is made by the first verification
  }
}
