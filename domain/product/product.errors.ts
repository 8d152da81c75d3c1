export const ProductErrors = {
  alreadyRegistered: 'PRODUCT_ALREADY_REGISTERED',
  notFound: 'PRODUCT_NOT_FOUND',
  retired: 'PRODUCT_RETIRED',
  invalid: 'PRODUCT_INVALID',
  stockBelowZero: 'STOCK_BELOW_ZERO',
  skuTaken: 'SKU_TAKEN',
} as const;

export type ProductErrorCode = (typeof ProductErrors)[keyof typeof ProductErrors];
