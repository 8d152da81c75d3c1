import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { orderPaymentsWorkflow } from '../../../application/order/order-payments.workflow.js';
import { releaseUnitsWorkflow } from '../../../application/order/release-units.workflow.js';
import { AdjustStockCommand } from '../../../application/product/adjust-stock.command.js';
import { systemContext } from '../../../application/shared/command-context.js';
import { commandScope } from '../../../application/shared/command-scope.js';
import type { Workflow } from '../../../application/shared/workflow.js';
import { SqliteReadStore } from '../../../infrastructure/read-store/sqlite.read-store.js';
import { PARKED_COLLECTION } from '../../../projections/runner/projection-status.js';
import { WorkflowRunner, workflowScope } from '../../../projections/runner/workflow-runner.js';
import { eventually } from '../../support/eventually.js';
import { eur, newEvent } from '../../support/fixtures.js';
import { shop } from '../../support/shop.js';
import { silentLogger } from '../../support/silent-logger.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ PUBLIC_URL: 'http://127.0.0.1:9' });
});
afterAll(() => t.close());

/** The same workflow again under another name: a fresh checkpoint, so it reads the whole log a second time. */
async function replay<E extends { type: string; data: unknown }, S>(workflow: Workflow<E, S>) {
  const again = new WorkflowRunner({
    workflow: { ...workflow, name: `${workflow.name}-replay-${randomUUID().slice(0, 8)}` } as unknown as Workflow<
      { type: string; data: unknown },
      unknown
    >,
    events: t.infra.events,
    store: t.infra.store,
    logger: silentLogger,
    send: (command) => t.app.get(CommandBus).execute(command),
  });
  await again.start(await t.infra.events.headPosition());
}

describe('workflows on the durable subscriber', () => {
  it("bring a payment onto its order once, however often the payment's events are delivered", async () => {
    const s = shop(t);
    const productId = await s.product({ deposit: eur(3000) });
    const customerId = await s.customer();
    const { orderId } = (
      await s.post('/v1/orders', {
        customerId,
        rentalStart: '2099-01-10',
        rentalEnd: '2099-01-12',
        items: [{ productId, quantity: 1 }],
      })
    ).json();
    const { paymentId } = (
      await s.post(`/v1/orders/${orderId}/payments`, {
        amount: eur(3000),
        purpose: 'deposit',
        paymentMethod: 'pm_card_ok',
      })
    ).json();
    const recorded = async () =>
      (await t.infra.events.readStream(`order-${orderId}`)).filter((e) => e.type === 'OrderPaymentUpdated');
    const [accepted, authorized] = await recorded();
    expect([accepted.data, authorized.data]).toMatchObject([
      { paymentId, status: 'pending', amount: eur(3000) },
      { paymentId, status: 'authorized', authorized: eur(3000) },
    ]);

    await replay(orderPaymentsWorkflow);
    await replay(orderPaymentsWorkflow);
    expect(await recorded()).toHaveLength(2);
    expect((await s.post(`/v1/orders/${orderId}/confirm`, {})).statusCode).toBe(200); // the deposit is covered
  });

  it("release a cancelled order's units again from the log without appending twice", async () => {
    const s = shop(t);
    const productId = await s.product({ deposit: eur(0) });
    const customerId = await s.customer();
    const { orderId } = (
      await s.post('/v1/orders', {
        customerId,
        rentalStart: '2099-02-10',
        rentalEnd: '2099-02-12',
        items: [{ productId, quantity: 1 }],
      })
    ).json();
    await s.post(`/v1/orders/${orderId}/cancel`, { reason: 'test' });
    await replay(releaseUnitsWorkflow);
    const released = (await t.infra.events.readStream(`product-${productId}`)).filter(
      (e) => e.type === 'UnitsReleased',
    );
    expect(released).toHaveLength(1);
  });

  it('send a command whose effect is not idempotent once, when a crash before the checkpoint delivers its cause again', async () => {
    const s = shop(t);
    const productId = await s.product({ stock: 1 });
    // Adds a unit per registration of this product: sent twice, the stock would grow twice.
    const topUp: Workflow<{ type: string; data: { productId: string } }, null> = {
      name: `top-up-${randomUUID().slice(0, 8)}`,
      inputs: ['ProductRegistered'],
      instanceOf: (event) => event.data.productId,
      initialState: () => null,
      evolve: () => null,
      decide: (event) =>
        event.data.productId === productId
          ? [new AdjustStockCommand(productId, { delta: 1, reason: 'top-up' }, systemContext('top-up', event.id))]
          : [],
    };
    const run = async (store: SqliteReadStore) =>
      new WorkflowRunner({
        workflow: topUp as unknown as Workflow<{ type: string; data: unknown }, unknown>,
        events: t.infra.events,
        store,
        logger: silentLogger,
        batchSize: 100_000,
        send: (command) => t.app.get(CommandBus).execute(command),
      }).start(await t.infra.events.headPosition());
    const adjusted = async () =>
      (await t.infra.events.readStream(`product-${productId}`)).filter((e) => e.type === 'ProductStockAdjusted');

    const first = new SqliteReadStore(':memory:');
    await run(first);
    expect(await adjusted()).toHaveLength(1);
    // The process died after the command, before its checkpoint: a new one starts with no checkpoint,
    // and its first batch (a redelivery) finds the command's events by their derived ids.
    const afterCrash = new SqliteReadStore(':memory:');
    await run(afterCrash);
    expect(await adjusted()).toHaveLength(1);
    expect((await s.get(`/v1/products/${productId}`)).json()).toMatchObject({ stock: 2 });

    // Not flagged as a redelivery (the SQLite store refuses the ids it holds): settled the same way.
    const [registered] = await t.infra.events.readStream(`product-${productId}`, { maxCount: 1 });
    const again = new AdjustStockCommand(
      productId,
      { delta: 1, reason: 'top-up' },
      systemContext('top-up', registered.id),
    );
    const result = await commandScope.run(workflowScope(topUp.name, registered.id, 0, false), () =>
      t.app.get(CommandBus).execute(again),
    );
    expect(result).toMatchObject({ stock: 2 });
    expect(await adjusted()).toHaveLength(1);
    await first.close();
    await afterCrash.close();
  });

  it('park an event whose command the domain refuses, and go on with the next ones', async () => {
    const paymentId = randomUUID();
    const orphan = newEvent({
      type: 'PaymentRequested',
      data: {
        paymentId,
        orderId: randomUUID(),
        customerId: 'c1',
        amount: eur(100),
        purpose: 'deposit',
        paymentMethod: 'pm_card_ok',
        requestedAt: new Date().toISOString(),
      },
    });
    const { position } = await t.infra.events.append(`payment-${paymentId}`, [orphan], 'no_stream');
    const parked = await eventually(
      () => t.infra.store.collection(PARKED_COLLECTION).findById(`workflow:order-payments:${String(position)}`),
      (doc) => doc !== null,
    );
    expect(parked).toMatchObject({
      consumer: 'workflow:order-payments',
      eventType: 'PaymentRequested',
      error: expect.stringMatching(/order that does not exist/),
    });
    await eventually(
      () => t.infra.store.getCheckpoint('workflow:order-payments'),
      (checkpoint) => checkpoint !== null && checkpoint >= position,
    );
    expect(t.worker.workflows.map((w) => w.state)).toEqual(['running', 'running', 'running']);
  });

  it('park an event they cannot read (an item-less OrderCancelled, as a contract test once wrote) instead of retrying it for ever', async () => {
    const orderId = randomUUID();
    const malformed = newEvent({ type: 'OrderCancelled', data: { orderId } });
    const { position } = await t.infra.events.append(`order-${orderId}`, [malformed], 'no_stream');
    const parked = await eventually(
      () => t.infra.store.collection(PARKED_COLLECTION).findById(`workflow:release-units:${String(position)}`),
      (doc) => doc !== null,
    );
    expect(parked).toMatchObject({
      consumer: 'workflow:release-units',
      eventType: 'OrderCancelled',
      error: expect.any(String),
    });
    await eventually(
      () => t.infra.store.getCheckpoint('workflow:release-units'),
      (checkpoint) => checkpoint !== null && checkpoint >= position,
    );
    expect(t.worker.workflows.map((w) => [w.state, w.lastError])).toEqual([
      ['running', null],
      ['running', null],
      ['running', null],
    ]);
  });
});
