import type { CustomerCommand, RegisterCustomer } from '../../../domain/customer/customer.commands.js';
import { decideCustomer } from '../../../domain/customer/customer.decide.js';
import type { CustomerEvent } from '../../../domain/customer/customer.events.js';
import { evolveCustomer, initialCustomerState } from '../../../domain/customer/customer.state.js';
import { deciderSpec } from '../../support/decider-spec.js';

const spec = deciderSpec({ decide: decideCustomer, evolve: evolveCustomer, initialState: initialCustomerState });
const now = '2026-01-01T10:00:00.000Z';
const register = (overrides: Partial<RegisterCustomer['data']> = {}): CustomerCommand => ({
  type: 'RegisterCustomer',
  data: {
    customerId: 'c1',
    name: ' Ann Lee ',
    email: 'Ann@Example.com',
    phone: ' +49 30 1234 ',
    address: 'Main St 1',
    now,
    ...overrides,
  },
});
const registered: CustomerEvent = {
  type: 'CustomerRegistered',
  data: {
    customerId: 'c1',
    name: 'Ann Lee',
    email: 'ann@example.com',
    phone: '+49 30 1234',
    address: 'Main St 1',
    userId: null,
    registeredAt: now,
  },
};

describe('Customer decider', () => {
  it('registers a customer, normalising its email and trimming its fields', () =>
    spec.given([]).when(register()).then([registered]));
  it('records absent or blank phone and address as null, and the linked user', () =>
    spec
      .given([])
      .when(register({ phone: undefined, address: '  ', userId: 'u1' }))
      .then([{ type: 'CustomerRegistered', data: { ...registered.data, phone: null, address: null, userId: 'u1' } }]));
  it('refuses a second registration', () =>
    spec.given([registered]).when(register()).thenThrows('CUSTOMER_ALREADY_REGISTERED'));
  it('refuses a blank name', () =>
    spec
      .given([])
      .when(register({ name: ' ' }))
      .thenThrows('CUSTOMER_INVALID'));
  it('refuses a malformed email', () =>
    spec
      .given([])
      .when(register({ email: 'ann' }))
      .thenThrows('CUSTOMER_INVALID'));
  const erase: CustomerCommand = { type: 'EraseCustomer', data: { now } };
  const erased: CustomerEvent = { type: 'CustomerErased', data: { customerId: 'c1', userId: 'u1', erasedAt: now } };
  it('erases a customer, naming the user account erased with it', () =>
    spec
      .given([{ ...registered, data: { ...registered.data, userId: 'u1' } }])
      .when(erase)
      .then([erased]));
  it('erases a customer once: again decides nothing', () =>
    spec
      .given([registered, { ...erased, data: { ...erased.data, userId: null } }])
      .when(erase)
      .then([]));
  it('refuses to erase a customer that does not exist', () =>
    spec.given([]).when(erase).thenThrows('CUSTOMER_NOT_FOUND'));
  it('refuses to register an erased customer again', () =>
    spec.given([registered, erased]).when(register()).thenThrows('CUSTOMER_ALREADY_REGISTERED'));
  const update = (
    data: Omit<Extract<CustomerCommand, { type: 'UpdateCustomer' }>['data'], 'now'>,
  ): CustomerCommand => ({
    type: 'UpdateCustomer',
    data: { ...data, now },
  });
  it('changes only what changes: the name trimmed, a removed phone, the preferences whole', () =>
    spec
      .given([registered])
      .when(update({ name: ' Ann Lee-Park ', phone: null, address: 'Main St 1', preferences: { language: 'de' } }))
      .then([
        {
          type: 'CustomerUpdated',
          data: {
            customerId: 'c1',
            name: 'Ann Lee-Park',
            phone: null,
            preferences: { reminders: true, language: 'de' },
            updatedAt: now,
          },
        },
      ]));
  it('decides nothing when nothing changes', () =>
    spec
      .given([registered])
      .when(update({ name: 'Ann Lee', preferences: { reminders: true } }))
      .then([]));
  it('keeps the preferences it had when only one of them changes', () =>
    spec
      .given([
        registered,
        {
          type: 'CustomerUpdated',
          data: { customerId: 'c1', preferences: { reminders: false, language: 'de' }, updatedAt: now },
        },
      ])
      .when(update({ preferences: { reminders: true } }))
      .then([
        {
          type: 'CustomerUpdated',
          data: { customerId: 'c1', preferences: { reminders: true, language: 'de' }, updatedAt: now },
        },
      ]));
  it('refuses a blank name and an unknown language', () =>
    spec
      .given([registered])
      .when(update({ name: ' ', preferences: { language: 'fr' } }))
      .thenThrows('CUSTOMER_INVALID'));
  it('refuses to change a customer that does not exist, or was erased', () => {
    spec
      .given([])
      .when(update({ name: 'X' }))
      .thenThrows('CUSTOMER_NOT_FOUND');
    spec
      .given([registered, erased])
      .when(update({ name: 'X' }))
      .thenThrows('CUSTOMER_NOT_FOUND');
  });
  const upload: CustomerCommand = {
    type: 'UploadDocument',
    data: { documentId: 'd1', kind: 'passport', contentType: 'application/pdf', size: 42, now },
  };
  it('records an uploaded document of a registered customer', () =>
    spec
      .given([registered])
      .when(upload)
      .then([
        {
          type: 'DocumentUploaded',
          data: {
            customerId: 'c1',
            documentId: 'd1',
            kind: 'passport',
            contentType: 'application/pdf',
            size: 42,
            uploadedAt: now,
          },
        },
      ]));
  it('refuses documents of an unknown or an erased customer', () => {
    spec.given([]).when(upload).thenThrows('CUSTOMER_NOT_FOUND');
    spec.given([registered, erased]).when(upload).thenThrows('CUSTOMER_NOT_FOUND');
  });
});
