import type { Logger } from '../../application/ports/logger.port.js';
import { EraseInactiveCustomersJob } from '../../application/privacy/erase-inactive-customers.job.js';
import type { Config } from '../../infrastructure/config/config.js';
import { openInfrastructure } from '../composition/infrastructure.js';
import { createApi } from '../composition/processes.js';

const write = (text: string) => process.stdout.write(`${text}\n`);

/**
 * `rentlog privacy rewrap`: every data key rewrapped under MASTER_KEY (after a rotation: the old key
 * in MASTER_KEYS_PREVIOUS until this has run). `rentlog privacy erase-inactive`: the retention job
 * once, now (RETENTION_ERASE_AFTER_DAYS).
 */
export async function privacyCommand(config: Config, logger: Logger, args: string[]): Promise<number> {
  const [sub] = args;
  if (sub !== 'rewrap' && sub !== 'erase-inactive') {
    process.stderr.write('Usage: rentlog privacy rewrap | erase-inactive\n');
    return 2;
  }
  const quiet = logger.child({ cli: 'privacy' });
  const infra = await openInfrastructure(config, quiet);
  try {
    if (sub === 'rewrap') {
      write(`rewrapped ${await infra.keyVault.rewrap()} data keys under the current master key`);
      return 0;
    }
    if (!config.retentionEraseAfterDays) {
      write('Retention is off: set RETENTION_ERASE_AFTER_DAYS to erase customers with no order for that long.');
      return 0;
    }
    const app = await createApi(infra, config, quiet);
    try {
      const { erased, checked } = await app.get(EraseInactiveCustomersJob).run();
      write(`erased ${erased} of ${checked} customers with no order for ${config.retentionEraseAfterDays} days`);
    } finally {
      await app.close();
    }
    return 0;
  } finally {
    await infra.close();
  }
}
