import { noPersonalData, type PersonalDataOf } from '../shared/personal-data.js';
import type { ProductEvent } from './product.events.js';

const money = (at: string) => [`${at}.currency`];

/** The catalog and its bookings hold no personal data (bookings name orders, not people). */
export const productPersonalData: PersonalDataOf<ProductEvent> = {
  ProductRegistered: noPersonalData(
    'productId',
    'sku',
    'name',
    'category',
    ...money('dailyRate'),
    ...money('deposit'),
    'registeredAt',
  ),
  ProductRepriced: noPersonalData(
    'productId',
    ...money('dailyRate'),
    ...money('deposit'),
    ...money('previousDailyRate'),
    ...money('previousDeposit'),
    'repricedAt',
  ),
  ProductStockAdjusted: noPersonalData('productId', 'reason', 'adjustedAt'),
  ProductRetired: noPersonalData('productId', 'retiredAt'),
  UnitsHeld: noPersonalData('productId', 'orderId', 'from', 'to', 'holdExpiresAt', 'heldAt'),
  HoldConfirmed: noPersonalData('productId', 'orderId', 'confirmedAt'),
  BookingExtended: noPersonalData('productId', 'orderId', 'previousTo', 'to', 'extendedAt'),
  UnitsReleased: noPersonalData('productId', 'orderId', 'reason', 'releasedAt'),
};
