import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { CacheModule } from '../libs/cache';
import { createValidationPipe, ProblemDetailsFilter } from '../libs/http';
import { MessagingModule } from '../libs/messaging';
import { CorrelationInterceptor, loggingModule } from '../libs/observability';
import { DatabaseModule } from '../libs/persistence';
import { MIGRATIONS } from '../migrations';
import { AppConfig } from './config/app-config';
import { HealthController } from './operations/health.controller';
import { MetricsController } from './operations/metrics.controller';
import { CatalogModule } from './modules/catalog';
import { InventoryModule } from './modules/inventory';
import { NotificationsModule } from './modules/notifications';
import { OrderingModule } from './modules/ordering';
import { PaymentsModule } from './modules/payments';

/** Composes the platform (database, messaging, observability) and the bounded contexts. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        loggingModule(config.logLevel),
        PrometheusModule.register({ path: '/metrics', controller: MetricsController, defaultMetrics: { enabled: true } }),
        CqrsModule.forRoot(),
        ScheduleModule.forRoot(),
        DatabaseModule.forRoot({ ...config.database, migrations: MIGRATIONS }),
        MessagingModule.forRoot({ transport: 'in-process', ...config.messaging }),
        CacheModule.forRoot(config.cache),
        CatalogModule.forRoot({ seedDemo: config.seedDemo, ...config.catalog }),
        InventoryModule.forRoot({ seedDemo: config.seedDemo }),
        PaymentsModule.forRoot(config.payments),
        NotificationsModule,
        OrderingModule.forRoot(config.saga),
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: CorrelationInterceptor },
      ],
    };
  }
}
