/**
 * Samples the read models' lag while the mix runs: `GET /v1/projections` as the admin (each projection's
 * `lag: { events, seconds }` behind the log's head), the largest of them per sample. Its requests are
 * the tool's own and do not count in the mix.
 */
import type { Http, Session } from './load.client.js';
import type { LoadStats } from './load.stats.js';

interface ProjectionStatus {
  name: string;
  lag?: { events?: number; seconds?: number };
  pointInTime?: unknown;
}

export async function sampleLag(http: Http, admin: Session, stats: LoadStats): Promise<string | undefined> {
  const res = await http.send({ method: 'GET', path: '/v1/projections', headers: await admin.headers() });
  if (res.status !== 200 || !Array.isArray(res.body)) return `GET /v1/projections answered ${res.status}`;
  const live = (res.body as ProjectionStatus[]).filter((p) => !p.pointInTime && p.lag);
  const byProjection = Object.fromEntries(live.map((p) => [p.name, p.lag?.events ?? 0]));
  stats.lag.push({
    t: Math.round(stats.elapsed() * 10) / 10,
    events: Math.max(0, ...live.map((p) => p.lag?.events ?? 0)),
    seconds: Math.max(0, ...live.map((p) => p.lag?.seconds ?? 0)),
    byProjection,
  });
  return undefined;
}

/** Samples every `intervalMs` until stopped; answers a stop function that resolves after the last sample. */
export function startLagSampler(
  http: Http,
  admin: Session,
  stats: LoadStats,
  intervalMs: number,
  note: (t: string) => void,
): () => Promise<void> {
  let running = true;
  let warned = false;
  const loop = (async () => {
    while (running) {
      const problem = await sampleLag(http, admin, stats);
      if (problem && !warned) {
        warned = true;
        note(`projection lag: ${problem}; no lag samples while that lasts`);
      }
      stats.sampleLoad();
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return async () => {
    running = false;
    await loop;
    await sampleLag(http, admin, stats);
  };
}
