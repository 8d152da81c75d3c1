import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Clock } from '../../application/ports/clock.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import type {
  ProcessBeat,
  ProcessComponent,
  ProcessRef,
  ProcessRegistry,
} from '../../application/ports/process-registry.port.js';
import type { Doc, ReadStore } from '../../application/ports/read-store.port.js';

export const PROCESSES_COLLECTION = 'sys_processes';

type BeatDoc = Doc & ProcessBeat;

export interface HeartbeatOptions {
  components: ProcessComponent[];
  /** Each component's own check, asked at every beat. */
  health: () => ProcessBeat['health'];
  everyMs?: number;
}

/** Heartbeats in the read store (`sys_processes`), one document per process start. */
export class ReadStoreProcessRegistry implements ProcessRegistry {
  readonly self: ProcessRef = { id: randomUUID(), host: os.hostname(), pid: process.pid };
  readonly staleAfterMs: number;
  private timer: NodeJS.Timeout | null = null;
  private doc: BeatDoc | null = null;
  private beat: () => Promise<void> = async () => undefined;

  constructor(
    private readonly store: ReadStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: { staleAfterMs?: number } = {},
  ) {
    this.staleAfterMs = options.staleAfterMs ?? 15_000;
  }

  private get beatsOf() {
    return this.store.collection<BeatDoc>(PROCESSES_COLLECTION);
  }

  /** Writes the first heartbeat now, then one every `everyMs` (5 s) until stop(). */
  async start(options: HeartbeatOptions): Promise<void> {
    await this.store.ensureCollection({ name: PROCESSES_COLLECTION, indexes: [{ fields: { heartbeatAt: -1 } }] });
    const now = this.clock.now().toISOString();
    this.doc = {
      _id: this.self.id,
      ...this.self,
      components: options.components,
      startedAt: now,
      heartbeatAt: now,
      health: {},
    };
    const beat = async () => {
      if (!this.doc) return;
      this.doc = { ...this.doc, heartbeatAt: this.clock.now().toISOString(), health: options.health() };
      await this.beatsOf.put(this.doc);
    };
    this.beat = beat;
    await beat();
    this.timer = setInterval(() => {
      beat().catch((error: Error) => this.logger.warn('heartbeat not written', { error: error.message }));
    }, options.everyMs ?? 5000);
    this.timer.unref();
  }

  /** One heartbeat now, besides the timer's (a component that just changed, a test). */
  beatNow(): Promise<void> {
    return this.beat();
  }

  /** A clean stop says so, so nobody waits for this process's heartbeat to go stale. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (!this.doc) return;
    const doc = { ...this.doc, stoppedAt: this.clock.now().toISOString() };
    this.doc = null;
    await this.beatsOf.put(doc).catch(() => undefined);
  }

  async isAlive(ref: ProcessRef): Promise<boolean> {
    if (ref.id === this.self.id) return true;
    if (ref.host === this.self.host) {
      // The same machine can tell at once: a pid that is gone, or is this very process again (a container's restart).
      if (ref.pid === this.self.pid || !pidRuns(ref.pid)) return false;
    }
    const beat = await this.beatsOf.findById(ref.id);
    if (!beat) return ref.host === this.self.host; // a running pid on this host that has not beaten yet
    return !beat.stoppedAt && this.fresh(beat);
  }

  async beats(): Promise<ProcessBeat[]> {
    const since = new Date(this.clock.now().getTime() - this.staleAfterMs).toISOString();
    const docs = await this.beatsOf.find({ heartbeatAt: { $gte: since } }, { sort: { heartbeatAt: -1 }, limit: 100 });
    return docs.filter((d) => !d.stoppedAt).map(({ _id, ...beat }) => beat as ProcessBeat);
  }

  private fresh(beat: ProcessBeat): boolean {
    return this.clock.now().getTime() - Date.parse(beat.heartbeatAt) <= this.staleAfterMs;
  }
}

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
