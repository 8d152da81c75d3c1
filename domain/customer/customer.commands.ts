import type { DocumentKind } from './customer.events.js';

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

/** Changes the record: only the fields given; a null phone or address removes it. */
export interface UpdateCustomer {
  type: 'UpdateCustomer';
  data: {
    name?: string;
    phone?: string | null;
    address?: string | null;
    preferences?: { reminders?: boolean; language?: string };
    now: string;
  };
}

/** An identity document, stored already in the blob store under `documentId`. */
export interface UploadDocument {
  type: 'UploadDocument';
  data: { documentId: string; kind: DocumentKind; contentType: string; size: number; now: string };
}

export type CustomerCommand = RegisterCustomer | UpdateCustomer | EraseCustomer | UploadDocument;
