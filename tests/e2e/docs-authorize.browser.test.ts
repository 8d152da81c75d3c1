/**
 * /docs in a real browser (Debian's chromium, driven by playwright-core, which downloads no browser of
 * its own): Swagger UI loads under its CSP, the Authorize dialog offers the bearer and X-API-Key
 * schemes, and "Try it out" on GET /v1/auth/me answers 401 before Authorize and 200, with the
 * user's email, after the accessToken of a real login is pasted into the bearer field.
 */
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Headless, and no background traffic to the outside (the machine has no network to give it).
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let t: TestApp;
let browser: Browser;
let base: string;
let accessToken: string;

beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  const account = { email: 'docs.reader@example.com', password: 'violet-harbour-lantern-2031', name: 'Docs Reader' };
  const registered = await t.app.inject({ method: 'POST', url: '/v1/auth/register', payload: account });
  expect(registered.statusCode).toBe(201);
  const login = await t.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email: account.email, password: account.password },
  });
  accessToken = login.json().accessToken;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

it('authorizes with a bearer token and sends it on "Try it out"', async () => {
  const page = await browser.newPage();
  const blocked: string[] = [];
  page.on('console', (message) => {
    // Swagger UI applies one inline style that style-src 'self' blocks (cosmetic); no script may be blocked
    if (/Content Security Policy/i.test(message.text()) && !/inline style/i.test(message.text()))
      blocked.push(message.text());
  });
  await page.goto(`${base}/docs`);
  const me = page.locator('#operations-identity-getAuthMe');
  await me.locator('.opblock-summary').click();
  await me.locator('.try-out__btn').click();
  const answered = (status: string) =>
    me.locator('.live-responses-table .response-col_status', { hasText: status }).first().waitFor({ timeout: 20_000 });

  await me.locator('button.execute').click();
  await answered('401'); // not authorized yet
  await me.locator('button.btn-clear').click();

  await page.locator('.auth-wrapper button.authorize').click();
  const dialog = page.locator('.modal-ux');
  // one section per scheme: bearer (Authorization) and apiKey (X-API-Key)
  expect(await dialog.locator('.auth-container').allTextContents()).toEqual([
    expect.stringContaining('bearer'),
    expect.stringContaining('X-API-Key'),
  ]);
  const bearer = dialog.locator('.auth-container').first();
  await bearer.locator('input').fill(accessToken);
  await bearer.locator('button.authorize').click();
  await bearer.locator('button.btn-done').click();

  await me.locator('button.execute').click();
  await answered('200');
  expect(await me.locator('.live-responses-table').first().textContent()).toContain('docs.reader@example.com');
  expect(blocked).toEqual([]);
  await page.close();
}, 90_000);
