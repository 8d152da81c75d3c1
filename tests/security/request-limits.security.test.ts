/** Request limits at the socket: a slow body is cut off with 408, slow headers too, and connections are capped. */
import net from 'node:net';
import { startTestApp, type TestApp } from '../support/test-app.js';

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await startTestApp({ REQUEST_TIMEOUT_MS: '1500', HEADERS_TIMEOUT_MS: '1000', MAX_CONNECTIONS: '3' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.getHttpServer().address() as net.AddressInfo).port;
});
afterAll(() => t.close());

/** Opens a socket, writes `first`, then answers what the server sent and when it closed. */
function raw(first: string, dribble?: { byte: string; everyMs: number }) {
  return new Promise<{ text: string; ms: number }>((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(first);
      if (dribble) timer = setInterval(() => socket.write(dribble.byte), dribble.everyMs);
    });
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ text, ms: Date.now() - started });
    });
    setTimeout(
      () => reject(new Error(`the server never closed the connection; got ${JSON.stringify(text)}`)),
      10_000,
    ).unref();
  });
}

describe('request limits', () => {
  it('cut a body that dribbles in (1 byte every 400 ms) off with a 408 after the request timeout', async () => {
    const head = `POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
    const { text, ms } = await raw(head, { byte: ' ', everyMs: 400 });
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(5000);
  });

  it('cut headers that never end off too', async () => {
    const { text, ms } = await raw('GET /health/live HTTP/1.1\r\nHost: x\r\n', { byte: 'X', everyMs: 300 });
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeLessThan(5000);
  });

  it('cap the connections the api holds open at once', async () => {
    const sockets = await Promise.all(
      Array.from(
        { length: 3 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const s = net.connect(port, '127.0.0.1', () => resolve(s));
          }),
      ),
    );
    try {
      await new Promise((r) => setTimeout(r, 100));
      const refused = await raw('GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n');
      expect(refused.text).toBe(''); // closed at once, nothing answered
    } finally {
      for (const s of sockets) s.destroy();
    }
    await new Promise((r) => setTimeout(r, 100));
    const served = await raw('GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(served.text).toMatch(/^HTTP\/1\.1 200 /);
  });
});
