import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { CommandPath } from './command-path.js';
import { CoreDeps } from './core-deps.js';

/**
 * The port providers from the composition root, the one command path over them and the handlers'
 * CoreDeps, visible to every area's module.
 */
@Module({})
export class PortsModule {
  static register(ports: Provider[]): DynamicModule {
    const tokens = ports.map((p) => (typeof p === 'function' ? p : p.provide));
    return {
      module: PortsModule,
      global: true,
      providers: [...ports, CoreDeps, CommandPath],
      exports: [...tokens, CoreDeps, CommandPath],
    };
  }
}
