import { eur } from './fixtures.js';
import type { TestApp } from './test-app.js';

/** Small helpers to set a shop up through its HTTP API, as a client would. */
export function shop(t: TestApp) {
  const staff = () => t.authAs(['staff']);
  const post = (url: string, payload: unknown, headers: Record<string, string> = staff()) =>
    t.app.inject({ method: 'POST', url, payload: payload as object, headers });
  const get = (url: string, headers: Record<string, string> = staff()) => t.app.inject({ method: 'GET', url, headers });

  async function product(overrides: Record<string, unknown> = {}): Promise<string> {
    const res = await post('/v1/products', {
      sku: `SKU-${Math.random().toString(36).slice(2, 10)}`,
      name: 'Party tent',
      category: 'events',
      dailyRate: eur(1000),
      deposit: eur(5000),
      stock: 1,
      bufferDays: 0,
      ...overrides,
    });
    if (res.statusCode !== 201) throw new Error(`product: ${res.statusCode} ${res.body}`);
    return res.json().productId;
  }

  async function customer(name = 'Ada Lovelace'): Promise<string> {
    const res = await post('/v1/customers', { name, email: `${Math.random().toString(36).slice(2, 10)}@example.com` });
    if (res.statusCode !== 201) throw new Error(`customer: ${res.statusCode} ${res.body}`);
    return res.json().customerId;
  }

  return { staff, post, get, product, customer };
}
