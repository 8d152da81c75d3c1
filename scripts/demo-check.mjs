#!/usr/bin/env node
/**
 * Checks a running Rentlog that `rentlog seed` filled (the compose job of the CI workflow, and the
 * seed's end-to-end test here): ready, the demo people sign in, and the orders show every state.
 *   node scripts/demo-check.mjs http://127.0.0.1:3000
 * Waits up to 120 s (containers starting, projections catching up); exits 1 with what it saw.
 */
const base = (process.argv[2] ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const STATES = ['cancelled', 'closed', 'confirmed', 'expired', 'picked_up', 'reserved', 'returned'];
const deadline = Date.now() + Number(process.env.DEMO_CHECK_TIMEOUT_MS ?? 120_000);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, probe) {
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last.ok) return last.value;
    } catch (error) {
      last = { seen: String(error?.message ?? error) };
    }
    if (Date.now() > deadline) {
      process.stderr.write(`demo-check: ${what} not reached; last seen: ${JSON.stringify(last.seen)}\n`);
      process.exit(1);
    }
    await sleep(1000);
  }
}

await until('GET /health/ready 200', async () => {
  const res = await fetch(`${base}/health/ready`);
  return { ok: res.status === 200, seen: await res.text() };
});
const login = async (email) => {
  const res = await fetch(`${base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'demo-password-123' }),
  });
  const body = await res.json();
  return { ok: res.status === 200, value: body.accessToken, seen: body };
};
await until('ada@example.com signs in', () => login('ada@example.com'));
const staff = await until('staff@example.com signs in', () => login('staff@example.com'));
const states = await until(`orders in every state (${STATES.join(', ')})`, async () => {
  const res = await fetch(`${base}/v1/orders?limit=100`, { headers: { authorization: `Bearer ${staff}` } });
  const body = await res.json();
  const seen = [...new Set((body.items ?? []).map((o) => o.status))].sort();
  return { ok: STATES.every((s) => seen.includes(s)), value: seen, seen };
});
process.stdout.write(`demo-check: ready; the demo people sign in; orders ${states.join(', ')}\n`);
