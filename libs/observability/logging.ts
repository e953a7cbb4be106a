import { DynamicModule } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { MessageContext } from '../messaging/message-context';
import { newId } from '../persistence/ids';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * pino JSON logs. A request's correlation id comes from `x-correlation-id` or is made here,
 * is echoed in the response, and every line logged while handling it or a message it caused
 * carries it (through MessageContext).
 */
export function loggingModule(level: string): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const given = req.headers[CORRELATION_HEADER];
        const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : newId();
        req.headers[CORRELATION_HEADER] = id;
        res.setHeader(CORRELATION_HEADER, id);
        return id;
      },
      customProps: (req: IncomingMessage) => ({ correlationId: req.headers[CORRELATION_HEADER] }),
      mixin: () => {
        const context = MessageContext.current();
        return context ? { correlationId: context.correlationId, causationId: context.causationId } : {};
      },
      autoLogging: { ignore: (req: IncomingMessage) => /^\/(health|metrics)/.test(req.url ?? '') },
      quietReqLogger: true,
    },
  });
}
