import { DynamicModule, Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { ConsoleController } from './console.controller';
import { CONSOLE_OPTIONS, type ConsoleOptions } from './console.options';

/** Serves the operations console (console/, built into dist/console) at /console. */
@Module({})
export class ConsoleModule implements OnModuleInit {
  constructor(@Inject(CONSOLE_OPTIONS) private readonly options: ConsoleOptions) {}

  static forRoot(options: ConsoleOptions): DynamicModule {
    return {
      module: ConsoleModule,
      controllers: [ConsoleController],
      providers: [{ provide: CONSOLE_OPTIONS, useValue: options }],
    };
  }

  onModuleInit(): void {
    if (this.options.loginRequired) return;
    new Logger('Console').warn(
      'CONSOLE_AUTH=off: the operations console at /console lets anyone who reaches this port in as staff, without a login. Development only',
    );
  }
}
