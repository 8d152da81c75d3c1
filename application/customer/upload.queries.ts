import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CustomerErrors } from '../../domain/customer/customer.errors.js';
import { OrderErrors } from '../../domain/order/order.errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { customerSubject } from '../../domain/shared/personal-data.js';
import { BLOB_STORE, type BlobStore } from '../ports/blob-store.port.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { CUSTOMERS_READ_MODEL, type CustomerView } from './customer.view.js';
import {
  uploadRefId,
  UPLOADS_READ_MODEL,
  type CustomerUploadsDoc,
  type DocumentEntry,
  type UploadRefDoc,
  type UploadsDoc,
} from './uploads.view.js';

export interface FileContent {
  contentType: string;
  bytes: Buffer;
}

/** A customer's documents (metadata); a caller acting as a customer (`ownerCustomerId`) reaches only its own. */
export class ListDocumentsQuery extends Query<{ items: DocumentEntry[] }> {
  constructor(
    readonly customerId: string,
    readonly ownerCustomerId?: string,
  ) {
    super();
  }
}

/** A document's bytes, for staff, admins and its own customer. */
export class DocumentContentQuery extends Query<FileContent> {
  constructor(
    readonly documentId: string,
    readonly ownerCustomerId?: string,
  ) {
    super();
  }
}

/** A damage photo of an order, for staff, admins and the order's customer. */
export class PhotoContentQuery extends Query<FileContent> {
  constructor(
    readonly orderId: string,
    readonly photoId: string,
    readonly ownerCustomerId?: string,
  ) {
    super();
  }
}

const visible = (customerId: string, owner: string | undefined) => owner === undefined || owner === customerId;

@QueryHandler(ListDocumentsQuery)
export class ListDocumentsHandler implements IQueryHandler<ListDocumentsQuery> {
  constructor(@Inject(READ_STORE) private readonly store: ReadStore) {}

  async execute({ customerId, ownerCustomerId }: ListDocumentsQuery) {
    const customer = visible(customerId, ownerCustomerId)
      ? await this.store.collection<CustomerView>(CUSTOMERS_READ_MODEL).findById(customerId)
      : null;
    if (!customer) throw new DomainError(CustomerErrors.notFound, `No customer ${customerId}`);
    const uploads = await this.store.collection<UploadsDoc>(UPLOADS_READ_MODEL).findById(customerId);
    const documents = uploads?.kind === 'customer' && !customer.erased ? uploads.documents : [];
    return {
      items: documents.map(({ documentId, kind, contentType, size, uploadedAt }) => ({
        documentId,
        kind,
        contentType,
        size,
        uploadedAt,
      })),
    };
  }
}

/** The file a reference names, with its customer's entry for it; null when unknown, erased or not the caller's. */
async function find(store: ReadStore, fileId: string, owner: string | undefined) {
  const uploads = store.collection<UploadsDoc>(UPLOADS_READ_MODEL);
  const ref = (await uploads.findById(uploadRefId(fileId))) as UploadRefDoc | null;
  if (!ref || ref.kind !== 'file' || !visible(ref.customerId, owner)) return null;
  const customer = (await uploads.findById(ref.customerId)) as CustomerUploadsDoc | null;
  if (!customer || customer.kind !== 'customer' || customer.erased) return null;
  return { ref, customer };
}

@QueryHandler(DocumentContentQuery)
export class DocumentContentHandler implements IQueryHandler<DocumentContentQuery> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async execute({ documentId, ownerCustomerId }: DocumentContentQuery): Promise<FileContent> {
    const found = await find(this.store, documentId, ownerCustomerId);
    const entry = found?.customer.documents.find((d) => d.documentId === documentId);
    const bytes = found && entry ? await this.blobs.get(customerSubject(found.ref.customerId), documentId) : null;
    if (!entry || !bytes) throw new DomainError(CustomerErrors.documentNotFound, `No document ${documentId}`);
    return { contentType: entry.contentType, bytes };
  }
}

@QueryHandler(PhotoContentQuery)
export class PhotoContentHandler implements IQueryHandler<PhotoContentQuery> {
  constructor(
    @Inject(READ_STORE) private readonly store: ReadStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async execute({ orderId, photoId, ownerCustomerId }: PhotoContentQuery): Promise<FileContent> {
    const found = await find(this.store, photoId, ownerCustomerId);
    const entry = found?.customer.photos.find((p) => p.photoId === photoId && p.orderId === orderId);
    const bytes = found && entry ? await this.blobs.get(customerSubject(found.ref.customerId), photoId) : null;
    if (!entry || !bytes) throw new DomainError(OrderErrors.photoNotFound, `No photo ${photoId} of order ${orderId}`);
    return { contentType: entry.contentType, bytes };
  }
}
