import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { customerDecider } from '../../domain/customer/customer.decider.js';
import { CustomerErrors } from '../../domain/customer/customer.errors.js';
import type { CustomerState } from '../../domain/customer/customer.state.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { customerSubject } from '../../domain/shared/personal-data.js';
import { BLOB_STORE, type BlobStore } from '../ports/blob-store.port.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { UploadDocumentCommand } from './upload-document.command.js';

/** An unknown or erased customer, and for a caller acting as a customer anyone else, is "not found". */
const uploadableBy = (owner: string | undefined) => (state: CustomerState) => {
  if (state.status !== 'registered' || (owner !== undefined && state.customerId !== owner))
    throw new DomainError(CustomerErrors.notFound, 'No such customer');
};

/**
 * The bytes go into the blob store first (encrypted under the customer's key, under a new id), then
 * `DocumentUploaded` through the command path; when the command is refused the bytes are deleted
 * again, so a blob without its event is left behind only by a crash in between (never readable: no
 * read model names it).
 */
@CommandHandler(UploadDocumentCommand)
export class UploadDocumentHandler implements ICommandHandler<UploadDocumentCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async execute({ customerId, file, ctx, ownerCustomerId }: UploadDocumentCommand) {
    const guard = uploadableBy(ownerCustomerId);
    const loaded = await this.path.load(customerDecider, customerId);
    guard(loaded.state);
    const documentId = this.deps.ids.uuid();
    const subject = customerSubject(customerId);
    await this.blobs.put(subject, documentId, file.bytes);
    try {
      const result = await this.path.handle(
        customerDecider,
        customerId,
        {
          type: 'UploadDocument',
          data: {
            documentId,
            kind: file.kind,
            contentType: file.contentType,
            size: file.bytes.length,
            now: this.deps.now(),
          },
        },
        ctx,
        { loaded, guard },
      );
      return { documentId, position: result.position! };
    } catch (error) {
      await this.blobs.delete(subject, documentId);
      throw error;
    }
  }
}
