/**
 * A small load balancer for tests, in the manner of nginx's upstream module: round robin over the
 * backends whose `GET /health/ready` answered 200 at the last poll, and, like `proxy_next_upstream
 * error`, a request that meets a connection error (refused, reset before an answer) is passed to the
 * next backend when it is safe to repeat: a GET, HEAD, PUT or DELETE, or a request with an
 * `Idempotency-Key` (Rentlog answers a repeat with the first answer). Everything it saw is counted.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Backend {
  url: string;
  ready: boolean;
  /** Each readiness answer that differs from the one before: 200, 503, or the connection error's code. */
  transitions: string[];
}

export interface ProxyStats {
  forwarded: number;
  /** Requests passed to another backend after a connection error. */
  retried: number;
  /** Connection errors by code. */
  errors: Record<string, number>;
}

export interface RoundRobinProxy {
  url: string;
  backends: Backend[];
  stats: ProxyStats;
  close(): Promise<void>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

export async function startRoundRobinProxy(
  backendUrls: string[],
  options: { pollMs?: number; giveUpMs?: number } = {},
): Promise<RoundRobinProxy> {
  const pollMs = options.pollMs ?? 100;
  const giveUpMs = options.giveUpMs ?? 15_000;
  const backends: Backend[] = backendUrls.map((url) => ({ url, ready: false, transitions: [] }));
  const stats: ProxyStats = { forwarded: 0, retried: 0, errors: {} };
  // Keep-alive connections to the backends, as nginx's `keepalive` does: a drain must cope with them.
  // Idle connections are let go after 4 s, before the api's KEEP_ALIVE_TIMEOUT_MS (nginx's keepalive_timeout 4s).
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16, timeout: 4000 });
  let next = 0;

  const note = (backend: Backend, seen: string) => {
    if (backend.transitions.at(-1) !== seen) backend.transitions.push(seen);
    backend.ready = seen === '200';
  };
  const poll = async (backend: Backend) => {
    try {
      const res = await fetch(`${backend.url}/health/ready`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      note(backend, String(res.status));
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      note(backend, cause?.code ?? (error as Error).name);
    }
  };
  let polling = true;
  const poller = (async () => {
    while (polling) {
      await Promise.all(backends.map(poll));
      await new Promise((r) => setTimeout(r, pollMs));
    }
  })();

  const pick = (): Backend | undefined => {
    for (let i = 0; i < backends.length; i += 1) {
      const backend = backends[(next + i) % backends.length];
      if (backend.ready) {
        next = (next + i + 1) % backends.length;
        return backend;
      }
    }
    return undefined;
  };

  const forward = (backend: Backend, req: http.IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const target = new URL(req.url ?? '/', backend.url);
      const headers = { ...req.headers, host: target.host, connection: 'keep-alive' };
      const out = http.request(target, { method: req.method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const repeatable = SAFE_METHODS.has(req.method ?? 'GET') || req.headers['idempotency-key'] !== undefined;
      const deadline = Date.now() + giveUpMs;
      for (let attempt = 0; Date.now() < deadline; attempt += 1) {
        const backend = pick();
        if (!backend) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        try {
          const answer = await forward(backend, req, body);
          stats.forwarded += 1;
          const { connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, ...headers } = answer.headers;
          res.writeHead(answer.status, headers).end(answer.body);
          return;
        } catch (error) {
          const code = (error as { code?: string }).code ?? (error as Error).message;
          stats.errors[code] = (stats.errors[code] ?? 0) + 1;
          // Out of rotation until its readiness answers 200 again.
          backend.ready = false;
          if (!repeatable) break;
          stats.retried += 1;
        }
      }
      res.writeHead(502, { 'content-type': 'text/plain' }).end('no backend answered');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    backends,
    stats,
    close: async () => {
      polling = false;
      await poller;
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}
