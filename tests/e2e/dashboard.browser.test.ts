import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { eur } from '../support/fixtures.js';
import { PROJECT_ROOT } from '../support/run-node-script.js';
import { shop } from '../support/shop.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The /dashboard page in a real browser: Debian's Chromium, headless, driven by playwright-core. It
 * signs in as a staff member, and the figures it shows must be the API's; the charts are drawn with
 * the page's strict CSP (no violation reported), nothing is loaded from anywhere but Rentlog, and a
 * screenshot is kept in test-output/. `.ci/run` installs Chromium (`apt-get install chromium`).
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = path.join(PROJECT_ROOT, 'test-output', 'dashboard');
const PASSWORD = 'dashboard-staff-password-42';

let t: TestApp;
let base: string;
let browser: Browser;
beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (as .ci/run does), or set CHROMIUM_PATH`);
  t = await startTestApp({ PUBLIC_URL: 'http://127.0.0.1:9' });
  const s = shop(t);
  // A shop with something to show: two products, a rental picked up and paid, one reserved order.
  const tent = await s.product({ name: 'Party tent', dailyRate: eur(1000), deposit: eur(0), stock: 2 });
  await s.product({ name: 'Hammer drill', category: 'tools', dailyRate: eur(1500), deposit: eur(0), stock: 3 });
  const customer = await s.customer();
  const today = new Date().toISOString().slice(0, 10);
  const order = (
    await s.post('/v1/orders', {
      customerId: customer,
      rentalStart: today,
      rentalEnd: today,
      items: [{ productId: tent, quantity: 1 }],
    })
  ).json();
  const payment = (
    await s.post(`/v1/orders/${order.orderId}/payments`, {
      amount: order.total,
      purpose: 'rental',
      paymentMethod: 'pm_card_ok',
    })
  ).json();
  await s.post(`/v1/orders/${order.orderId}/confirm`, {});
  await s.post(`/v1/payments/${payment.paymentId}/capture`, {});
  await s.post(`/v1/orders/${order.orderId}/pickup`, {});
  await s.post('/v1/orders', {
    customerId: customer,
    rentalStart: today,
    rentalEnd: today,
    items: [{ productId: tent, quantity: 1 }],
  });
  const staff = await s.post(
    '/v1/users',
    { email: 'front.desk@example.com', password: PASSWORD, name: 'Front Desk', roles: ['staff'] },
    t.authAs(['admin']),
  );
  expect(staff.statusCode).toBe(201);
  await t.app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(t.app.getHttpServer().address() as { port: number }).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

it('signs in, shows the API’s figures with its charts, under a strict CSP, and keeps a screenshot', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const elsewhere: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith(base)) elsewhere.push(r.url());
  });

  const res = await page.goto(`${base}/dashboard`);
  expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(res?.headers()['content-security-policy']).not.toContain('unsafe-inline');
  await page.fill('input[name=email]', 'front.desk@example.com');
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('#board:not([hidden])');
  await page.waitForSelector('#activeRentals[data-value]');
  await page.waitForSelector('#revenue-chart canvas');
  await page.waitForSelector('#utilization-chart canvas');

  // The API's answer, with the token the page holds: the same figures.
  const token = await page.evaluate<string | null>('sessionStorage.getItem("rentlog.accessToken")');
  const api = (
    await t.app.inject({ method: 'GET', url: '/v1/dashboard', headers: { authorization: `Bearer ${token}` } })
  ).json();
  const shown = async (id: string) => page.getAttribute(`#${id}`, 'data-value');
  expect(await shown('revenueToday')).toBe(String(api.revenueToday.amount));
  expect(await shown('revenueMonth')).toBe(String(api.revenueMonth.amount));
  for (const key of [
    'activeRentals',
    'overdueRentals',
    'pickupsToday',
    'returnsToday',
    'holdsActive',
    'projectionLag',
    'parkedEvents',
  ])
    expect([key, await shown(key)]).toEqual([key, String(api[key])]);
  expect(api).toMatchObject({ activeRentals: 1, pickupsToday: 1, holdsActive: 1, revenueToday: eur(1000) });
  expect(await page.textContent('#jobsFailed')).toBe(String(api.jobs.failed));
  const top = await page.$$eval('#top-products tbody tr', (rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.dataset.value ?? td.textContent)),
  );
  expect(top.map((r) => [r[0], r[1], r[2]])).toEqual(
    api.topProducts.map((p: { name: string; rentals: number; revenue: { amount: number } }) => [
      p.name,
      String(p.rentals),
      String(p.revenue.amount),
    ]),
  );
  // The charts are drawn: uPlot's canvases have a size.
  const canvas = {
    w: Number(await page.getAttribute('#revenue-chart canvas', 'width')),
    h: Number(await page.getAttribute('#revenue-chart canvas', 'height')),
  };
  expect(canvas.w).toBeGreaterThan(200);
  expect(canvas.h).toBeGreaterThan(100);

  mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: path.join(OUTPUT, 'dashboard.png'), fullPage: true });
  expect(existsSync(path.join(OUTPUT, 'dashboard.png'))).toBe(true);
  expect(problems).toEqual([]);
  expect(elsewhere).toEqual([]);

  // Signing out shows the form again; a customer's account is told it may not see the dashboard.
  await page.click('#sign-out');
  await page.waitForSelector('#sign-in-panel:not([hidden])');
  await context.close();
}, 60_000);
