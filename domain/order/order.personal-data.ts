import { customerSubject, noPersonalData, type PersonalDataOf } from '../shared/personal-data.js';
import type { OrderEvent } from './order.events.js';

const money = (at: string) => [`${at}.currency`];
const line = (at: string) => [
  `${at}[].productId`,
  `${at}[].sku`,
  `${at}[].name`,
  ...money(`${at}[].dailyRate`),
  ...money(`${at}[].unitDeposit`),
  ...money(`${at}[].lineTotal`),
];
const refs = ['items[].productId'];
const ofCustomer = (d: { customerId: string }) => customerSubject(d.customerId);

/** Product facts, amounts and dates are what accounting keeps; the address and free text are the person's. */
export const orderPersonalData: PersonalDataOf<OrderEvent> = {
  OrderPlaced: {
    subject: ofCustomer,
    personal: ['fulfilment.address'],
    plain: [
      'orderId',
      'customerId',
      'rentalStart',
      'rentalEnd',
      ...line('items'),
      ...money('subtotal'),
      ...money('deposit'),
      'holdExpiresAt',
      'fulfilment.method',
      'placedAt',
    ],
  },
  OrderConfirmed: noPersonalData('orderId', 'customerId', ...refs, 'confirmedAt'),
  OrderExtended: noPersonalData(
    'orderId',
    'previousRentalEnd',
    'rentalEnd',
    ...line('items'),
    ...money('subtotal'),
    'extendedAt',
  ),
  OrderCancelled: {
    subject: ofCustomer,
    personal: ['reason'],
    plain: ['orderId', 'customerId', ...money('cancellationFee'), ...refs, 'cancelledAt'],
  },
  OrderExpired: noPersonalData('orderId', 'customerId', ...refs, 'expiredAt'),
  OrderPickedUp: noPersonalData('orderId', 'customerId', ...refs, 'pickedUpAt'),
  OrderReturned: {
    subject: ofCustomer,
    personal: ['damages[].description'],
    plain: [
      'orderId',
      'customerId',
      'returnedOn',
      ...money('lateFee'),
      'damages[].productId',
      ...money('damages[].charge'),
      'damages[].photoIds[]',
      ...money('damageCharges'),
      ...refs,
      'returnedAt',
    ],
  },
  OrderClosed: noPersonalData('orderId', 'customerId', 'closedAt'),
  // The bytes are in the blob store, encrypted under the same key; the caption is free text.
  DamagePhotoAdded: {
    subject: ofCustomer,
    personal: ['caption'],
    plain: ['orderId', 'customerId', 'photoId', 'contentType', 'addedAt'],
  },
  OrderPaymentUpdated: noPersonalData(
    'orderId',
    'paymentId',
    'purpose',
    'status',
    ...money('amount'),
    ...money('authorized'),
    ...money('captured'),
    ...money('refunded'),
    'sourceEventId',
  ),
};
