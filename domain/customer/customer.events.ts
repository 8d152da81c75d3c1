import { eventTypes } from '../shared/decider.js';

export interface CustomerRegistered {
  type: 'CustomerRegistered';
  data: {
    customerId: string;
    name: string;
    /** Normalised: trimmed, lower-case. */
    email: string;
    phone: string | null;
    address: string | null;
    /** The user account that is this customer (self-registration), or null for a record staff keep. */
    userId: string | null;
    registeredAt: string;
  };
}

/**
 * The customer was erased (GDPR Art. 17): its data key is destroyed, so every personal field of its
 * events reads as erased from now on. Holds no personal data itself; `userId` is the account erased with it.
 */
export interface CustomerErased {
  type: 'CustomerErased';
  data: { customerId: string; userId: string | null; erasedAt: string };
}

/** What a customer wants to hear from the shop: reminders (transactional mail always goes), and in which language. */
export interface CustomerPreferences {
  reminders: boolean;
  /** `en`, `de`; null: the shop's default. */
  language: string | null;
}

/** The record changed: only the fields that changed are present (the preferences whole, as they are now). */
export interface CustomerUpdated {
  type: 'CustomerUpdated';
  data: {
    customerId: string;
    name?: string;
    phone?: string | null;
    address?: string | null;
    preferences?: CustomerPreferences;
    updatedAt: string;
  };
}

export const DOCUMENT_KINDS = ['id_card', 'passport', 'driving_licence'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * An identity document of the customer was uploaded: its bytes are in the blob store under the
 * document id, encrypted under the customer's key (erasure destroys both); this is what is known of it.
 */
export interface DocumentUploaded {
  type: 'DocumentUploaded';
  data: {
    customerId: string;
    documentId: string;
    kind: DocumentKind;
    /** Judged from the bytes (jpeg, png, webp or pdf), never from the name or the header. */
    contentType: string;
    size: number;
    uploadedAt: string;
  };
}

export type CustomerEvent = CustomerRegistered | CustomerUpdated | CustomerErased | DocumentUploaded;

export const customerEventTypes = eventTypes<CustomerEvent['type']>({
  CustomerRegistered: true,
  CustomerUpdated: true,
  CustomerErased: true,
  DocumentUploaded: true,
});

export const defaultPreferences = (): CustomerPreferences => ({ reminders: true, language: null });

export const customerStream = (customerId: string): string => `customer-${customerId}`;
