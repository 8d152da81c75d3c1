import {
  uploadRefId,
  UPLOADS_READ_MODEL,
  type CustomerUploadsDoc,
  type UploadRefDoc,
  type UploadsDoc,
} from '../../application/customer/uploads.view.js';
import type { CustomerErased, DocumentUploaded } from '../../domain/customer/customer.events.js';
import type { DamagePhotoAdded } from '../../domain/order/order.events.js';
import type { Projection } from '../runner/projection.js';

type Input = DocumentUploaded | DamagePhotoAdded | CustomerErased;

const fileIdOf = (event: DocumentUploaded | DamagePhotoAdded) =>
  event.type === 'DocumentUploaded' ? event.data.documentId : event.data.photoId;

const emptyFor = (customerId: string): CustomerUploadsDoc => ({
  _id: customerId,
  kind: 'customer',
  customerId,
  documents: [],
  photos: [],
});

/**
 * Uploads: each customer's documents and its orders' damage photos (see uploads.view.ts). An upload
 * changes its customer's document and adds the file's own `file:<id>` reference; an erasure empties
 * the customer's lists for good (references hold ids only, and lead to nothing once it is erased).
 */
export const uploadsProjection: Projection<UploadsDoc, Input> = {
  name: UPLOADS_READ_MODEL,
  personalData: true,
  version: 1,
  collection: UPLOADS_READ_MODEL,
  indexes: [{ fields: { kind: 1 } }],
  handles: new Set<string>(['DocumentUploaded', 'DamagePhotoAdded', 'CustomerErased']),
  keys: (event) =>
    event.type === 'CustomerErased' ? [event.data.customerId] : [event.data.customerId, uploadRefId(fileIdOf(event))],
  apply(doc, event, id) {
    if (event.type === 'CustomerErased')
      return { ...emptyFor(event.data.customerId), erased: true } satisfies CustomerUploadsDoc;
    if (id !== event.data.customerId) {
      const ref: UploadRefDoc = {
        _id: id,
        kind: 'file',
        fileId: fileIdOf(event),
        file: event.type === 'DocumentUploaded' ? 'document' : 'photo',
        customerId: event.data.customerId,
        orderId: event.type === 'DamagePhotoAdded' ? event.data.orderId : null,
      };
      return ref;
    }
    const current = doc?.kind === 'customer' ? doc : emptyFor(event.data.customerId);
    if (current.erased) return current;
    if (event.type === 'DocumentUploaded') {
      const { customerId: _c, uploadedAt, ...entry } = event.data;
      if (current.documents.some((d) => d.documentId === entry.documentId)) return current;
      return { ...current, documents: [...current.documents, { ...entry, uploadedAt }] };
    }
    const { customerId: _c, addedAt, ...photo } = event.data;
    if (current.photos.some((p) => p.photoId === photo.photoId)) return current;
    return { ...current, photos: [...current.photos, { ...photo, uploadedAt: addedAt }] };
  },
};
