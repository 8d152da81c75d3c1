import { Inject, Injectable } from '@nestjs/common';
import { userDecider } from '../../domain/identity/user.decider.js';
import { CUSTOMERS_READ_MODEL, type CustomerView } from '../customer/customer.view.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { isLanguage, type Language } from './notification-templates.js';

export interface Recipient {
  to: string;
  name: string;
  language: Language;
  reminders: boolean;
  customerId: string | null;
  userId: string | null;
}

/**
 * Who a notification goes to, as they are now: a customer from the customers read model (its address,
 * name and preferences), a user from its stream (with its customer's preferences when it has a
 * customer record). Null: nobody to send to (erased, unknown, a user with no account stream).
 */
@Injectable()
export class Recipients {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
  ) {}

  async of(target: { customerId?: string | null; userId?: string | null }): Promise<Recipient | null> {
    if (target.customerId) {
      const customer = await this.customer(target.customerId);
      return customer && !customer.erased
        ? {
            to: customer.email,
            name: customer.name,
            ...this.preferencesOf(customer),
            customerId: customer.customerId,
            userId: customer.userId,
          }
        : null;
    }
    if (!target.userId) return null;
    const { state } = await this.path.load(userDecider, target.userId);
    if (state.status !== 'registered' || state.erased) return null;
    const customer = state.customerId ? await this.customer(state.customerId) : null;
    if (customer?.erased) return null;
    return {
      to: state.email,
      name: state.name,
      ...this.preferencesOf(customer),
      customerId: customer?.customerId ?? state.customerId ?? null,
      userId: state.userId,
    };
  }

  private customer(customerId: string): Promise<CustomerView | null> {
    return this.store.collection<CustomerView>(CUSTOMERS_READ_MODEL).findById(customerId);
  }

  private preferencesOf(customer: CustomerView | null): { language: Language; reminders: boolean } {
    const chosen = customer?.preferences?.language;
    return {
      language: isLanguage(chosen) ? chosen : (this.deps.settings.notifications?.defaultLanguage ?? 'en'),
      reminders: customer?.preferences?.reminders ?? true,
    };
  }
}
