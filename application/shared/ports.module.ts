import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { CommandPath } from './command-path.js';
import { CoreDeps } from './core-deps.js';
import { JOB_QUEUE } from '../ports/job-queue.port.js';
import { DurableJobQueue } from './durable-job-queue.js';

/**
 * The port providers from the composition root, the one command path over them, the handlers'
 * CoreDeps and the job queue (over the job store port), visible to every area's module.
 */
@Module({})
export class PortsModule {
  static register(ports: Provider[]): DynamicModule {
    const tokens = ports.map((p) => (typeof p === 'function' ? p : p.provide));
    return {
      module: PortsModule,
      global: true,
      providers: [...ports, CoreDeps, CommandPath, { provide: JOB_QUEUE, useClass: DurableJobQueue }],
      exports: [...tokens, CoreDeps, CommandPath, JOB_QUEUE],
    };
  }
}
