import { Command } from '@nestjs/cqrs';
import type { DocumentKind } from '../../domain/customer/customer.events.js';
import type { UploadType } from '../ports/upload-inspector.port.js';
import type { CommandContext } from '../shared/command-context.js';

/** An identity document of a customer: bytes already judged and cleaned (see UploadInspector). */
export class UploadDocumentCommand extends Command<{ documentId: string; position: bigint }> {
  constructor(
    readonly customerId: string,
    readonly file: { kind: DocumentKind; contentType: UploadType; bytes: Buffer },
    readonly ctx: CommandContext,
    /** Set when the caller acts as a customer: only its own record exists for it. */
    readonly ownerCustomerId?: string,
  ) {
    super();
  }
}
