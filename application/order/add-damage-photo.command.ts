import type { UploadType } from '../ports/upload-inspector.port.js';
import type { CommandContext } from '../shared/command-context.js';
import { OrderCommand } from './order-command.js';

/** A damage photo of an order's goods (staff): an image already judged and re-encoded (see UploadInspector). */
export class AddDamagePhotoCommand extends OrderCommand<{ photoId: string; position: bigint }> {
  constructor(
    orderId: string,
    readonly photo: { contentType: UploadType; bytes: Buffer; caption: string | null },
    ctx: CommandContext,
  ) {
    super(orderId, ctx);
  }
}
