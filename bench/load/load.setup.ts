/**
 * The shop a load run needs, made through the API with the admin's credentials: products of its own
 * (one of them scarce, so that the mix meets sold-out days), a customer account per virtual user
 * (signed in; it browses, orders and pays as itself) and a staff API key per virtual user for the
 * counter's work (confirm, pickup, return): keys need no password hashing and each has its own rate
 * budget. Names carry the run's tag, so runs against the same shop never collide.
 */
import { randomBytes } from 'node:crypto';
import { Http, Session } from './load.client.js';
import type { LoadOptions } from './load.options.js';

export interface Product {
  productId: string;
  category: string;
}

export interface Actor {
  customer: Session;
  /** The staff key's header. */
  staff: Record<string, string>;
}

export interface Shop {
  tag: string;
  admin: Session;
  products: Product[];
  /** The product with little stock. */
  scarce: string;
  categories: string[];
  actors: Actor[];
  seconds: number;
}

const CATEGORIES = ['tools', 'garden', 'party', 'camping'];
export const SCARCE_STOCK = 3;
export const STOCK = 40;

/** Runs `work` over `items`, `width` at a time. */
async function batched<T, R>(items: T[], width: number, work: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
  return out;
}

export async function setUpShop(http: Http, options: LoadOptions, note: (t: string) => void): Promise<Shop> {
  const started = Date.now();
  const tag = randomBytes(3).toString('hex');
  const admin = await Session.signIn(http, options.adminEmail, options.adminPassword, note);
  const asAdmin = async (path: string, body: unknown) =>
    http.must({ method: 'POST', path, body, headers: await admin.headers() }, note);
  const money = (amount: number) => ({ amount, currency: options.currency });
  const indexes = Array.from({ length: options.products }, (_, i) => i);
  const products = await batched(indexes, 4, async (i) => {
    const category = CATEGORIES[i % CATEGORIES.length];
    const made = await asAdmin('/v1/products', {
      sku: `LOAD-${tag}-${i}`,
      name: `Load ${category} item ${i}`,
      category,
      dailyRate: money(1000 + 250 * i),
      deposit: money(5000 + 1000 * (i % 5)),
      stock: i === 0 ? SCARCE_STOCK : STOCK,
    });
    return { productId: made.productId as string, category };
  });
  note(`setup: ${products.length} products registered; signing up ${options.users} customers`);
  const users = Array.from({ length: options.users }, (_, i) => i);
  const actors = await batched(users, 4, async (i) => {
    const email = `load-${tag}-${i}@example.com`;
    const password = `lt-${randomBytes(12).toString('hex')}`;
    await asAdmin('/v1/users', { email, password, name: `Loadtest Customer ${i}`, roles: ['customer'] });
    const customer = await Session.signIn(http, email, password, note);
    const key = await asAdmin('/v1/api-keys', { name: `load-${tag}-staff-${i}`, roles: ['staff'] });
    return { customer, staff: { 'x-api-key': key.key as string } };
  });
  return {
    tag,
    admin,
    products,
    scarce: products[0].productId,
    categories: CATEGORIES.slice(0, Math.min(CATEGORIES.length, products.length)),
    actors,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
}
