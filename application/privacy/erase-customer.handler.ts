import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { customerDecider } from '../../domain/customer/customer.decider.js';
import { normaliseEmail } from '../../domain/identity/user-email.js';
import { signInDecider } from '../../domain/identity/sign-in.decider.js';
import { userDecider } from '../../domain/identity/user.decider.js';
import { customerSubject, signInSubject, userSubject } from '../../domain/shared/personal-data.js';
import { BLIND_INDEX, type BlindIndex } from '../ports/blind-index.port.js';
import { BLOB_STORE, type BlobStore } from '../ports/blob-store.port.js';
import { KEY_VAULT, type KeyVault } from '../ports/key-vault.port.js';
import { CommandPath, latest } from '../shared/command-path.js';
import { CoreDeps } from '../shared/core-deps.js';
import { EraseCustomerCommand } from './erase-customer.command.js';

/**
 * Erasure by crypto-shredding. `CustomerErased` (and `UserErased` for the account behind the
 * customer) are appended first, then the subjects' data keys are destroyed: the customer's, its
 * user's, and the key of the failed sign-ins of its email. From then on every personal field
 * encrypted under them, in events, read models and backups alike, reads as `[erased]`; the event log
 * is otherwise unchanged. Erasing again appends nothing and destroys the keys again (a crash between
 * the events and the keys is mended by repeating the request). The customer's uploaded files (its
 * documents, its orders' damage photos: all under its key) are deleted from the blob store after the keys.
 */
@CommandHandler(EraseCustomerCommand)
export class EraseCustomerHandler implements ICommandHandler<EraseCustomerCommand> {
  constructor(
    private readonly path: CommandPath,
    private readonly deps: CoreDeps,
    @Inject(KEY_VAULT) private readonly vault: KeyVault,
    @Inject(BLIND_INDEX) private readonly index: BlindIndex,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async execute({ customerId, ctx }: EraseCustomerCommand) {
    const now = this.deps.now();
    const loaded = await this.path.load(customerDecider, customerId);
    const emails = loaded.state.status === 'registered' ? [loaded.state.email] : [];
    const customer = await this.path.handle(
      customerDecider,
      customerId,
      { type: 'EraseCustomer', data: { now } },
      ctx,
      {
        loaded,
      },
    );
    const userId = customer.state.status === 'erased' ? customer.state.userId : null;
    let position = customer.position;
    if (userId) {
      const user = await this.path.load(userDecider, userId);
      if (user.state.status === 'registered' && !user.state.erased) emails.push(user.state.email);
      if (user.state.status === 'registered')
        position = latest(
          position,
          (await this.path.handle(userDecider, userId, { type: 'EraseUser', data: { now } }, ctx, { loaded: user }))
            .position,
        );
    }
    const subjects = [
      customerSubject(customerId),
      ...(userId ? [userSubject(userId)] : []),
      ...emails.map((e) => signInSubject(signInDecider.streamOf(this.index.of('user-email', normaliseEmail(e))))),
    ];
    for (const subject of subjects) await this.vault.destroy(subject);
    // Its documents and its orders' damage photos: unreadable since the key went, and now gone too.
    const deleted = await this.blobs.deleteSubject(customerSubject(customerId));
    if (deleted > 0) this.deps.logger.info('erased customer files deleted', { customerId, files: deleted });
    return { position: position ?? 0n };
  }
}
