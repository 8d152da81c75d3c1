import { Module, type DynamicModule, type Provider } from '@nestjs/common';

/** The port providers from the composition root, visible to every feature module. */
@Module({})
export class PortsModule {
  static register(ports: Provider[]): DynamicModule {
    const tokens = ports.map((p) => (typeof p === 'function' ? p : p.provide));
    return { module: PortsModule, global: true, providers: ports, exports: tokens };
  }
}
