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
      dailyRate: { amount: 1000, currency: 'EUR' },
      deposit: { amount: 5000, currency: 'EUR' },
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

export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
