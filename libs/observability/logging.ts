import { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { MessageContext } from '../messaging/message-context';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * pino JSON logs through nestjs-pino. Every line logged while handling a request or a message
 * carries its correlation and causation ids (from MessageContext). Requests are logged by the
 * Fastify hooks of `instrumentHttp`, which also own the correlation id of a request.
 */
export function loggingModule(level: string): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level,
      mixin: () => {
        const context = MessageContext.current();
        return context ? { correlationId: context.correlationId, causationId: context.causationId } : {};
      },
    },
    // No pino-http middleware: request ids and request logs come from Fastify itself.
    forRoutes: [],
  });
}
