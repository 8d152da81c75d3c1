/** The `customers` read model, as the query side sees it. */
export interface CustomerView {
  _id: string;
  [key: string]: unknown;
  customerId: string;
  name: string;
  /** Lower-cased name: the sort key, and what `q` searches (with the email). */
  nameKey: string;
  email: string;
  phone: string | null;
  address: string | null;
  userId: string | null;
  /** Orders placed by this customer. */
  orders: number;
  /** Stream revision of the last customer event: the ETag (order events do not move it). */
  revision: string;
  createdAt: string;
  updatedAt: string;
}

export const CUSTOMERS_READ_MODEL = 'customers';
