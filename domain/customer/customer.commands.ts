export interface RegisterCustomer {
  type: 'RegisterCustomer';
  data: {
    customerId: string;
    name: string;
    email: string;
    phone?: string | null;
    address?: string | null;
    userId?: string | null;
    now: string;
  };
}

export interface EraseCustomer {
  type: 'EraseCustomer';
  data: { now: string };
}

export type CustomerCommand = RegisterCustomer | EraseCustomer;
