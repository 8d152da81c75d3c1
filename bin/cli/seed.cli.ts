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
  const clock = new ShiftableClock();
  const infra = await openInfrastructure(config, quiet, { clock });
  if ((await infra.events.headPosition()) > 0n) {
    write('The shop is not empty: seed only fills an empty one (start over with a fresh DATA_DIR).');
    await infra.close();
    return 0;
  }
  const projector = await startProjector(infra, config, quiet);
  const app = await createApi(infra, config, quiet);
  const worker = await startWorker(app, infra, quiet);
  try {
    const seeder = await Seeder.create(app, config.currency);
    await seeder.run();
    // One order in the last state: placed "an hour ago", its hold ran out, the worker expires it.
    // Access tokens live in the clock's time: the staff member signs in again on each side of the shift.
    clock.offsetMs = -3_600_000;
    await seeder.signIn();
    const stale = await seeder.placeForFirstCustomer();
    clock.offsetMs = 0;
    await seeder.signIn();
    await seeder.visible(stale);
    await worker.scheduler.runNow('expire-holds');
    write(`and one expired order (${stale.slice(0, 8)}): its hold ran out before it was confirmed`);
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

const DEMO_PASSWORD = 'demo-password-123';
const DEMO_NAMES = { staff: 'Sam Counter', analyst: 'Ana Figures', auditor: 'Avi Ledger' } as const;

class Seeder {
  private constructor(
    private readonly app: NestFastifyApplication,
    private readonly currency: string,
  ) {}

  /** The demo's staff member: the seed acts through the API as staff@example.com. */
  private staff: Record<string, string> = {};

  /** Creates the demo's staff, analyst and auditor (as the admin bootstrap would) and signs in as the staff member. */
  static async create(app: NestFastifyApplication, currency: string): Promise<Seeder> {
    const bus = app.get(CommandBus);
    const ctx = systemContext('seed');
    for (const role of ['staff', 'analyst', 'auditor'] as const) {
      await bus.execute(
        new CreateUserCommand(
          { email: `${role}@example.com`, password: DEMO_PASSWORD, name: DEMO_NAMES[role], roles: [role] },
          ctx,
        ),
      );
    }
    const seeder = new Seeder(app, currency);
    await seeder.signIn();
    return seeder;
  }

  /** Signs in as the demo's staff member, as anyone would (a session of its own). */
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
    return res.body ? (res.json() as Record<string, unknown>) : {};
  }

  async run(): Promise<void> {
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
    write(`${products.length} products`);

    const people = [
      ['Ada Lovelace', 'ada@example.com'],
      ['Grace Hopper', 'grace@example.com'],
      ['Alan Turing', 'alan@example.com'],
    ];
    const customers: string[] = [];
    for (const [name, email] of people) {
      const r = await this.call('POST', '/v1/auth/register', { name, email, password: 'demo-password-123' }, {});
      customers.push(r.customerId as string);
    }
    for (const [name, email] of [
      ['Wedding Planners Ltd', 'bookings@weddings.example'],
      ['Builders & Sons', 'office@builders.example'],
    ]) {
      customers.push(
        (await this.call('POST', '/v1/customers', { name, email, phone: '+44 20 7946 0000' })).customerId as string,
      );
    }
    write(`${customers.length} customers (ada@, grace@ and alan@example.com sign in with demo-password-123)`);
    write('staff@, analyst@ and auditor@example.com sign in with demo-password-123 too');

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
    write(`orders: reserved, confirmed (${confirmed.slice(0, 8)}), picked up, returned with damage, closed, cancelled`);
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
