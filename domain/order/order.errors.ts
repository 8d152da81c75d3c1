export const OrderErrors = {
  notFound: 'ORDER_NOT_FOUND',
  alreadyPlaced: 'ORDER_ALREADY_PLACED',
  invalid: 'ORDER_INVALID',
  notConfirmable: 'ORDER_NOT_CONFIRMABLE',
  holdExpired: 'ORDER_HOLD_EXPIRED',
  depositNotCovered: 'DEPOSIT_NOT_COVERED',
  notExtendable: 'ORDER_NOT_EXTENDABLE',
  notCancellable: 'ORDER_NOT_CANCELLABLE',
  notExpirable: 'ORDER_NOT_EXPIRABLE',
  notPickable: 'ORDER_NOT_PICKABLE',
  notReturnable: 'ORDER_NOT_RETURNABLE',
  notClosable: 'ORDER_NOT_CLOSABLE',
  balanceOpen: 'BALANCE_OPEN',
  notPayable: 'ORDER_NOT_PAYABLE',
  paymentExceedsBalance: 'PAYMENT_EXCEEDS_BALANCE',
  notRefundable: 'ORDER_NOT_REFUNDABLE',
  /** Damage photos are taken while the goods are out or once they are back, not before. */
  notPhotographable: 'ORDER_NOT_PHOTOGRAPHABLE',
  /** A return's damage names a photo that was not added to this order. */
  damagePhotoUnknown: 'DAMAGE_PHOTO_UNKNOWN',
  photoNotFound: 'ORDER_PHOTO_NOT_FOUND',
  /** A customer ordering for itself already holds as many orders or units as it may (staff are exempt). */
  holdLimitReached: 'HOLD_LIMIT_REACHED',
  /** A customer ordering for itself asked for a longer rental than it may book (staff are exempt). */
  rentalTooLong: 'RENTAL_TOO_LONG',
} as const;
