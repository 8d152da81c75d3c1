/**
 * One virtual user, in Locust's manner: until the run ends it picks a task by the mix's weights, runs
 * it, pauses (the think time) and picks again. It is a customer (browsing, checking availability,
 * ordering and paying as itself) with the counter beside it (a staff key that confirms, hands out and
 * takes back its orders). Its orders move reserved -> paid -> confirmed -> picked up -> returned;
 * a task that finds nothing to act on falls back to the step before it (pay without an unpaid order
 * places one), so the shares hold once the first orders exist.
 */
import type { Answer, Call, Http } from './load.client.js';
import type { Actor, Shop } from './load.setup.js';
import { MIX, type LoadStats, type Task } from './load.stats.js';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
/** Unpaid orders kept in mind at most (the rest run out of hold time on their own). */
const KEEP = 50;

interface Order {
  orderId: string;
  deposit: { amount: number; currency: string };
}

export class VirtualUser {
  private readonly reserved: Order[] = [];
  private readonly paid: Order[] = [];
  private readonly confirmed: Order[] = [];
  private readonly pickedUp: Order[] = [];
  private readonly seen: string[];

  constructor(
    private readonly http: Http,
    private readonly shop: Shop,
    private readonly actor: Actor,
    private readonly stats: LoadStats,
    private readonly random: () => number,
  ) {
    this.seen = shop.products.map((p) => p.productId);
  }

  async run(until: () => boolean, thinkMs: number): Promise<void> {
    while (!until()) {
      await this.step(this.pick());
      if (thinkMs > 0) await new Promise((r) => setTimeout(r, thinkMs * (0.5 + this.random())));
    }
  }

  private pick(): Task {
    let x = this.random();
    for (const [task, weight] of Object.entries(MIX) as Array<[Task, number]>) {
      if (x < weight) return task;
      x -= weight;
    }
    return 'browse';
  }

  private async step(task: Task): Promise<void> {
    if (task === 'browse') return this.random() < 0.5 ? this.list() : this.product();
    if (task === 'availability') return this.availability();
    if (task === 'order') return this.place();
    if (task === 'lifecycle' && (this.pickedUp.length || this.confirmed.length || this.paid.length))
      return this.lifecycle();
    if (this.reserved.length > 0) return this.pay();
    return this.place();
  }

  private one<T>(items: T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private async call(task: Task, route: string, call: Call, staff = false): Promise<Answer> {
    const auth = staff ? this.actor.staff : await this.actor.customer.headers();
    const res = await this.http.send({ ...call, headers: { ...auth, ...call.headers } });
    this.stats.record(task, route, res.status, res.micros, res.code);
    return res;
  }

  private async list(): Promise<void> {
    const params = new URLSearchParams({ limit: '20', sort: this.one(['name', '-rentals', 'dailyRate']) });
    if (this.random() < 0.5) params.set('category', this.one(this.shop.categories));
    let res = await this.call('browse', 'GET /v1/products', { method: 'GET', path: `/v1/products?${params}` });
    // A quarter of the lists read on to their next page, as people do.
    const next = res.body.nextCursor;
    if (res.status === 200 && typeof next === 'string' && this.random() < 0.25) {
      params.set('cursor', next);
      res = await this.call('browse', 'GET /v1/products', { method: 'GET', path: `/v1/products?${params}` });
    }
    const items = (res.body.items ?? []) as Array<{ productId?: string }>;
    for (const item of items.slice(0, 3)) if (item.productId && this.seen.length < 200) this.seen.push(item.productId);
  }

  private async product(): Promise<void> {
    const id = this.one(this.seen);
    await this.call('browse', 'GET /v1/products/:id', { method: 'GET', path: `/v1/products/${id}` });
  }

  private async availability(): Promise<void> {
    const { productId } = this.one(this.shop.products);
    const path = `/v1/products/${productId}/availability?from=${day(0)}&to=${day(30)}`;
    await this.call('availability', 'GET /v1/products/:id/availability', { method: 'GET', path });
  }

  /** An order starting today (so that it can be picked up and returned today), 1 to 5 days, 1 or 2 units. */
  private async place(): Promise<void> {
    const scarce = this.random() < 0.15;
    const productId = scarce ? this.shop.scarce : this.one(this.shop.products).productId;
    const body = {
      rentalStart: day(0),
      rentalEnd: day(1 + Math.floor(this.random() * 5)),
      items: [{ productId, quantity: this.random() < 0.7 ? 1 : 2 }],
      fulfilment: { method: 'pickup' },
    };
    const res = await this.call('order', 'POST /v1/orders', { method: 'POST', path: '/v1/orders', body });
    if (res.status !== 201) return;
    this.reserved.push({ orderId: res.body.orderId as string, deposit: res.body.deposit as Order['deposit'] });
    if (this.reserved.length > KEEP) this.reserved.shift();
  }

  /** The deposit with the sandbox's test card; one payment in twenty is declined (and paid again later). */
  private async pay(): Promise<void> {
    const order = this.reserved.shift()!;
    const paymentMethod = this.random() < 0.05 ? 'pm_card_declined' : 'pm_card_ok';
    const body = { amount: order.deposit, purpose: 'deposit', paymentMethod };
    const path = `/v1/orders/${order.orderId}/payments`;
    const res = await this.call('pay', 'POST /v1/orders/:id/payments', { method: 'POST', path, body });
    if (res.status === 201 && res.body.status === 'authorized') this.paid.push(order);
    else if (res.status === 201 || res.status === 429 || res.status === 0) this.reserved.push(order);
  }

  /** The counter moves the most advanced order one step: takes one back, hands one out, or confirms one. */
  private async lifecycle(): Promise<void> {
    type Step = [from: Order[], to: Order[] | undefined, action: string, staff: boolean];
    const [from, to, action, staff]: Step = this.pickedUp.length
      ? [this.pickedUp, undefined, 'return', true]
      : this.confirmed.length
        ? [this.confirmed, this.pickedUp, 'pickup', true]
        : [this.paid, this.confirmed, 'confirm', false];
    const order = from.shift()!;
    const route = `POST /v1/orders/:id/${action}`;
    const res = await this.call(
      'lifecycle',
      route,
      { method: 'POST', path: `/v1/orders/${order.orderId}/${action}` },
      staff,
    );
    if (res.status === 200) to?.push(order);
    // Not yet covered (the payment is still reaching the order), rate limited or no answer: again later.
    else if (res.code === 'DEPOSIT_NOT_COVERED' || res.status === 429 || res.status === 0) from.push(order);
  }
}
