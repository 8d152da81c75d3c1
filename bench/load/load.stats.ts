/**
 * What the load run measured: an HDR histogram of latencies (microseconds, 3 significant digits) per
 * route and for the whole run, per-second buckets for the timeline, outcomes by status and problem
 * `code`, and the projections' lag samples.
 *
 * Outcomes: 2xx `ok`; 409 `conflict`, a business answer the mix expects (units sold out, a deposit
 * not yet covered); 429 `rateLimited` (the server's budgets, not a failure of the server); any other
 * 4xx `clientError` and 5xx `serverError`, and no answer at all (`network`): those are failures.
 */
import os from 'node:os';
import { build, type Histogram } from 'hdr-histogram-js';

export type Task = 'browse' | 'availability' | 'order' | 'pay' | 'lifecycle';
export type Outcome = 'ok' | 'conflict' | 'rateLimited' | 'clientError' | 'serverError' | 'network';

/** The planned mix: the share of tasks each virtual user picks. */
export const MIX: Record<Task, number> = { browse: 0.6, availability: 0.15, order: 0.1, pay: 0.05, lifecycle: 0.1 };

const OUTCOMES: Outcome[] = ['ok', 'conflict', 'rateLimited', 'clientError', 'serverError', 'network'];
const newHistogram = (): Histogram =>
  build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
const ms = (micros: number): number => Math.round(micros) / 1000;

export function outcomeOf(status: number): Outcome {
  if (status === 0) return 'network';
  if (status < 400) return 'ok';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rateLimited';
  return status < 500 ? 'clientError' : 'serverError';
}

const isFailure = (o: Outcome) => o === 'clientError' || o === 'serverError' || o === 'network';

interface RouteStats {
  task: Task;
  histogram: Histogram;
  outcomes: Record<Outcome, number>;
}

interface Second {
  requests: number;
  failures: number;
  conflicts: number;
  histogram: Histogram;
}

export interface LagSample {
  /** Seconds since the run began. */
  t: number;
  /** The largest lag of any projection, in events and seconds. */
  events: number;
  seconds: number;
  byProjection: Record<string, number>;
}

export class LoadStats {
  readonly startedAt = Date.now();
  private readonly t0 = performance.now();
  private readonly all = newHistogram();
  private readonly routes = new Map<string, RouteStats>();
  private readonly seconds: Second[] = [];
  private readonly problems = new Map<string, { route: string; status: number; code: string; count: number }>();
  private readonly loadSamples: Array<{ t: number; load1: number }> = [];
  readonly lag: LagSample[] = [];
  private failures = 0;
  private conflicts = 0;
  private rateLimited = 0;

  /** Seconds since the run began. */
  elapsed(): number {
    return (performance.now() - this.t0) / 1000;
  }

  record(task: Task, route: string, status: number, micros: number, code?: string): void {
    const outcome = outcomeOf(status);
    const value = Math.max(1, Math.round(micros));
    let stats = this.routes.get(route);
    if (!stats) {
      stats = { task, histogram: newHistogram(), outcomes: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as never };
      this.routes.set(route, stats);
    }
    stats.histogram.recordValue(value);
    stats.outcomes[outcome]++;
    this.all.recordValue(value);
    const index = Math.floor(this.elapsed());
    for (let i = this.seconds.length; i <= index; i++)
      this.seconds.push({ requests: 0, failures: 0, conflicts: 0, histogram: newHistogram() });
    const second = this.seconds[index];
    second.requests++;
    second.histogram.recordValue(value);
    if (isFailure(outcome)) {
      this.failures++;
      second.failures++;
    }
    if (outcome === 'conflict') {
      this.conflicts++;
      second.conflicts++;
    }
    if (outcome === 'rateLimited') this.rateLimited++;
    if (outcome !== 'ok') {
      const key = `${route}\t${status}\t${code ?? ''}`;
      const seen = this.problems.get(key) ?? {
        route,
        status,
        code: code ?? (status === 0 ? 'NO_ANSWER' : ''),
        count: 0,
      };
      seen.count++;
      this.problems.set(key, seen);
    }
  }

  sampleLoad(): void {
    this.loadSamples.push({ t: Math.round(this.elapsed() * 10) / 10, load1: os.loadavg()[0] });
  }

  /** The live figures for the progress line. */
  live(): { requests: number; rps: number; failures: number; conflicts: number; rateLimited: number; p95: number } {
    const recent = this.seconds.slice(-6, -1);
    const rps = recent.length > 0 ? recent.reduce((n, s) => n + s.requests, 0) / recent.length : 0;
    return {
      requests: this.all.totalCount,
      rps,
      failures: this.failures,
      conflicts: this.conflicts,
      rateLimited: this.rateLimited,
      p95: ms(this.all.getValueAtPercentile(95)),
    };
  }

  summary(measuredSeconds: number) {
    const total = this.all.totalCount;
    const latency = (h: Histogram) => ({
      p50: ms(h.getValueAtPercentile(50)),
      p95: ms(h.getValueAtPercentile(95)),
      p99: ms(h.getValueAtPercentile(99)),
      max: ms(h.getValueAtPercentile(100)),
      mean: ms(h.mean),
    });
    const outcomes = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
    const tasks = Object.fromEntries(
      Object.entries(MIX).map(([task, planned]) => [task, { planned, requests: 0, share: 0 }]),
    ) as Record<Task, { planned: number; requests: number; share: number }>;
    const routes: Record<string, unknown> = {};
    for (const [route, stats] of [...this.routes].sort(([a], [b]) => a.localeCompare(b))) {
      const requests = stats.histogram.totalCount;
      for (const o of OUTCOMES) outcomes[o] += stats.outcomes[o];
      tasks[stats.task].requests += requests;
      routes[route] = { task: stats.task, requests, ...stats.outcomes, latencyMs: latency(stats.histogram) };
    }
    for (const t of Object.values(tasks)) t.share = total > 0 ? Math.round((t.requests / total) * 1000) / 1000 : 0;
    const lagEvents = this.lag.map((s) => s.events);
    const lagSeconds = this.lag.map((s) => s.seconds);
    return {
      requests: total,
      durationSeconds: Math.round(measuredSeconds * 10) / 10,
      throughput: Math.round((total / measuredSeconds) * 10) / 10,
      outcomes,
      failures: outcomes.clientError + outcomes.serverError + outcomes.network,
      latencyMs: latency(this.all),
      tasks,
      routes,
      errors: [...this.problems.values()].sort((a, b) => b.count - a.count),
      // Whole seconds only: the last one, partly after the deadline, would show a false drop.
      timeline: this.seconds.slice(0, Math.max(1, Math.floor(measuredSeconds))).map((s, t) => ({
        t,
        requests: s.requests,
        failures: s.failures,
        conflicts: s.conflicts,
        p95Ms: ms(s.histogram.getValueAtPercentile(95)),
      })),
      projectionLag: {
        samples: this.lag,
        maxEvents: lagEvents.length > 0 ? Math.max(...lagEvents) : null,
        maxSeconds: lagSeconds.length > 0 ? Math.max(...lagSeconds) : null,
      },
      loadAverage: { samples: this.loadSamples, end: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    };
  }
}

export type LoadSummary = ReturnType<LoadStats['summary']>;
