import { isStartupError } from '../libs/startup';
import type { AppConfig } from './config/app-config';

/** The settings a start-up failure can be blamed on. */
interface StartupSettings {
  port: number;
  host: string;
  databaseUrl?: string;
  kafkaBrokers?: string[];
}

/** What Node, pg and kafkajs put on their errors; any of it may be missing. */
interface ErrorFields {
  code?: unknown;
  syscall?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  cause?: unknown;
}

/** An error and its causes (kafkajs wraps the socket error, TypeORM may wrap the driver's). */
function chainOf(error: unknown): (Error & ErrorFields)[] {
  const chain: (Error & ErrorFields)[] = [];
  for (let current = error; current instanceof Error && chain.length < 10; current = (current as ErrorFields).cause) {
    chain.push(current);
  }
  return chain;
}

/** Every kafkajs error class is named KafkaJS…; kafkajs itself is loaded only when Kafka is used. */
function isKafkaError(error: Error): boolean {
  return error.name.startsWith('KafkaJS');
}

function codeOf(error: ErrorFields): string | undefined {
  return typeof error.code === 'string' ? error.code : undefined;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

function unreachable(error: ErrorFields): string | undefined {
  switch (codeOf(error)) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host ${typeof error.hostname === 'string' ? `"${error.hostname}" ` : ''}not found`;
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return undefined;
  }
}

function listenFailure(error: ErrorFields, settings: StartupSettings): string | undefined {
  if (error.syscall !== 'listen' && !(codeOf(error) === 'ENOTFOUND' && error.hostname === settings.host)) return undefined;
  switch (codeOf(error)) {
    case 'EADDRINUSE':
      return `PORT ${settings.port} is in use by another process: stop it or set PORT`;
    case 'EACCES':
      return `PORT ${settings.port} needs privileges this process lacks: set PORT above 1023`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `HOST ${settings.host} is not an address of this machine: set HOST (0.0.0.0 listens on every interface)`;
    default:
      return undefined;
  }
}

/** Where DATABASE_URL points, without its password. */
function databaseTarget(databaseUrl: string): { server: string; user: string; database: string } {
  const url = new URL(databaseUrl);
  return {
    server: `${url.hostname || 'localhost'}:${url.port || '5432'}`,
    user: decodeURIComponent(url.username) || 'the default user',
    database: decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username),
  };
}

/** SQLSTATEs of a refused login: classified by code, never by the server's wording. */
function databaseFailure(error: ErrorFields, databaseUrl: string): string | undefined {
  const { server, user, database } = databaseTarget(databaseUrl);
  const reason = unreachable(error);
  switch (reason === undefined ? codeOf(error) : 'unreachable') {
    case 'unreachable':
      return `DATABASE_URL: cannot reach PostgreSQL at ${server} (${reason}): start it or correct the host and port in DATABASE_URL`;
    case '28000':
      return `DATABASE_URL: PostgreSQL at ${server} does not admit user "${user}" (no such role, or pg_hba.conf refuses it): create the role or correct the user in DATABASE_URL`;
    case '28P01':
      return `DATABASE_URL: PostgreSQL at ${server} refused the password of user "${user}": correct the password in DATABASE_URL`;
    case '3D000':
      return `DATABASE_URL: database "${database}" does not exist on ${server}: create it (createdb ${database}) or correct the database name in DATABASE_URL`;
    default:
      return undefined;
  }
}

function kafkaFailure(error: Error & ErrorFields, brokers: string[]): string {
  const reason = chainOf(error).map(unreachable).find((found) => found !== undefined);
  const detail = reason ?? error.message;
  return `KAFKA_BROKERS: cannot use Kafka at ${brokers.join(',')} (${detail}): start the brokers or correct KAFKA_BROKERS`;
}

/** A Node socket error aimed at the database server, rather than at Redis or a broker. */
function aimsAtDatabase(error: ErrorFields, databaseUrl: string): boolean {
  const { hostname, port } = new URL(databaseUrl);
  if (typeof error.hostname === 'string') return error.hostname === hostname;
  return error.port === Number(port || 5432);
}

/**
 * One line naming the setting to change, for the failures an operator causes and can fix;
 * undefined for anything else (a bug, whose stack is worth printing).
 */
export function describeStartupFailure(error: unknown, config: AppConfig | undefined): string | undefined {
  const chain = chainOf(error);
  const userFacing = chain.find(isStartupError);
  if (userFacing) return userFacing.message.replace(/\s*\n\s*/g, ' ');
  if (config === undefined) return undefined;
  const settings: StartupSettings = {
    port: config.port,
    host: config.host,
    databaseUrl: config.database.url,
    kafkaBrokers: config.messaging.kafka?.brokers,
  };
  for (const link of chain) {
    const listen = listenFailure(link, settings);
    if (listen) return listen;
    if (isKafkaError(link) && settings.kafkaBrokers) return kafkaFailure(link, settings.kafkaBrokers);
    const code = codeOf(link);
    if (settings.databaseUrl && code !== undefined) {
      const pgError = /^[0-9A-Z]{5}$/.test(code);
      if (pgError || (UNREACHABLE.has(code) && aimsAtDatabase(link, settings.databaseUrl))) {
        const database = databaseFailure(link, settings.databaseUrl);
        if (database) return database;
      }
    }
  }
  return undefined;
}

/**
 * Ends a start that failed, with exit code 1: on stderr the one line above, or the stack of an
 * unexpected error. `config` is undefined when the configuration itself was refused.
 */
export function exitOnStartupFailure(error: unknown, config: AppConfig | undefined): never {
  const described = describeStartupFailure(error, config);
  const unexpected = () => `failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
  process.stderr.write(`${described ?? unexpected()}\n`);
  process.exit(1);
}
