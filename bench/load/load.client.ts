/**
 * The load tool's HTTP: Node's fetch (undici underneath, connections kept alive and pooled per origin),
 * a timeout per request, the answer read whole before the clock stops. Sessions sign in once and
 * refresh their access token before it runs out.
 */
import { randomUUID } from 'node:crypto';

export interface Answer {
  /** 0 when no answer came (refused, reset, timed out). */
  status: number;
  body: Record<string, unknown>;
  /** The problem's `code`, on an error answer. */
  code?: string;
  micros: number;
  retryAfterSeconds?: number;
}

export interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export class Http {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async send({ method, path, body, headers = {} }: Call): Promise<Answer> {
    const all: Record<string, string> = { accept: 'application/json', ...headers };
    if (method === 'POST') {
      all['content-type'] = 'application/json';
      all['idempotency-key'] ??= randomUUID();
    }
    const started = performance.now();
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: all,
        body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.text();
      const micros = (performance.now() - started) * 1000;
      let parsed: Record<string, unknown> = {};
      try {
        parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        parsed = { text };
      }
      const retryAfter = Number(res.headers.get('retry-after'));
      return {
        status: res.status,
        body: parsed,
        code: res.status >= 400 && typeof parsed.code === 'string' ? parsed.code : undefined,
        micros,
        retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      };
    } catch (error) {
      const micros = (performance.now() - started) * 1000;
      return { status: 0, body: { error: (error as Error).message }, code: 'NO_ANSWER', micros };
    }
  }

  /** A setup call: waits out 429s (the server's budgets) and throws on anything but 2xx. */
  async must(call: Call, note: (text: string) => void): Promise<Record<string, unknown>> {
    for (;;) {
      const res = await this.send(call);
      if (res.status >= 200 && res.status < 300) return res.body;
      if (res.status === 429) {
        const wait = res.retryAfterSeconds ?? 5;
        note(
          `${call.method} ${call.path.split('?')[0]} is rate limited: waiting ${wait} s (see the README for the server's budgets)`,
        );
        await new Promise((r) => setTimeout(r, wait * 1000));
        continue;
      }
      throw new Error(`${call.method} ${call.path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  }
}

/**
 * A signed-in user: its bearer header, refreshed between four and two minutes before the access token
 * expires (spread out: refreshes are rate limited per address, `RATE_LIMIT_REFRESH`); a refused
 * refresh is tried again after its `Retry-After`.
 */
export class Session {
  private accessToken = '';
  private refreshToken = '';
  private refreshAt = 0;

  private constructor(private readonly http: Http) {}

  static async signIn(http: Http, email: string, password: string, note: (t: string) => void): Promise<Session> {
    const session = new Session(http);
    session.take(await http.must({ method: 'POST', path: '/v1/auth/login', body: { email, password } }, note));
    return session;
  }

  private take(tokens: Record<string, unknown>): void {
    this.accessToken = tokens.accessToken as string;
    this.refreshToken = tokens.refreshToken as string;
    const ttlMs = Number(tokens.expiresIn ?? 900) * 1000;
    const early = Math.min(ttlMs / 2, 120_000 + Math.random() * 120_000);
    this.refreshAt = Date.now() + ttlMs - early;
  }

  async headers(): Promise<Record<string, string>> {
    if (Date.now() > this.refreshAt) {
      const res = await this.http.send({
        method: 'POST',
        path: '/v1/auth/refresh',
        body: { refreshToken: this.refreshToken },
      });
      if (res.status === 200) this.take(res.body);
      else this.refreshAt = Date.now() + (res.retryAfterSeconds ?? 5) * 1000;
    }
    return { authorization: `Bearer ${this.accessToken}` };
  }
}
