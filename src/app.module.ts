import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { AuthModule } from '../libs/auth';
import { CacheModule } from '../libs/cache';
import { ChainModule } from '../libs/chain';
import { createValidationPipe, ProblemDetailsFilter } from '../libs/http';
import { ContextName } from '../libs/contracts/message';
import { MessageTopology, MessagingModule } from '../libs/messaging';
import { CorrelationInterceptor, loggingModule } from '../libs/observability';
import { DatabaseModule } from '../libs/persistence';
import { RateLimitModule } from '../libs/rate-limit';
import { MIGRATIONS } from '../migrations';
import { AppConfig } from './config/app-config';
import { ConsoleModule } from './console/console.module';
import { HostedProviderSimulator } from './hosted-provider-simulator';
import { HealthController } from './operations/health.controller';
import { MetricsController } from './operations/metrics.controller';
import { CatalogModule } from './modules/catalog';
import { IdentityModule } from './modules/identity';
import { InventoryModule } from './modules/inventory';
import { NotificationsModule } from './modules/notifications';
import { OrderingModule } from './modules/ordering';
import { PaymentsModule } from './modules/payments';
import { ReceiptsModule } from './modules/receipts';

/** The provider simulator this process hosts: where it hosts payments and no PAYMENT_PROVIDER_URL names a provider. */
function hostedProviderSimulator(config: AppConfig): HostedProviderSimulator | undefined {
  if (!config.modules.includes('payments') || config.payments.providerUrl !== undefined) return undefined;
  return new HostedProviderSimulator({ latencyMs: config.payments.providerLatencyMs, failureRate: config.payments.providerFailureRate });
}

/** Every bounded context, whether this process hosts it or not. */
function boundedContexts(config: AppConfig, simulator?: HostedProviderSimulator): Record<ContextName, DynamicModule | Type> {
  const { providerUrl, providerLatencyMs, providerFailureRate, ...payments } = config.payments;
  return {
    catalog: CatalogModule.forRoot({ seedDemo: config.seedDemo, ...config.catalog }),
    inventory: InventoryModule.forRoot({ seedDemo: config.seedDemo }),
    payments: PaymentsModule.forRoot({
      // Only a process hosting payments calls it, and such a process has one or the other.
      providerUrl: providerUrl ?? (() => simulator!.url()),
      ...payments,
      paymentMethodRefs: config.paymentMethodRefs,
    }),
    notifications: NotificationsModule.forRoot({
      ...config.notifications,
      // Unset, SMS and push go to the simulator where this process hosts one (`npm start`); elsewhere they are kept NOT_SENT.
      smsProviderUrl: config.notifications.smsProviderUrl ?? (simulator && (() => simulator.url())),
      pushProviderUrl: config.notifications.pushProviderUrl ?? (simulator && (() => simulator.url())),
    }),
    ordering: OrderingModule.forRoot({ saga: config.saga, admission: config.admission, paymentMethodRefs: config.paymentMethodRefs }),
    identity: IdentityModule.forRoot(config.identity),
    receipts: ReceiptsModule.forRoot(config.receipts),
  };
}

function providersOf(module: DynamicModule | Type): Provider[] {
  if ('module' in module) return [...(module.providers ?? [])];
  return (Reflect.getMetadata(MODULE_METADATA.PROVIDERS, module) as Provider[] | undefined) ?? [];
}

function topologyOf(contexts: Record<ContextName, DynamicModule | Type>): MessageTopology {
  return MessageTopology.fromProviders(Object.values(contexts).flatMap(providersOf));
}

/**
 * Composes the platform (database, messaging, observability) and the bounded contexts named in
 * MODULES. The message topology is read from every context, hosted or not, so messages for the
 * contexts running elsewhere are routed to Kafka.
 */
@Module({})
export class AppModule {
  /** Which context consumes which message, across every context. */
  static topology(config: AppConfig): MessageTopology {
    return topologyOf(boundedContexts(config));
  }

  static forRoot(config: AppConfig): DynamicModule {
    const simulator = hostedProviderSimulator(config);
    const contexts = boundedContexts(config, simulator);
    const topology = topologyOf(contexts);
    return {
      module: AppModule,
      imports: [
        loggingModule(config.log),
        PrometheusModule.register({ path: '/metrics', controller: MetricsController, defaultMetrics: { enabled: true } }),
        CqrsModule.forRoot(),
        ScheduleModule.forRoot(),
        DatabaseModule.forRoot({ ...config.database, migrations: MIGRATIONS }),
        MessagingModule.forRoot({ ...config.messaging, hosted: config.modules, topology }),
        CacheModule.forRoot(config.cache),
        AuthModule.forRoot(config.auth),
        ChainModule.forRoot(config.web3.chains, config.web3.rpc),
        ...config.modules.map((context) => contexts[context]),
        ConsoleModule.forRoot(config.console),
        // Last, so its guard runs after every other global guard: limits count the user authentication found.
        RateLimitModule.forRoot(config.rateLimit),
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: CorrelationInterceptor },
        // A provider of this module, so the application's shutdown stops it.
        ...(simulator ? [{ provide: HostedProviderSimulator, useValue: simulator }] : []),
      ],
    };
  }
}
