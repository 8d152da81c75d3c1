export const ProductErrors = {
  alreadyRegistered: 'PRODUCT_ALREADY_REGISTERED',
  notFound: 'PRODUCT_NOT_FOUND',
  retired: 'PRODUCT_RETIRED',
  invalid: 'PRODUCT_INVALID',
  stockBelowZero: 'STOCK_BELOW_ZERO',
  skuTaken: 'SKU_TAKEN',
  unitsUnavailable: 'UNITS_UNAVAILABLE',
  stockBelowBookings: 'STOCK_BELOW_BOOKINGS',
  holdNotFound: 'HOLD_NOT_FOUND',
  holdExpired: 'HOLD_EXPIRED',
} as const;

export type ProductErrorCode = (typeof ProductErrors)[keyof typeof ProductErrors];
