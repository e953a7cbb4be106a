import { DynamicModule, LoggerService } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream, Level, Logger, LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';
import { MessageContext } from '../messaging/message-context';
import { REDACTED, redactSecrets, redactText } from './logging-redaction';
import { activeTraceIds } from './tracing';

export const CORRELATION_HEADER = 'x-correlation-id';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['json', 'pretty'] as const;

export interface LogOptions {
  level: (typeof LOG_LEVELS)[number];
  /** `json`: one JSON object a line, for collectors; `pretty`: coloured text, for a person at a terminal. */
  format: (typeof LOG_FORMATS)[number];
}

/**
 * Headers of a request or response that a serializer shapes as it writes the line (pino-http's
 * `req` and `res`): those objects do not exist yet when `formatters.log` runs, so they are
 * redacted by path.
 */
const SERIALIZED_SECRET_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

/**
 * The process' pino logger. Every line logged while handling a request or a message carries its
 * correlation and causation ids (from MessageContext). Writes are synchronous, so the lines
 * before a `process.exit` are not lost. No line carries a secret: fields named like one
 * (`authorization`, `cookie`, `token`, `password`, `email`, …, see `isSecretField`) read
 * `[redacted]` at any depth, and e-mail addresses in messages and values are replaced.
 * `destination`: where lines go instead of stdout.
 */
export function createLogger(options: LogOptions, destination?: DestinationStream): Logger {
  const settings: LoggerOptions = {
    level: options.level,
    mixin: () => {
      const context = MessageContext.current();
      return { ...(context && { correlationId: context.correlationId, causationId: context.causationId }), ...activeTraceIds() };
    },
    redact: { paths: SERIALIZED_SECRET_PATHS, censor: REDACTED },
    formatters: { log: (object) => redactSecrets(object) },
    hooks: {
      logMethod(args, method) {
        const redacted = args.map((arg: unknown) => (typeof arg === 'string' ? redactText(arg) : arg));
        method.apply(this, redacted as Parameters<typeof method>);
      },
    },
  };
  if (options.format === 'json') return destination ? pino(settings, destination) : pino(settings);
  return pino(
    settings,
    pinoPretty({
      sync: true,
      colorize: process.stdout.isTTY === true,
      ignore: 'pid,hostname,context',
      messageFormat: '{if context}[{context}] {end}{msg}',
      ...(destination && { destination }),
    }),
  );
}

/**
 * Nest's own start-up narration (each module, controller and route as it is set up) and its
 * report of an error that stops the start (the start-up reporter prints that one, on one line):
 * logged at debug, so a start says little more than where it is ready.
 */
const NARRATING_CONTEXTS = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestApplication',
  'ExceptionHandler',
]);

type NestLevel = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';

const PINO_LEVEL_OF: Record<NestLevel, Level> = {
  log: 'info',
  error: 'error',
  warn: 'warn',
  debug: 'debug',
  verbose: 'trace',
  fatal: 'fatal',
};

/**
 * Nest's logger interface over pino, for NestFactory's `logger` option: what Nest and every
 * `new Logger(context)` log goes to the same pino lines as the rest, from the first line on.
 * Nest passes the context as the last argument, and for errors a stack before it.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(nestLevel: NestLevel, message: unknown, params: unknown[]): void {
    const context = params.length > 0 && typeof params.at(-1) === 'string' ? (params.at(-1) as string) : undefined;
    const stack = nestLevel === 'error' && params.length > 1 && typeof params[0] === 'string' ? params[0] : undefined;
    const level = context !== undefined && NARRATING_CONTEXTS.has(context) ? 'debug' : PINO_LEVEL_OF[nestLevel];
    if (!this.logger.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = context === undefined ? {} : { context };
    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...message });
    } else {
      this.logger[level](stack === undefined ? fields : { ...fields, stack }, String(message));
    }
  }
}

/**
 * nestjs-pino, for injected `PinoLogger`s. No pino-http middleware: request ids and request logs
 * come from Fastify itself (see `instrumentHttp`).
 */
export function loggingModule(options: LogOptions): DynamicModule {
  return LoggerModule.forRoot({ pinoHttp: { logger: createLogger(options) }, forRoutes: [] });
}
