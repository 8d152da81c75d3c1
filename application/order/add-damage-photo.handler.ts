import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { orderDecider } from '../../domain/order/order.decider.js';
import { customerSubject } from '../../domain/shared/personal-data.js';
import { BLOB_STORE, type BlobStore } from '../ports/blob-store.port.js';
import { CommandPath } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { AddDamagePhotoCommand } from './add-damage-photo.command.js';
import { factsOf, visibleTo } from './order-command.js';

/**
 * The photo's bytes go into the blob store under the order's customer (its key encrypts them, its
 * erasure deletes them), then `DamagePhotoAdded` through the command path; a refused command deletes
 * the bytes again. A return's damages may then name the photo.
 */
@CommandHandler(AddDamagePhotoCommand)
export class AddDamagePhotoHandler implements ICommandHandler<AddDamagePhotoCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async execute({ orderId, photo, ctx }: AddDamagePhotoCommand) {
    const guard = visibleTo(undefined);
    const loaded = await this.path.load(orderDecider, orderId);
    guard(loaded.state);
    const subject = customerSubject(factsOf(loaded.state).customerId);
    const photoId = this.deps.ids.uuid();
    await this.blobs.put(subject, photoId, photo.bytes);
    try {
      const result = await this.path.handle(
        orderDecider,
        orderId,
        {
          type: 'AddDamagePhoto',
          data: {
            photoId,
            contentType: photo.contentType,
            size: photo.bytes.length,
            caption: photo.caption?.trim() ? photo.caption.trim() : null,
            now: this.deps.now(),
          },
        },
        ctx,
        { loaded, guard, expectedRevision: ctx.ifMatch },
      );
      return { photoId, position: result.position! };
    } catch (error) {
      await this.blobs.delete(subject, photoId);
      throw error;
    }
  }
}
