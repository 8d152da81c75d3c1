import { jest } from '@jest/globals';
import { apiSpec } from '../../support/api-spec.js';
import { eventually } from '../../support/eventually.js';
import { eur, newEvent } from '../../support/fixtures.js';
import { shop } from '../../support/shop.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { TestClock } from '../../support/test-clock.js';

const clock = new TestClock('2030-01-01T09:00:00.000Z');
let t: TestApp;
let s: ReturnType<typeof shop>;
beforeAll(async () => {
  t = await startTestApp({ HOLD_TTL_SECONDS: '1800' }, { clock });
  s = shop(t);
});
afterAll(() => t.close());
beforeEach(() => clock.set('2030-01-01T09:00:00.000Z'));

const order = (
  customerId: string,
  items: Array<{ productId: string; quantity: number }>,
  rentalStart = '2030-01-10',
  rentalEnd = '2030-01-15',
) => ({ customerId, rentalStart, rentalEnd, items });
const availability = async (productId: string, from: string, to: string, position?: string) =>
  (
    await s.get(
      `/v1/products/${productId}/availability?from=${from}&to=${to}`,
      position ? { 'x-min-position': position } : {},
    )
  ).json().days as Array<{ date: string; reserved: number; available: number }>;

describe('placing orders', () => {
  it('holds the units, prices the order, and shows it with availability', async () => {
    const productId = await s.product({ stock: 2, bufferDays: 1, dailyRate: eur(1500), deposit: eur(4000) });
    const customerId = await s.customer();
    const res = await s.post('/v1/orders', order(customerId, [{ productId, quantity: 2 }]));
    expect(res.statusCode).toBe(201);
    const placed = res.json();
    expect(placed).toMatchObject({
      status: 'reserved',
      rentalDays: 5,
      subtotal: eur(15000),
      deposit: eur(8000),
      total: eur(23000),
      holdExpiresAt: '2030-01-01T09:30:00.000Z',
    });

    const read = await s.get(`/v1/orders/${placed.orderId}`, { ...s.staff(), 'x-min-position': placed.position });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({
      orderId: placed.orderId,
      customerId,
      status: 'reserved',
      overdue: false,
      items: [{ productId, quantity: 2, dailyRate: eur(1500), lineTotal: eur(15000) }],
      balance: eur(23000),
      paid: eur(0),
      timeline: [{ type: 'OrderPlaced', actor: 'test-staff' }],
    });
    const days = await availability(productId, '2030-01-09', '2030-01-17', placed.position);
    expect(days.map((d) => d.reserved)).toEqual([0, 2, 2, 2, 2, 2, 2, 2, 0]); // the 10th to the 15th, plus one buffer day
  });

  it('refuses units that are not free with every per-day shortfall (409), and a later window is fine', async () => {
    const productId = await s.product({ stock: 1 });
    const customerId = await s.customer();
    expect(
      (await s.post('/v1/orders', order(customerId, [{ productId, quantity: 1 }], '2030-02-01', '2030-02-03')))
        .statusCode,
    ).toBe(201);
    const refused = await s.post(
      '/v1/orders',
      order(customerId, [{ productId, quantity: 1 }], '2030-02-03', '2030-02-04'),
    );
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      code: 'UNITS_UNAVAILABLE',
      errors: [{ productId, date: '2030-02-03', requested: 1, available: 0 }],
    });
    expect(
      (await s.post('/v1/orders', order(customerId, [{ productId, quantity: 1 }], '2030-02-04', '2030-02-05')))
        .statusCode,
    ).toBe(201);
  });

  it('releases the holds already taken when another line cannot be held', async () => {
    const plenty = await s.product({ stock: 5 });
    const scarce = await s.product({ stock: 0 });
    const customerId = await s.customer();
    const refused = await s.post(
      '/v1/orders',
      order(customerId, [
        { productId: plenty, quantity: 3 },
        { productId: scarce, quantity: 1 },
      ]),
    );
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors).toHaveLength(6);
    const events = await t.infra.events.readStream(`product-${plenty}`);
    expect(events.map((e) => e.type)).toEqual(['ProductRegistered', 'UnitsHeld', 'UnitsReleased']);
    const days = await availability(plenty, '2030-01-10', '2030-01-10', String(events.at(-1)!.position));
    expect(days[0].available).toBe(5);
  });

  it.each([
    [
      'a start in the past',
      order(
        '00000000-0000-4000-8000-000000000001',
        [{ productId: '00000000-0000-4000-8000-000000000002', quantity: 1 }],
        '2029-12-31',
        '2030-01-02',
      ),
      400,
    ],
    [
      'an end before the start',
      order(
        '00000000-0000-4000-8000-000000000001',
        [{ productId: '00000000-0000-4000-8000-000000000002', quantity: 1 }],
        '2030-01-05',
        '2030-01-02',
      ),
      400,
    ],
    [
      'an impossible date',
      order(
        '00000000-0000-4000-8000-000000000001',
        [{ productId: '00000000-0000-4000-8000-000000000002', quantity: 1 }],
        '2030-02-30',
        '2030-03-02',
      ),
      400,
    ],
    [
      'no items',
      {
        customerId: '00000000-0000-4000-8000-000000000001',
        rentalStart: '2030-01-10',
        rentalEnd: '2030-01-12',
        items: [],
      },
      400,
    ],
    ['an unknown field', { ...order('00000000-0000-4000-8000-000000000001', []), coupon: 'FREE' }, 400],
  ])('refuses %s', async (_what, body, status) => {
    const customerId = await s.customer();
    const res = await s.post('/v1/orders', { ...body, customerId });
    expect(res.statusCode).toBe(status);
  });

  it('answers 404 for an unknown customer', async () => {
    const productId = await s.product();
    expect(
      (await s.post('/v1/orders', order('00000000-0000-4000-8000-00000000abcd', [{ productId, quantity: 1 }])))
        .statusCode,
    ).toBe(404);
  });

  it('lets exactly one of 100 parallel orders for the last unit win, in the log and in the read model', async () => {
    const productId = await s.product({ stock: 1 });
    const customerId = await s.customer();
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        s.post('/v1/orders', order(customerId, [{ productId, quantity: 1 }], '2030-03-01', '2030-03-03')),
      ),
    );
    const won = results.filter((r) => r.statusCode === 201);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(99);
    const events = await t.infra.events.readStream(`product-${productId}`);
    const held = events.filter((e) => e.type === 'UnitsHeld');
    expect(held).toHaveLength(1);
    expect((held[0].data as { orderId: string }).orderId).toBe(won[0].json().orderId);
    const list = await s.get(`/v1/orders?productId=${productId}`, {
      ...s.staff(),
      'x-min-position': won[0].json().position,
    });
    expect(list.json().items.map((o: { orderId: string }) => o.orderId)).toEqual([won[0].json().orderId]);
    const days = await availability(productId, '2030-03-01', '2030-03-03', won[0].json().position);
    expect(days.every((d) => d.reserved === 1 && d.available === 0)).toBe(true);
  });
});

describe('the order lifecycle', () => {
  it.each(['confirm', 'extend', 'cancel', 'pickup', 'return', 'close'])(
    'answers %s on an unknown order with ORDER_NOT_FOUND, as GET does',
    async (verb) => {
      const id = '00000000-0000-4000-8000-000000000000';
      const body = verb === 'extend' ? { rentalEnd: '2030-02-01' } : verb === 'cancel' ? { reason: 'x' } : {};
      await apiSpec(t)
        .given([])
        .when({ method: 'POST', url: `/v1/orders/${id}/${verb}`, headers: s.staff(), payload: body })
        .then({
          status: 404,
          body: { code: 'ORDER_NOT_FOUND' },
          events: { only: new RegExp(`^order-${id}$`), expect: [] },
        });
      expect((await s.get(`/v1/orders/${id}`)).json()).toMatchObject({ code: 'ORDER_NOT_FOUND' });
    },
  );

  async function placed(
    overrides: Record<string, unknown> = {},
    dates: [string, string] = ['2030-01-10', '2030-01-15'],
  ) {
    const productId = await s.product({ stock: 1, ...overrides });
    const customerId = await s.customer();
    const res = await s.post('/v1/orders', order(customerId, [{ productId, quantity: 1 }], ...dates));
    expect(res.statusCode).toBe(201);
    return { productId, customerId, orderId: res.json().orderId as string };
  }

  it('confirms directly when there is no deposit, and refuses while a deposit is open', async () => {
    const free = await placed({ deposit: eur(0) });
    const ok = await s.post(`/v1/orders/${free.orderId}/confirm`, {});
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('confirmed');
    const product = await s.get(`/v1/products/${free.productId}`, { 'x-min-position': ok.json().position });
    expect(product.json().rentals).toBe(1); // confirmed rentals count on the catalog
    const owed = await placed({ deposit: eur(5000) });
    const refused = await s.post(`/v1/orders/${owed.orderId}/confirm`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('DEPOSIT_NOT_COVERED');
  });

  it('cancels free more than 48 h ahead, with a fee inside that window, freeing the units', async () => {
    const early = await placed({ dailyRate: eur(1000) });
    const free = await s.post(`/v1/orders/${early.orderId}/cancel`, { reason: 'plans changed' });
    expect(free.json()).toMatchObject({ status: 'cancelled', cancellationFee: eur(0) });
    const days = await availability(early.productId, '2030-01-10', '2030-01-10', free.json().position);
    expect(days[0].available).toBe(1);

    const late = await placed({ dailyRate: eur(1000), deposit: eur(0) });
    clock.set('2030-01-09T12:00:00.000Z');
    await s.post(`/v1/orders/${late.orderId}/confirm`, {}).then((r) => expect(r.statusCode).toBe(409)); // the hold ran out meanwhile
    clock.set('2030-01-01T09:10:00.000Z');
    expect((await s.post(`/v1/orders/${late.orderId}/confirm`, {})).statusCode).toBe(200);
    clock.set('2030-01-09T12:00:00.000Z');
    const charged = await s.post(`/v1/orders/${late.orderId}/cancel`, { reason: 'rain' });
    expect(charged.json()).toMatchObject({ status: 'cancelled', cancellationFee: eur(2500) }); // 50 % of 5 days x 10.00
    const events = await t.infra.events.readStream(`order-${late.orderId}`);
    expect(events.at(-1)!.data).toMatchObject({ reason: 'rain' }); // the customer's words: encrypted in the data
    expect(events.at(-1)!.metadata.reason).toBeUndefined(); // never in metadata
  });

  it("reads the order's stream once to confirm or extend it (the access check is part of that one load)", async () => {
    const { orderId } = await placed({ deposit: eur(0) });
    const spy = jest.spyOn(t.infra.events, 'readStream');
    try {
      const reads = () => spy.mock.calls.filter(([streamId]) => streamId === `order-${orderId}`).length;
      expect((await s.post(`/v1/orders/${orderId}/confirm`, {})).statusCode).toBe(200);
      expect(reads()).toBe(1);
      spy.mockClear();
      expect((await s.post(`/v1/orders/${orderId}/extend`, { rentalEnd: '2030-01-16' })).statusCode).toBe(200);
      expect(reads()).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });

  it("applies If-Match on cancel to the order's stream only: the units are released at once, at the answer's position", async () => {
    const { orderId, productId } = await placed({ deposit: eur(0) });
    const etag = (
      await s.get(`/v1/orders/${orderId}`, {
        ...s.staff(),
        'x-min-position': String(await t.infra.events.headPosition()),
      })
    ).headers.etag as string;
    expect(
      (await s.post(`/v1/orders/${orderId}/cancel`, { reason: 'x' }, { ...s.staff(), 'if-match': '"7"' })).statusCode,
    ).toBe(412);
    const cancelled = await s.post(
      `/v1/orders/${orderId}/cancel`,
      { reason: 'plans changed' },
      { ...s.staff(), 'if-match': etag },
    );
    expect(cancelled.statusCode).toBe(200);
    const released = (await t.infra.events.readStream(`product-${productId}`)).filter(
      (e) => e.type === 'UnitsReleased',
    );
    expect(released).toHaveLength(1);
    expect(BigInt(cancelled.json().position)).toBe(released[0].position);
    expect((await availability(productId, '2030-01-10', '2030-01-10', cancelled.json().position))[0].available).toBe(1);
  });

  it('extends when the units are free, and answers 409 when they are not', async () => {
    const first = await placed({ deposit: eur(0) });
    const extended = await s.post(`/v1/orders/${first.orderId}/extend`, { rentalEnd: '2030-01-17' });
    expect(extended.statusCode).toBe(200);
    expect(extended.json()).toMatchObject({ rentalEnd: '2030-01-17', total: eur(7000) });
    const other = await s.post(
      '/v1/orders',
      order(first.customerId, [{ productId: first.productId, quantity: 1 }], '2030-01-19', '2030-01-20'),
    );
    expect(other.statusCode).toBe(201);
    const refused = await s.post(`/v1/orders/${first.orderId}/extend`, { rentalEnd: '2030-01-19' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors).toEqual([
      { productId: first.productId, date: '2030-01-19', requested: 1, available: 0 },
    ]);
  });

  it('picks up, shows overdue past the end date, returns late with damage, and will not close with a balance', async () => {
    const o = await placed({ deposit: eur(0), dailyRate: eur(1000) });
    expect((await s.post(`/v1/orders/${o.orderId}/confirm`, {})).statusCode).toBe(200);
    const pickedUp = await s.post(`/v1/orders/${o.orderId}/pickup`, {});
    expect(pickedUp.json().status).toBe('picked_up');
    clock.set('2030-01-16T08:00:00.000Z');
    const overdue = await s.get(`/v1/orders?overdue=true&customerId=${o.customerId}`, {
      ...s.staff(),
      'x-min-position': pickedUp.json().position,
    });
    expect(overdue.json().items).toEqual([expect.objectContaining({ orderId: o.orderId, overdue: true })]);
    clock.set('2030-01-17T16:00:00.000Z');
    const back = await s.post(`/v1/orders/${o.orderId}/return`, {
      returnedOn: '2030-01-17',
      damages: [{ productId: o.productId, description: 'torn canvas', charge: eur(2500) }],
    });
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({
      status: 'returned',
      lateFee: eur(3000),
      damageCharges: eur(2500),
      balance: eur(10500),
    }); // 5 days + 2 late days x 150 % + damage
    const close = await s.post(`/v1/orders/${o.orderId}/close`, {});
    expect(close.statusCode).toBe(409);
    expect(close.json().code).toBe('BALANCE_OPEN');
  });

  it('refuses transitions the status does not allow', async () => {
    const o = await placed({ deposit: eur(0) });
    expect((await s.post(`/v1/orders/${o.orderId}/pickup`, {})).json().code).toBe('ORDER_NOT_PICKABLE');
    expect((await s.post(`/v1/orders/${o.orderId}/return`, {})).json().code).toBe('ORDER_NOT_RETURNABLE');
    expect((await s.post(`/v1/orders/${o.orderId}/close`, {})).json().code).toBe('ORDER_NOT_CLOSABLE');
    expect((await s.post('/v1/orders/00000000-0000-4000-8000-000000000000/confirm', {})).statusCode).toBe(404);
  });

  it('expires a hold that ran out: the worker releases the units', async () => {
    const o = await placed();
    clock.set('2030-01-01T09:31:00.000Z');
    const blocked = await availability(o.productId, '2030-01-10', '2030-01-10');
    expect(blocked[0].available).toBe(1); // an expired hold blocks nothing, even before the worker runs
    await eventually(
      async () => (await s.get(`/v1/orders?customerId=${o.customerId}&status=reserved`)).json().items.length,
      (n) => n === 1,
    );
    await t.worker.jobs.runNow('expire-holds');
    const events = await t.infra.events.readStream(`order-${o.orderId}`);
    expect(events.at(-1)!.type).toBe('OrderExpired');
    const product = await t.infra.events.readStream(`product-${o.productId}`);
    expect(product.at(-1)).toMatchObject({ type: 'UnitsReleased', data: { reason: 'expired' } });
    const view = await s.get(`/v1/orders/${o.orderId}`, {
      ...s.staff(),
      'x-min-position': String(events.at(-1)!.position),
    });
    expect(view.json().status).toBe('expired');
  });

  it('releases a hold left behind by a crash before its order was recorded', async () => {
    const productId = await s.product({ stock: 1 });
    const orphan = '00000000-0000-4000-8000-00000000dead';
    const held = await t.infra.events.append(
      `product-${productId}`,
      [
        newEvent(
          {
            type: 'UnitsHeld',
            data: {
              productId,
              orderId: orphan,
              quantity: 1,
              from: '2030-05-01',
              to: '2030-05-02',
              holdExpiresAt: '2030-01-01T09:30:00.000Z',
              heldAt: '2030-01-01T09:00:00.000Z',
            },
          },
          {
            at: '2030-01-01T09:00:00.000Z',
            metadata: { correlationId: 'c', causationId: 'c', actor: { userId: 'system', role: 'system' } },
          },
        ),
      ],
      'any',
    );
    await s.get(`/v1/products/${productId}/availability?from=2030-05-01&to=2030-05-01`, {
      'x-min-position': String(held.position),
    });
    clock.set('2030-01-01T09:31:00.000Z');
    await t.worker.jobs.runNow('release-orphan-holds');
    const events = await t.infra.events.readStream(`product-${productId}`);
    expect(events.at(-1)).toMatchObject({ type: 'UnitsReleased', data: { orderId: orphan, reason: 'expired' } });
  });

  it('refuses a stock cut below the units booked on a coming day', async () => {
    const o = await placed({ stock: 1 });
    const cut = await s.post(`/v1/products/${o.productId}/stock`, { delta: -1, reason: 'broken' });
    expect(cut.statusCode).toBe(409);
    expect(cut.json().code).toBe('STOCK_BELOW_BOOKINGS');
  });
});

describe('customers and their orders', () => {
  it('lets a customer order for itself and see only its own orders (others are 404)', async () => {
    const productId = await s.product({ stock: 5, deposit: eur(0) });
    const mine = await s.customer('Mine');
    const theirs = await s.customer('Theirs');
    const me = t.authAs(['customer'], { userId: 'u-mine', customerId: mine });
    const them = t.authAs(['customer'], { userId: 'u-theirs', customerId: theirs });
    const placed = await s.post(
      '/v1/orders',
      { rentalStart: '2030-04-01', rentalEnd: '2030-04-02', items: [{ productId, quantity: 1 }] },
      me,
    );
    expect(placed.statusCode).toBe(201);
    const { orderId, position } = placed.json();
    expect((await s.post('/v1/orders', order(theirs, [{ productId, quantity: 1 }]), me)).statusCode).toBe(404);
    expect((await s.get(`/v1/orders/${orderId}`, { ...me, 'x-min-position': position })).statusCode).toBe(200);
    expect((await s.get(`/v1/orders/${orderId}`, { ...them, 'x-min-position': position })).statusCode).toBe(404);
    expect((await s.post(`/v1/orders/${orderId}/confirm`, {}, them)).statusCode).toBe(404);
    expect((await s.post(`/v1/orders/${orderId}/cancel`, { reason: 'x' }, them)).statusCode).toBe(404);
    expect((await s.get('/v1/orders', them)).json().items).toEqual([]);
    expect((await s.get('/v1/orders', me)).json().items.map((o: { orderId: string }) => o.orderId)).toEqual([orderId]);
    expect((await s.post(`/v1/orders/${orderId}/pickup`, {}, me)).statusCode).toBe(403);
    expect((await s.post(`/v1/orders/${orderId}/confirm`, {}, me)).statusCode).toBe(200);
  });
});
