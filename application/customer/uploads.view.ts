import type { DocumentKind } from '../../domain/customer/customer.events.js';
import type { PersonalDocFields } from '../privacy/personal-documents.js';

/**
 * The `uploads` read model: what is known of each customer's uploaded files (identity documents, and
 * the damage photos of its orders), one document per customer, plus one small document per file that
 * says whose it is (`file:<id>`: ids only), so a file is found by its id. The bytes are in the blob
 * store; an erased customer's lists are emptied (its blobs are deleted and its key destroyed).
 */
export const UPLOADS_READ_MODEL = 'uploads';

export interface DocumentEntry {
  documentId: string;
  kind: DocumentKind;
  contentType: string;
  size: number;
  uploadedAt: string;
}

export interface PhotoEntry {
  photoId: string;
  orderId: string;
  contentType: string;
  size: number;
  caption: string | null;
  uploadedAt: string;
}

export interface CustomerUploadsDoc {
  _id: string;
  [key: string]: unknown;
  kind: 'customer';
  customerId: string;
  documents: DocumentEntry[];
  photos: PhotoEntry[];
  erased?: true;
}

export interface UploadRefDoc {
  _id: string;
  [key: string]: unknown;
  kind: 'file';
  fileId: string;
  file: 'document' | 'photo';
  customerId: string;
  orderId: string | null;
}

export type UploadsDoc = CustomerUploadsDoc | UploadRefDoc;

export const uploadRefId = (fileId: string): string => `file:${fileId}`;

/** A photo's caption is free text about the customer's rental: sealed under its key. */
export const uploadsDocPersonalFields: PersonalDocFields = {
  subject: (doc) =>
    doc.kind === 'customer' && typeof doc.customerId === 'string' ? `customer:${doc.customerId}` : null,
  sealed: ['photos[].caption'],
};
