import type { ProcessBeat, ProcessComponent } from '../../application/ports/process-registry.port.js';
import type { Projector } from '../../projections/runner/projector.js';
import type { Infrastructure } from './infrastructure.js';
import type { Worker } from './worker.js';

/**
 * This process's heartbeat, saying which components it runs and whether each works: the api's writes
 * (not fail-stopped), the projector's runners (none failed), the worker's workflows (none failed) and
 * its job engine (it can reach the job store).
 * The api's readiness looks for a live, working projector and worker among all heartbeats.
 */
export function startHeartbeat(
  infra: Infrastructure,
  components: ProcessComponent[],
  /** Read at every beat: a component not started yet counts as working (it is starting). */
  parts: { projector?: Pick<Projector, 'health'>; worker?: Worker },
): Promise<void> {
  const health = (): ProcessBeat['health'] => {
    const out: ProcessBeat['health'] = {};
    if (components.includes('projector')) out.projector = { ok: true };
    if (components.includes('worker')) out.worker = { ok: true };
    if (components.includes('api')) {
      const writes = infra.storageHealth.writeHealth();
      out.api = writes.state === 'failed' ? { ok: false, detail: `writes stopped (${writes.code})` } : { ok: true };
    }
    if (parts.projector) {
      const failed = parts.projector
        .health()
        .detail.filter((d) => d.state === 'failed' || d.state === 'stopped')
        .map((d) => d.name);
      out.projector = failed.length === 0 ? { ok: true } : { ok: false, detail: `stopped: ${failed.join(', ')}` };
    }
    if (parts.worker) {
      const status = parts.worker.status();
      const failed = status.workflows
        .filter((w) => w.state === 'failed' || w.state === 'stopped')
        .map((w) => w.checkpoint);
      if (failed.length > 0) out.worker = { ok: false, detail: `stopped: ${failed.join(', ')}` };
      else if (status.jobs.claimError !== null)
        out.worker = { ok: false, detail: `jobs cannot be claimed: ${status.jobs.claimError}` };
      else out.worker = { ok: true };
    }
    return out;
  };
  return infra.processes.start({ components, health });
}
