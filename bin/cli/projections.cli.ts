import { SingleBar, Presets } from 'cli-progress';
import type { Logger } from '../../application/ports/logger.port.js';
import type { Config } from '../../infrastructure/config/config.js';
import { Projector } from '../../projections/runner/projector.js';
import { openInfrastructure } from '../composition/infrastructure.js';
import { projectionsOf, projectionsService } from '../composition/processes.js';

const write = (text: string) => process.stdout.write(`${text}\n`);

/** `rentlog projections status` and `rentlog projections rebuild <name>`. */
export async function projectionsCommand(config: Config, logger: Logger, args: string[]): Promise<number> {
  const [sub, name] = args;
  if (sub !== 'status' && sub !== 'rebuild') {
    process.stderr.write('Usage: rentlog projections status | rebuild <name>\n');
    return 2;
  }
  const quiet = logger.child({ cli: 'projections' });
  const infra = await openInfrastructure(config, quiet);
  try {
    if (sub === 'status') {
      const status = await projectionsService(infra, config).status();
      write(['name', 'version', 'position', 'lag(events)', 'lag(s)', 'status', 'parked', 'last error'].join('\t'));
      for (const p of status) {
        write(
          [
            p.name,
            p.version,
            p.position,
            `${p.lag.events}${p.lag.capped ? '+' : ''}`,
            p.lag.seconds,
            p.status,
            p.parked,
            p.lastError ?? '',
          ].join('\t'),
        );
      }
      return 0;
    }
    const allProjections = projectionsOf(config);
    if (!name || !allProjections.some((p) => p.name === name)) {
      process.stderr.write(`Name a projection to rebuild: ${allProjections.map((p) => p.name).join(', ')}\n`);
      return 2;
    }
    const projector = new Projector({
      projections: allProjections,
      events: infra.events,
      store: infra.store,
      logger: quiet,
      clock: infra.clock,
      batchSize: config.projectionBatchSize,
    });
    const bar = new SingleBar(
      {
        format: `rebuild ${name} [{bar}] {percentage}% | {value}/{total} events | {duration}s`,
        stream: process.stderr,
      },
      Presets.shades_classic,
    );
    let started = false;
    const started_at = Date.now();
    await projector.rebuild(name, ({ position, target }) => {
      const total = Math.max(1, Number(target));
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(Math.min(Number(position), total));
    });
    if (started) bar.stop();
    write(`rebuilt ${name} in ${((Date.now() - started_at) / 1000).toFixed(1)} s`);
    return 0;
  } finally {
    await infra.close();
  }
}
