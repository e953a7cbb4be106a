import { DynamicModule, Global, Module } from '@nestjs/common';
import { CircuitBreakerModule, CircuitBreakerRegistry } from '../resilience';
import { ChainClients, ChainClientsOptions, DEFAULT_CHAIN_CLIENTS_OPTIONS } from './chain-clients';
import type { ChainConfig } from './chains';

/**
 * The enabled chains' clients, one set per process: every context that reads or writes a chain
 * shares each endpoint's breaker, so one failing endpoint opens one circuit, shown once.
 */
@Global()
@Module({})
export class ChainModule {
  static forRoot(chains: readonly ChainConfig[], options: ChainClientsOptions = DEFAULT_CHAIN_CLIENTS_OPTIONS): DynamicModule {
    return {
      module: ChainModule,
      imports: [CircuitBreakerModule],
      providers: [{ provide: ChainClients, useFactory: (breakers: CircuitBreakerRegistry) => new ChainClients(chains, options, breakers), inject: [CircuitBreakerRegistry] }],
      exports: [ChainClients],
    };
  }
}
