import { OrderErrors } from '../../domain/order/order.errors.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Clock } from '../../application/ports/clock.port.js';
import type { Logger } from '../../application/ports/logger.port.js';
import { CommandBus } from '@nestjs/cqrs';
import { CreateUserCommand } from '../../application/identity/create-user.command.js';
import { LoginCommand } from '../../application/identity/login.command.js';
import { systemContext } from '../../application/shared/command-context.js';
import type { Config } from '../../infrastructure/config/config.js';
import { openInfrastructure } from '../composition/infrastructure.js';
import { createApi, startProjector, startWorker } from '../composition/processes.js';

const write = (text: string) => process.stdout.write(`${text}\n`);
const eur = (amount: number, currency: string) => ({ amount, currency });
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * `npm run seed`: fills an empty shop with a living demo by sending commands through the API
 * (in-process, the same routes, validation and rules as HTTP clients): products, customers who can
 * sign in, and orders in every state with their payments. Refuses a shop that has any events.
 */
export async function seed(config: Config, logger: Logger): Promise<number> {
  const quiet = logger.child({ cli: 'seed' });
  const started = Date.now();
  const clock = new ShiftableClock();
  const infra = await openInfrastructure(config, quiet, { clock });
  if ((await infra.events.headPosition()) > 0n) {
    write(`The shop in ${config.dataDir} is not empty: seed only fills an empty one.`);
    write('Start over with a fresh DATA_DIR (or delete that folder), then run npm run seed again.');
    await infra.close();
    return 0;
  }
  const projector = await startProjector(infra, config, quiet);
  const app = await createApi(infra, config, quiet);
  const worker = await startWorker(app, infra, config, quiet);
  try {
    const seeder = await Seeder.create(app, config.currency);
    const made = await seeder.run();
    // One order in the last state: placed "an hour ago", its hold ran out, the worker expires it.
    // Access tokens live in the clock's time: the staff member signs in again on each side of the shift.
    clock.offsetMs = -3_600_000;
    await seeder.signIn();
    const stale = await seeder.placeForFirstCustomer();
    clock.offsetMs = 0;
    await seeder.signIn();
    await seeder.visible(stale);
    await worker.jobs.runNow('expire-holds');
    made.orders.push('expired (its hold ran out before it was confirmed)');
    summary(config, made, Date.now() - started).forEach((line) => write(line));
  } finally {
    await worker.stop();
    await app.close();
    await projector.stop();
    await infra.close();
  }
  return 0;
}

/** The system clock, shifted while the seed plays an order placed in the past. */
class ShiftableClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

/** What the seed made, for the summary it prints. */
interface Made {
  products: Array<{ sku: string; name: string; category: string }>;
  customers: number;
  signIns: Array<{ email: string; role: string; name: string }>;
  orders: string[];
  payments: number;
}

/** The lines `npm run seed` answers: what is in the shop now, and who signs in with which password. */
export function summary(config: Config, made: Made, ms: number): string[] {
  const categories = [...new Set(made.products.map((p) => p.category))].sort();
  const url = `http://${config.host}:${config.port}`;
  const width = Math.max(...made.signIns.map((s) => s.email.length));
  return [
    `Seeded a demo shop in ${config.dataDir} (${(ms / 1000).toFixed(1)} s), through the API's own routes:`,
    `  ${made.products.length} products in ${categories.length} categories (${categories.join(', ')})`,
    `  ${made.customers} customers, ${made.signIns.filter((s) => s.role === 'customer').length} of whom sign in`,
    `  ${made.orders.length} orders, one in each state:`,
    ...made.orders.map((o) => `    - ${o}`),
    `  ${made.payments} payments (sandbox card pm_card_ok)`,
    '',
    `Sign in with POST /v1/auth/login, password ${DEMO_PASSWORD} for everyone:`,
    ...made.signIns.map((s) => `  ${s.email.padEnd(width)}  ${s.role.padEnd(8)}  ${s.name}`),
    '',
    `Next: npm start, then open ${url}/docs (sign in, then Authorize with the accessToken).`,
    'An admin comes from ADMIN_EMAIL and ADMIN_PASSWORD when the server starts (README, Run it).',
  ];
}

const DEMO_PASSWORD = 'demo-password-123';
/** The demo's own people (names that the password policy does not find in `demo-password-123`). */
const STAFF = [
  { role: 'staff', email: 'staff@example.com', name: 'Sam Counter' },
  { role: 'analyst', email: 'analyst@example.com', name: 'Ana Figures' },
  { role: 'auditor', email: 'auditor@example.com', name: 'Avi Ledger' },
] as const;

class Seeder {
  /** The demo's staff member: the seed acts through the API as staff@example.com, signed in as anyone is. */
  private staff: Record<string, string> = {};
  private payments = 0;
  private constructor(
    private readonly app: NestFastifyApplication,
    private readonly currency: string,
  ) {}

  /** Creates the demo's staff, analyst and auditor (as an admin would) and signs in as the staff member. */
  static async create(app: NestFastifyApplication, currency: string): Promise<Seeder> {
    for (const { role, email, name } of STAFF) {
      await app
        .get(CommandBus)
        .execute(new CreateUserCommand({ email, password: DEMO_PASSWORD, name, roles: [role] }, systemContext('seed')));
    }
    const seeder = new Seeder(app, currency);
    await seeder.signIn();
    return seeder;
  }

  /** Signs in as the demo's staff member (a session of its own). */
  async signIn(): Promise<void> {
    const { accessToken } = await this.app
      .get(CommandBus)
      .execute(
        new LoginCommand(
          { email: 'staff@example.com', password: DEMO_PASSWORD },
          { userAgent: 'rentlog seed', ipAddress: null },
          systemContext('seed'),
        ),
      );
    this.staff = { authorization: `Bearer ${accessToken}` };
  }

  private async call(
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    headers = this.staff,
  ): Promise<Record<string, unknown>> {
    const res = await this.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    if (res.statusCode >= 400) throw new Error(`${method} ${url} answered ${res.statusCode}: ${res.body}`);
    if (method === 'POST' && url.endsWith('/payments')) this.payments++;
    return res.body ? (res.json() as Record<string, unknown>) : {};
  }

  async run(): Promise<Made> {
    const c = this.currency;
    const catalog: Array<[string, string, string, number, number, number, number]> = [
      ['TENT-6X12', 'Party tent 6 x 12 m', 'events', 18900, 50000, 3, 1],
      ['TENT-3X3', 'Pop-up tent 3 x 3 m', 'events', 3900, 10000, 8, 0],
      ['CHAIR-FOLD', 'Folding chair', 'events', 150, 500, 200, 0],
      ['DRILL-SDS', 'SDS hammer drill', 'tools', 2500, 8000, 4, 0],
      ['SAW-TABLE', 'Table saw', 'tools', 4500, 15000, 2, 1],
      ['LADDER-8M', 'Extension ladder 8 m', 'tools', 1800, 5000, 5, 0],
      ['VAN-L2H2', 'Cargo van L2H2', 'vehicles', 8900, 100000, 2, 1],
      ['TRAILER-750', 'Box trailer 750 kg', 'vehicles', 3500, 20000, 3, 0],
    ];
    const products: string[] = [];
    for (const [sku, name, category, rate, deposit, stock, bufferDays] of catalog) {
      const r = await this.call('POST', '/v1/products', {
        sku,
        name,
        category,
        dailyRate: eur(rate, c),
        deposit: eur(deposit, c),
        stock,
        bufferDays,
      });
      products.push(r.productId as string);
    }

    const people = [
      ['Ada Lovelace', 'ada@example.com'],
      ['Grace Hopper', 'grace@example.com'],
      ['Alan Turing', 'alan@example.com'],
    ];
    const customers: string[] = [];
    const signIns: Made['signIns'] = [];
    for (const [name, email] of people) {
      const r = await this.call('POST', '/v1/auth/register', { name, email, password: DEMO_PASSWORD }, {});
      customers.push(r.customerId as string);
      signIns.push({ email, role: 'customer', name });
    }
    for (const [name, email] of [
      ['Wedding Planners Ltd', 'bookings@weddings.example'],
      ['Builders & Sons', 'office@builders.example'],
    ]) {
      customers.push(
        (await this.call('POST', '/v1/customers', { name, email, phone: '+44 20 7946 0000' })).customerId as string,
      );
    }
    for (const { role, email, name } of STAFF) signIns.push({ email, role, name });

    const place = (customer: number, items: Array<[number, number]>, start: number, end: number) =>
      this.call('POST', '/v1/orders', {
        customerId: customers[customer],
        rentalStart: day(start),
        rentalEnd: day(end),
        items: items.map(([p, quantity]) => ({ productId: products[p], quantity })),
      });

    await place(
      0,
      [
        [1, 2],
        [2, 40],
      ],
      10,
      12,
    ); // reserved, waiting for its deposit
    const confirmed = await this.confirmWithDeposit(await place(1, [[0, 1]], 14, 16));
    const out = await this.confirmWithDeposit(
      await place(
        2,
        [
          [3, 1],
          [5, 1],
        ],
        0,
        3,
      ),
    );
    await this.call('POST', `/v1/orders/${out}/pickup`, {});
    const back = await this.confirmWithDeposit(await place(3, [[6, 1]], 0, 1));
    await this.call('POST', `/v1/orders/${back}/pickup`, {});
    await this.call('POST', `/v1/orders/${back}/return`, {
      damages: [{ productId: products[6], description: 'dent in the rear door', charge: eur(15000, c) }],
    });
    const closed = await this.confirmWithDeposit(await place(4, [[4, 1]], 0, 2));
    await this.call('POST', `/v1/orders/${closed}/pickup`, {});
    await this.call('POST', `/v1/orders/${closed}/return`, {});
    await this.settleAndClose(closed);
    const cancelled = await place(0, [[7, 1]], 30, 32);
    await this.call('POST', `/v1/orders/${cancelled.orderId as string}/cancel`, { reason: 'event moved to next year' });
    return {
      products: catalog.map(([sku, name, category]) => ({ sku, name, category })),
      customers: customers.length,
      signIns,
      orders: [
        'reserved (waiting for its deposit)',
        `confirmed (${confirmed.slice(0, 8)}, deposit paid)`,
        'picked up',
        'returned with a damage (a balance to settle)',
        'closed (settled)',
        'cancelled',
      ],
      payments: this.payments,
    };
  }

  /** An order of the first customer for the first product, a week out; answers its id. */
  async placeForFirstCustomer(): Promise<string> {
    const customers = (await this.call('GET', '/v1/customers?limit=1')).items as Array<{ customerId: string }>;
    const products = (await this.call('GET', '/v1/products?limit=1')).items as Array<{ productId: string }>;
    const placed = await this.call('POST', '/v1/orders', {
      customerId: customers[0].customerId,
      rentalStart: day(7),
      rentalEnd: day(8),
      items: [{ productId: products[0].productId, quantity: 1 }],
    });
    return placed.orderId as string;
  }

  /** Waits until the orders read model shows this order. */
  async visible(orderId: string): Promise<void> {
    await this.until(
      async () =>
        (await this.app.inject({ method: 'GET', url: `/v1/orders/${orderId}`, headers: this.staff })).statusCode ===
        200,
    );
  }

  /** Pays the deposit with the sandbox's test card, waits until the order knows, confirms. */
  private async confirmWithDeposit(placed: Record<string, unknown>): Promise<string> {
    const orderId = placed.orderId as string;
    const deposit = placed.deposit as { amount: number; currency: string };
    if (deposit.amount > 0) {
      const payment = await this.call('POST', `/v1/orders/${orderId}/payments`, {
        amount: deposit,
        purpose: 'deposit',
        paymentMethod: 'pm_card_ok',
      });
      await this.call('POST', `/v1/payments/${payment.paymentId as string}/capture`, {});
      await this.until(async () => {
        const res = await this.app.inject({
          method: 'POST',
          url: `/v1/orders/${orderId}/confirm`,
          headers: this.staff,
          payload: {},
        });
        return res.statusCode === 200;
      });
    } else {
      await this.call('POST', `/v1/orders/${orderId}/confirm`, {});
    }
    return orderId;
  }

  /** Pays what is owed, or refunds what is owed back, then closes once the order knows. */
  private async settleAndClose(orderId: string): Promise<void> {
    let order: Record<string, unknown> = {};
    await this.until(async () => {
      order = await this.call('GET', `/v1/orders/${orderId}`);
      return order.status === 'returned';
    });
    const balance = (order.balance as { amount: number; currency: string }).amount;
    if (balance > 0) {
      const p = await this.call('POST', `/v1/orders/${orderId}/payments`, {
        amount: eur(balance, this.currency),
        purpose: 'rental',
        paymentMethod: 'pm_card_ok',
      });
      await this.call('POST', `/v1/payments/${p.paymentId as string}/capture`, {});
    } else if (balance < 0) {
      const deposit = (order.payments as Array<{ paymentId: string; purpose: string }>).find(
        (p) => p.purpose === 'deposit',
      );
      if (deposit)
        await this.call('POST', `/v1/payments/${deposit.paymentId}/refund`, {
          amount: eur(-balance, this.currency),
          reason: 'deposit back',
        });
    }
    await this.until(async () => {
      const res = await this.app.inject({
        method: 'POST',
        url: `/v1/orders/${orderId}/close`,
        headers: this.staff,
        payload: {},
      });
      if (res.statusCode === 200) return true;
      if (res.json().code === OrderErrors.balanceOpen) return false;
      throw new Error(`closing ${orderId} answered ${res.statusCode}: ${res.body}`);
    });
  }

  private async until(done: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error('the shop did not settle in time (is the worker running?)');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
