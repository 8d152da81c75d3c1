import type { Money } from '../shared/money.js';

export interface RegisterProduct {
  type: 'RegisterProduct';
  data: {
    productId: string;
    sku: string;
    name: string;
    category: string;
    dailyRate: Money;
    deposit: Money;
    stock: number;
    bufferDays: number;
    /** The deployment's currency: prices in any other are refused. */
    currency: string;
    now: string;
  };
}

export interface RepriceProduct {
  type: 'RepriceProduct';
  data: { dailyRate: Money; deposit?: Money; currency: string; now: string };
}

export interface AdjustStock {
  type: 'AdjustStock';
  data: { delta: number; reason: string; now: string };
}

export interface RetireProduct {
  type: 'RetireProduct';
  data: { now: string };
}

export type ProductCommand = RegisterProduct | RepriceProduct | AdjustStock | RetireProduct;
