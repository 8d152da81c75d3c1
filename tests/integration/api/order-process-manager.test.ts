import { OrderProcessManager } from '../../../application/order/order-process-manager.js';
import { CommandPath } from '../../../application/shared/command-path.js';
import { shop } from '../../support/shop.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ PUBLIC_URL: 'http://127.0.0.1:9' });
});
afterAll(() => t.close());

const eur = (amount: number) => ({ amount, currency: 'EUR' });

describe('the order process manager', () => {
  it('records a payment on its order once, however often the payment events are delivered', async () => {
    const s = shop(t);
    const productId = await s.product({ deposit: eur(3000) });
    const customerId = await s.customer();
    const { orderId } = (await s.post('/v1/orders', { customerId, rentalStart: '2099-01-10', rentalEnd: '2099-01-12', items: [{ productId, quantity: 1 }] })).json();
    const { paymentId } = (await s.post(`/v1/orders/${orderId}/payments`, { amount: eur(3000), purpose: 'deposit', paymentMethod: 'pm_card_ok' })).json();

    const recorded = async () => (await t.infra.events.readStream(`order-${orderId}`)).filter((e) => e.type === 'OrderPaymentUpdated');
    const deadline = Date.now() + 10_000;
    const authorized = async () => ((await recorded()).at(-1)?.data as { status?: string } | undefined)?.status === 'authorized';
    while (!(await authorized()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const before = await recorded();
    expect(before.at(-1)?.data).toMatchObject({ paymentId, purpose: 'deposit', status: 'authorized', authorized: eur(3000) });

    // Deliver every event of the payment again, twice: nothing more is recorded.
    const manager = new OrderProcessManager({ path: t.app.get(CommandPath), clock: t.infra.clock, logger: { info() {}, warn() {}, error() {}, debug() {}, child() { return this; } } });
    for (const event of [...(await t.infra.events.readStream(`payment-${paymentId}`)), ...(await t.infra.events.readStream(`payment-${paymentId}`))]) await manager.handle(event);
    expect(await recorded()).toHaveLength(before.length);

    // The deposit being covered is what lets the order confirm.
    expect((await s.post(`/v1/orders/${orderId}/confirm`, {})).statusCode).toBe(200);
  });

  it('releases the units of a cancelled order again from the log without appending twice', async () => {
    const s = shop(t);
    const productId = await s.product({ deposit: eur(0) });
    const customerId = await s.customer();
    const { orderId } = (await s.post('/v1/orders', { customerId, rentalStart: '2099-02-10', rentalEnd: '2099-02-12', items: [{ productId, quantity: 1 }] })).json();
    await s.post(`/v1/orders/${orderId}/cancel`, { reason: 'test' });
    const [cancelled] = (await t.infra.events.readStream(`order-${orderId}`)).filter((e) => e.type === 'OrderCancelled');
    const manager = new OrderProcessManager({ path: t.app.get(CommandPath), clock: t.infra.clock, logger: { info() {}, warn() {}, error() {}, debug() {}, child() { return this; } } });
    await manager.handle(cancelled);
    await manager.handle(cancelled);
    const released = (await t.infra.events.readStream(`product-${productId}`)).filter((e) => e.type === 'UnitsReleased');
    expect(released).toHaveLength(1);
  });
});
