import { decideProduct } from '../../../domain/product/product.decide.js';
import type { ProductCommand } from '../../../domain/product/product.commands.js';
import type { ProductEvent } from '../../../domain/product/product.events.js';
import { evolveProduct, initialProductState } from '../../../domain/product/product.state.js';
import { skuClaimDecider, skuKey } from '../../../domain/product/sku.js';
import { deciderSpec } from '../../support/decider-spec.js';
import { eur } from '../../support/fixtures.js';

const spec = deciderSpec({ decide: decideProduct, evolve: evolveProduct, initialState: initialProductState });
const now = '2026-01-01T10:00:00.000Z';
const registered: ProductEvent = {
  type: 'ProductRegistered',
  data: {
    productId: 'p1',
    sku: 'DRL-1',
    name: 'Drill',
    category: 'tools',
    dailyRate: eur(1500),
    deposit: eur(5000),
    stock: 3,
    bufferDays: 1,
    registeredAt: now,
  },
};
const register = (
  overrides: Partial<Extract<ProductCommand, { type: 'RegisterProduct' }>['data']> = {},
): ProductCommand => ({
  type: 'RegisterProduct',
  data: {
    productId: 'p1',
    sku: ' DRL-1 ',
    name: 'Drill',
    category: 'tools',
    dailyRate: eur(1500),
    deposit: eur(5000),
    stock: 3,
    bufferDays: 1,
    currency: 'EUR',
    now,
    ...overrides,
  },
});
const retired: ProductEvent = { type: 'ProductRetired', data: { productId: 'p1', retiredAt: now } };

describe('Product decider', () => {
  describe('RegisterProduct', () => {
    it('registers a new product with a trimmed sku', () => spec.given([]).when(register()).then([registered]));
    it('refuses a second registration', () =>
      spec.given([registered]).when(register()).thenThrows('PRODUCT_ALREADY_REGISTERED'));
    it('refuses another currency', () =>
      spec
        .given([])
        .when(register({ dailyRate: { amount: 100, currency: 'USD' } }))
        .thenThrows('CURRENCY_NOT_SUPPORTED'));
    it('refuses a negative deposit', () =>
      spec
        .given([])
        .when(register({ deposit: eur(-1) }))
        .thenThrows('MONEY_INVALID'));
    it('refuses negative stock', () =>
      spec
        .given([])
        .when(register({ stock: -1 }))
        .thenThrows('PRODUCT_INVALID'));
    it('refuses too many buffer days', () =>
      spec
        .given([])
        .when(register({ bufferDays: 31 }))
        .thenThrows('PRODUCT_INVALID'));
    it('refuses a blank name', () =>
      spec
        .given([])
        .when(register({ name: '  ' }))
        .thenThrows('PRODUCT_INVALID'));
  });

  describe('RepriceProduct', () => {
    const reprice = (dailyRate: number, deposit?: number): ProductCommand => ({
      type: 'RepriceProduct',
      data: {
        dailyRate: eur(dailyRate),
        deposit: deposit === undefined ? undefined : eur(deposit),
        currency: 'EUR',
        now,
      },
    });
    it('reprices, keeping the deposit when none is given', () =>
      spec
        .given([registered])
        .when(reprice(2000))
        .then([
          {
            type: 'ProductRepriced',
            data: {
              productId: 'p1',
              dailyRate: eur(2000),
              deposit: eur(5000),
              previousDailyRate: eur(1500),
              previousDeposit: eur(5000),
              repricedAt: now,
            },
          },
        ]));
    it('changes the deposit too', () =>
      spec
        .given([registered])
        .when(reprice(1500, 7000))
        .then([
          {
            type: 'ProductRepriced',
            data: {
              productId: 'p1',
              dailyRate: eur(1500),
              deposit: eur(7000),
              previousDailyRate: eur(1500),
              previousDeposit: eur(5000),
              repricedAt: now,
            },
          },
        ]));
    it('records nothing when the price is unchanged', () => spec.given([registered]).when(reprice(1500)).then([]));
    it('refuses an unknown product', () => spec.given([]).when(reprice(2000)).thenThrows('PRODUCT_NOT_FOUND'));
    it('refuses a retired product', () =>
      spec.given([registered, retired]).when(reprice(2000)).thenThrows('PRODUCT_RETIRED'));
    it('refuses another currency', () =>
      spec
        .given([registered])
        .when({ type: 'RepriceProduct', data: { dailyRate: { amount: 1, currency: 'GBP' }, currency: 'EUR', now } })
        .thenThrows('CURRENCY_NOT_SUPPORTED'));
  });

  describe('AdjustStock', () => {
    const adjust = (delta: number): ProductCommand => ({ type: 'AdjustStock', data: { delta, reason: 'count', now } });
    it('adds units', () =>
      spec
        .given([registered])
        .when(adjust(2))
        .then([
          {
            type: 'ProductStockAdjusted',
            data: { productId: 'p1', delta: 2, stock: 5, reason: 'count', adjustedAt: now },
          },
        ]));
    it('removes units down to zero', () =>
      spec
        .given([registered])
        .when(adjust(-3))
        .then([
          {
            type: 'ProductStockAdjusted',
            data: { productId: 'p1', delta: -3, stock: 0, reason: 'count', adjustedAt: now },
          },
        ]));
    it('refuses to drop below zero', () => spec.given([registered]).when(adjust(-4)).thenThrows('STOCK_BELOW_ZERO'));
    it('refuses a zero delta', () => spec.given([registered]).when(adjust(0)).thenThrows('PRODUCT_INVALID'));
    it('refuses an unknown product', () => spec.given([]).when(adjust(1)).thenThrows('PRODUCT_NOT_FOUND'));
    it('refuses a retired product', () =>
      spec.given([registered, retired]).when(adjust(1)).thenThrows('PRODUCT_RETIRED'));
  });

  describe('RetireProduct', () => {
    const retire: ProductCommand = { type: 'RetireProduct', data: { now } };
    it('retires an active product', () => spec.given([registered]).when(retire).then([retired]));
    it('is a no-op on a retired product', () => spec.given([registered, retired]).when(retire).then([]));
    it('refuses an unknown product', () => spec.given([]).when(retire).thenThrows('PRODUCT_NOT_FOUND'));
  });
});

describe('SKU claim', () => {
  const spec2 = deciderSpec(skuClaimDecider);
  const claimed = { type: 'UniqueValueClaimed' as const, data: { scope: 'sku' as const, ownerId: 'p1' } };
  it('claims a free sku', () =>
    spec2
      .given([])
      .when({ type: 'ClaimUniqueValue', data: { ownerId: 'p1' } })
      .then([claimed]));
  it('is idempotent for the same product', () =>
    spec2
      .given([claimed])
      .when({ type: 'ClaimUniqueValue', data: { ownerId: 'p1' } })
      .then([]));
  it('refuses another product', () =>
    spec2
      .given([claimed])
      .when({ type: 'ClaimUniqueValue', data: { ownerId: 'p2' } })
      .thenThrows('SKU_TAKEN'));
  it('normalises the stream name', () => expect(skuClaimDecider.streamOf(skuKey(' Drl 1/A '))).toBe('sku-drl%201%2Fa'));
});
