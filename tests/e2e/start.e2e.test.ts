/**
 * End to end: start Rentlog the way the README does (`npm start`), talk HTTP to it, stop it with a
 * signal, start it again on the same data, and use the projections CLI on that data.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { PROJECT_ROOT } from '../support/run-node-script.js';



const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  return env;
}

interface Started {
  child: ChildProcess;
  url: string;
  pid: number;
  output: () => string;
  exited: Promise<number | null>;
}

async function npmStart(dataDir: string, port: number): Promise<Started> {
  const child = spawn('npm', ['start'], { cwd: PROJECT_ROOT, env: childEnv({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', JWT_SECRET: E2E_SECRET }), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (!/listening on/.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const line = output.split('\n').find((l) => l.includes('listening on'))!;
  const { url, docs, pid } = JSON.parse(line) as { url: string; docs: string; pid: number };
  expect(url).toBe(`http://127.0.0.1:${port}`);
  expect(docs).toBe(`${url}/docs`);
  return { child, url, pid, output: () => output, exited };
}

async function stop(started: Started): Promise<number | null> {
  // Signal Rentlog's own process (npm would die of the signal and orphan it); npm then exits with its code.
  process.kill(started.pid, 'SIGTERM');
  return started.exited;
}

const E2E_SECRET = 'e2e-secret-e2e-secret-e2e-secret-e2e';
const staffToken = jwt.sign({ roles: ['staff'] }, E2E_SECRET, { algorithm: 'HS256', issuer: 'rentlog', audience: 'rentlog-api', subject: 'e2e-staff', expiresIn: 600 });
const json = { 'content-type': 'application/json', authorization: `Bearer ${staffToken}` };

describe('npm start, end to end', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rentlog-e2e-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves the catalog over HTTP, survives a restart, and rebuilds from the CLI', async () => {
    const port = await freePort();
    let app = await npmStart(dataDir, port);
    try {
      const ready = await fetch(`${app.url}/health/ready`);
      expect(ready.status).toBe(200);
      const created = await fetch(`${app.url}/v1/products`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ sku: 'E2E-1', name: 'Party tent', category: 'events', dailyRate: { amount: 9900, currency: 'EUR' }, deposit: { amount: 20000, currency: 'EUR' }, stock: 2 }),
      });
      expect(created.status).toBe(201);
      const { productId, position } = (await created.json()) as { productId: string; position: string };
      const read = await fetch(`${app.url}/v1/products/${productId}`, { headers: { 'x-min-position': position } });
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ productId, name: 'Party tent', stock: 2 });
      expect((await fetch(`${app.url}/docs/`)).status).toBe(200);
      const lines = app.output().split('\n').filter((l) => l.startsWith('{'));
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    } finally {
      expect(await stop(app)).toBe(0);
    }

    app = await npmStart(dataDir, port);
    let productId: string;
    try {
      const list = await fetch(`${app.url}/v1/products?q=tent`);
      const body = (await list.json()) as { items: Array<{ productId: string; sku: string }> };
      expect(body.items.map((p) => p.sku)).toEqual(['E2E-1']);
      productId = body.items[0].productId;
    } finally {
      expect(await stop(app)).toBe(0);
    }

    const env = childEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'error' });
    const rebuild = spawnSync('node', ['dist/bin/rentlog.js', 'projections', 'rebuild', 'products'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
    expect(rebuild.status).toBe(0);
    expect(rebuild.stdout).toMatch(/rebuilt products in/);
    const status = spawnSync('node', ['dist/bin/rentlog.js', 'projections', 'status'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/^products\t1\t\d+\t0\t/m);

    app = await npmStart(dataDir, port);
    try {
      expect((await fetch(`${app.url}/v1/products/${productId}`)).status).toBe(200);
    } finally {
      expect(await stop(app)).toBe(0);
    }
  }, 120_000);

  it('refuses a wrong setting with one line naming the variable', () => {
    const result = spawnSync('node', ['dist/bin/rentlog.js', 'start'], { cwd: PROJECT_ROOT, env: childEnv({ PORT: 'abc', DATA_DIR: dataDir }), encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: PORT="abc" must be integer/)]);
  });
});
