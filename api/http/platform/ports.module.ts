import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { CoreDeps } from '../../../application/shared/core-deps.js';

/** The port providers from the composition root, and the handlers' CoreDeps over them, visible to every feature module. */
@Module({})
export class PortsModule {
  static register(ports: Provider[]): DynamicModule {
    const tokens = ports.map((p) => (typeof p === 'function' ? p : p.provide));
    return { module: PortsModule, global: true, providers: [...ports, CoreDeps], exports: [...tokens, CoreDeps] };
  }
}
