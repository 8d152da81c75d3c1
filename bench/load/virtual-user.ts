/**
 * One virtual user, in Locust's manner: until the run ends it picks a task by the mix's weights, runs
 * it, pauses (the think time) and picks again. It is a customer (browsing, checking availability,
 * ordering and paying as itself) with the counter beside it (a staff key that confirms, hands out and
 * takes back its orders). Its orders move reserved -> paid -> confirmed -> picked up -> returned;
 * a task that finds nothing to act on falls back to the step before it (pay without an unpaid order
 * places one), so the shares hold once the first orders exist.
 *
 * The mix places twice as many orders as it pays, and the server lets a customer hold only
 * CUSTOMER_MAX_ACTIVE_HOLDS (5) unconfirmed orders: like a shopper who gives up a cart, a user with
 * UNPAID_LIMIT unpaid orders cancels the oldest (its order task) instead of placing another. In the
 * steady state that is 7.5 % placements and 2.5 % cancellations. The counter confirms every paid order
 * first (a paid hold still counts against the limit), then takes back and hands out the rest.
 */
import type { Answer, Call, Http } from './load.client.js';
import type { Actor, Shop } from './load.setup.js';
import { MIX, type LoadStats, type Task } from './load.stats.js';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
/** Unpaid orders a user keeps before it gives up the oldest (the server allows 5 holds). */
const UNPAID_LIMIT = 3;
/** Orders kept in mind per state at most (the counter's backlog of confirmed ones may grow). */
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
  private nextPage: URLSearchParams | undefined;
  /** Tasks picked that something else stood in for, and how often each task stood in. */
  private readonly owed: Task[] = [];
  private readonly deck: Task[] = [];
  private readonly ahead: Record<Task, number> = { browse: 0, availability: 0, order: 0, pay: 0, lifecycle: 0 };

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

  /**
   * The next task from a shuffled deck holding the mix in twentieths (12 browse, 3 availability, 2
   * order, 1 pay, 2 lifecycle): random order as in Locust, and every 20 picks hold the planned shares.
   */
  private pick(): Task {
    if (this.deck.length === 0) {
      for (const [task, weight] of Object.entries(MIX) as Array<[Task, number]>)
        for (let i = 0; i < Math.round(weight * 20); i++) this.deck.push(task);
      for (let i = this.deck.length - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        [this.deck[i], this.deck[j]] = [this.deck[j], this.deck[i]];
      }
    }
    return this.deck.pop()!;
  }

  /**
   * Runs the picked task, or what stands in for it: a task with nothing to act on runs the step before
   * it and is owed; a later pick of the task that stood in runs an owed one as soon as it can, so the
   * shares catch up with the plan after the first orders.
   */
  private async step(picked: Task): Promise<void> {
    let task = picked;
    const owed = this.owed.find((t) => this.canRun(t));
    if (this.ahead[picked] > 0 && owed) {
      this.ahead[picked]--;
      this.owed.splice(this.owed.indexOf(owed), 1);
      task = owed;
    }
    while (!this.canRun(task)) {
      const stand = task === 'lifecycle' && this.canRun('pay') ? 'pay' : 'order';
      this.owed.push(task);
      this.ahead[stand]++;
      task = stand;
    }
    if (task === 'browse') return this.random() < 0.5 ? this.list() : this.product();
    if (task === 'availability') return this.availability();
    if (task === 'pay') return this.pay();
    if (task === 'lifecycle') return this.lifecycle();
    return this.reserved.length >= UNPAID_LIMIT ? this.cancel() : this.place();
  }

  private canRun(task: Task): boolean {
    if (task === 'pay') return this.reserved.length > 0;
    if (task === 'lifecycle') return this.paid.length + this.confirmed.length + this.pickedUp.length > 0;
    return true;
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

  /** A page of the catalog: a quarter of the time the next page of the list read before, as people do. */
  private async list(): Promise<void> {
    let params = this.nextPage;
    this.nextPage = undefined;
    if (!params || this.random() >= 0.25) {
      params = new URLSearchParams({ limit: '20', sort: this.one(['name', '-rentals', 'dailyRate']) });
      if (this.random() < 0.5) params.set('category', this.one(this.shop.categories));
    }
    const res = await this.call('browse', 'GET /v1/products', { method: 'GET', path: `/v1/products?${params}` });
    const next = res.body.nextCursor;
    if (res.status === 200 && typeof next === 'string') {
      params.set('cursor', next);
      this.nextPage = params;
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
  }

  /** Gives up the oldest unpaid order. */
  private async cancel(): Promise<void> {
    const order = this.reserved.shift()!;
    const path = `/v1/orders/${order.orderId}/cancel`;
    const body = { reason: 'changed my mind' };
    const res = await this.call('order', 'POST /v1/orders/:id/cancel', { method: 'POST', path, body });
    if (res.status === 429 || res.status === 0) this.reserved.unshift(order);
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

  /** The counter confirms a paid order, else takes one back, else hands one out. */
  private async lifecycle(): Promise<void> {
    type Step = [from: Order[], to: Order[] | undefined, action: string, staff: boolean];
    const [from, to, action, staff]: Step = this.paid.length
      ? [this.paid, this.confirmed, 'confirm', false]
      : this.pickedUp.length
        ? [this.pickedUp, undefined, 'return', true]
        : [this.confirmed, this.pickedUp, 'pickup', true];
    const order = from.shift()!;
    const route = `POST /v1/orders/:id/${action}`;
    const res = await this.call(
      'lifecycle',
      route,
      { method: 'POST', path: `/v1/orders/${order.orderId}/${action}` },
      staff,
    );
    if (res.status === 200 && to) {
      to.push(order);
      if (to.length > KEEP) to.shift();
    }
    // Not yet covered (the payment is still reaching the order), rate limited or no answer: again later.
    else if (res.code === 'DEPOSIT_NOT_COVERED' || res.status === 429 || res.status === 0) from.push(order);
  }
}
