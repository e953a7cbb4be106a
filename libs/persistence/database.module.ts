import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource, DatabaseOptions, isEmbedded } from './data-source.factory';

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/** Where the data lives, for health and start-up logs. */
@Injectable()
export class DatabaseInfo {
  constructor(@Inject(DATABASE_OPTIONS) private readonly options: DatabaseOptions) {}

  get embedded(): boolean {
    return isEmbedded(this.options);
  }

  get description(): string {
    return this.embedded ? `embedded PGlite (${this.options.dataDir})` : 'PostgreSQL';
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_OPTIONS, useValue: options },
        { provide: DataSource, useFactory: () => createDataSource(options) },
        DataSourceCloser,
        DatabaseInfo,
      ],
      exports: [DataSource, DatabaseInfo],
    };
  }
}
