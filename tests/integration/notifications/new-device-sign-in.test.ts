/**
 * "Sign-in from a new device" (issue 10) when the worker and the `access` read model are not in step:
 * the notice is decided from the user's own `SessionStarted` events in the log's order (their device
 * keys), so a fast second sign-in from a new device is told once, on the first of them: neither
 * missed when the worker runs behind (the read model already shows the later sessions), nor doubled
 * when the read model runs behind (it does not show the earlier one yet).
 */
import type { WorkflowRunner } from '../../../projections/runner/workflow-runner.js';
import { sleep } from '../../support/eventually.js';
import { outbox } from '../../support/outbox.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
let notifications: WorkflowRunner<{ type: string; data: unknown }, unknown>;
beforeAll(async () => {
  t = await startTestApp({ READ_WAIT_TIMEOUT_MS: '200' });
  notifications = t.worker.workflows.find((r) => r.checkpoint === 'workflow:notifications')!;
  expect(notifications).toBeDefined();
});
afterAll(() => t?.close());

const password = 'orchid-lantern-harbour-19';

async function registered(): Promise<string> {
  const email = `device.${Math.random().toString(36).slice(2, 10)}@example.com`;
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/auth/register',
    payload: { email, password, name: 'Dana Device' },
  });
  expect(res.statusCode).toBe(201);
  return email;
}

const signIn = async (email: string, userAgent: string) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password },
    headers: { 'user-agent': userAgent },
  });
  expect(res.statusCode).toBe(200);
};

/** Lets the notifications workflow reach the log's head, then the worker send what it queued. */
async function settled() {
  const head = await t.infra.events.headPosition();
  const until = Date.now() + 15_000;
  while ((notifications.position ?? -1n) < head) {
    if (Date.now() > until) throw new Error('the notifications workflow did not catch up');
    await sleep(20);
  }
  await t.worker.jobs.drain();
}

const newDeviceMails = async (email: string) =>
  (await outbox(t)).filter((m) => m.to === email && m.template === 'new-device-sign-in');

it('tells once when the worker is behind: the read model shows the later sign-ins already', async () => {
  const email = await registered();
  await signIn(email, 'Firefox/140');
  await settled();
  expect(await newDeviceMails(email)).toEqual([]); // the first sign-in ever

  await notifications.stop();
  await signIn(email, 'Safari/18');
  await signIn(email, 'Safari/18');
  await signIn(email, 'Firefox/140');
  void notifications.start();
  await settled();
  const mails = await newDeviceMails(email);
  expect(mails).toHaveLength(1);
  expect(mails[0].subject).toMatch(/sign-in|device/i);
});

it('tells once when the access read model is behind: it does not show the first of them yet', async () => {
  const email = await registered();
  await signIn(email, 'Firefox/140');
  await settled();

  const access = t.projector.runner('access')!;
  await access.stop();
  try {
    await signIn(email, 'Chrome/131');
    await signIn(email, 'Chrome/131');
    await settled();
  } finally {
    void access.start();
  }
  expect(await newDeviceMails(email)).toHaveLength(1);
  // Once the read model caught up, a sign-in from a device seen before is told of no more.
  await signIn(email, 'Chrome/131');
  await settled();
  expect(await newDeviceMails(email)).toHaveLength(1);
});
