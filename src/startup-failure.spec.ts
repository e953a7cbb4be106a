import { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { StartupError } from '../libs/startup';
import { ConfigError, loadConfig } from './config/app-config';
import { describeStartupFailure } from './startup-failure';

const DATABASE_URL = 'postgres://shop:s3cret-pw@db.internal:6432/commerce';

/** What pg-protocol rejects a login with: a DatabaseError carrying the SQLSTATE as `code`. */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { severity: 'FATAL', code });
}

function socketError(code: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(`connect ${code}`), { code, syscall: 'connect', ...fields });
}

describe(describeStartupFailure.name, () => {
  const config = loadConfig({ DATABASE_URL, PORT: '3000', KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092' }, false);

  it.each([
    ['28P01', 'password authentication failed for user "shop"', 'refused the password of user "shop"'],
    ['28000', 'role "shop" does not exist', 'does not admit user "shop"'],
    ['3D000', 'database "commerce" does not exist', 'database "commerce" does not exist on db.internal:6432'],
  ])('names DATABASE_URL for a login refused with SQLSTATE %s, without the password', (code, message, expected) => {
    const line = describeStartupFailure(pgError(code, message), config);
    expect(line).toMatch(/^DATABASE_URL: /);
    expect(line).toContain(expected);
    expect(line).not.toContain('s3cret-pw');
    expect(line).not.toContain('\n');
  });

  it('classifies by code, not by the server\'s wording (a localised server)', () => {
    const line = describeStartupFailure(pgError('28P01', 'la autentificación password falló para el usuario «shop»'), config);
    expect(line).toContain('correct the password in DATABASE_URL');
  });

  it('blames DATABASE_URL for a refused or unknown database host, and only when it is the database\'s', () => {
    expect(describeStartupFailure(socketError('ECONNREFUSED', { address: '10.0.0.5', port: 6432 }), config)).toBe(
      'DATABASE_URL: cannot reach PostgreSQL at db.internal:6432 (connection refused): start it or correct the host and port in DATABASE_URL',
    );
    expect(describeStartupFailure(socketError('ENOTFOUND', { hostname: 'db.internal' }), config)).toContain(
      '(host "db.internal" not found)',
    );
    expect(describeStartupFailure(socketError('ECONNREFUSED', { address: '10.0.0.9', port: 6379 }), config)).toBeUndefined();
  });

  it('names KAFKA_BROKERS for any kafkajs failure, with the socket error under it', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED', { broker: 'kafka-1:9092', code: 'ECONNREFUSED' });
    const line = describeStartupFailure(new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 5, retryTime: 9000 }), config);
    expect(line).toBe(
      'KAFKA_BROKERS: cannot use Kafka at kafka-1:9092,kafka-2:9092 (connection refused): start the brokers or correct KAFKA_BROKERS',
    );
  });

  it('names PORT when another process listens on it', () => {
    const inUse = Object.assign(new Error('listen EADDRINUSE: address already in use 0.0.0.0:3000'), {
      code: 'EADDRINUSE',
      syscall: 'listen',
      port: 3000,
    });
    expect(describeStartupFailure(inUse, config)).toBe('PORT 3000 is in use by another process: stop it or set PORT');
    const privileged = Object.assign(new Error('listen EACCES: permission denied 0.0.0.0:3000'), { code: 'EACCES', syscall: 'listen' });
    expect(describeStartupFailure(privileged, config)).toBe('PORT 3000 needs privileges this process lacks: set PORT above 1023');
  });

  it('names HOST when it is no address of this machine', () => {
    const foreign = Object.assign(new Error('listen EADDRNOTAVAIL: address not available 10.9.9.9:3000'), {
      code: 'EADDRNOTAVAIL',
      syscall: 'listen',
    });
    expect(describeStartupFailure(foreign, { ...config, host: '10.9.9.9' })).toBe(
      'HOST 10.9.9.9 is not an address of this machine: set HOST (0.0.0.0 listens on every interface)',
    );
  });

  it('prints a StartupError, the configuration\'s included, as its message on one line', () => {
    expect(describeStartupFailure(new StartupError('DATA_DIR ./data is locked by process 42:\nstop it'), undefined)).toBe(
      'DATA_DIR ./data is locked by process 42: stop it',
    );
    const refused = new ConfigError(['PORT must be an integer from 0 to 65535 (got "x")', 'LOG_FORMAT must be one of json, pretty (got "xml")']);
    expect(describeStartupFailure(refused, undefined)).toBe(
      'Invalid configuration: PORT must be an integer from 0 to 65535 (got "x"); LOG_FORMAT must be one of json, pretty (got "xml")',
    );
  });

  it('leaves an unexpected error undescribed, so its stack is printed', () => {
    expect(describeStartupFailure(new TypeError('cannot read properties of undefined'), config)).toBeUndefined();
    expect(describeStartupFailure(pgError('42P01', 'relation "x" does not exist'), config)).toBeUndefined();
  });
});
