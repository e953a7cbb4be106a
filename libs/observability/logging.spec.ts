import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createLogger, NestPinoLogger } from './logging';

function capture(level: pino.Level): { logger: NestPinoLogger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: new NestPinoLogger(pino({ level }, sink)), lines };
}

describe(NestPinoLogger.name, () => {
  it('writes what Nest logs as pino lines, the context as a field', () => {
    const { logger, lines } = capture('info');
    logger.log('ready in 12 ms', 'Main');
    logger.warn('slow', 'Relay');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, context: 'Main', msg: 'ready in 12 ms' }),
      expect.objectContaining({ level: 40, context: 'Relay', msg: 'slow' }),
    ]);
  });

  it('keeps Nest\'s start-up narration and its report of a failed start below info', () => {
    const { logger, lines } = capture('info');
    logger.log('Mapped {/api/v1/orders, POST} route', 'RouterExplorer');
    logger.log('CqrsModule dependencies initialized', 'InstanceLoader');
    logger.log('Nest application successfully started', 'NestApplication');
    logger.error(new Error('connect ECONNREFUSED'), undefined, 'ExceptionHandler');
    expect(lines).toEqual([]);

    const verbose = capture('debug');
    verbose.logger.log('Nest application successfully started', 'NestApplication');
    expect(verbose.lines).toEqual([expect.objectContaining({ level: 20, context: 'NestApplication' })]);
  });

  it('keeps an error\'s stack: an Error object, or a stack string before the context', () => {
    const { logger, lines } = capture('info');
    logger.error(new Error('boom'), undefined, 'Relay');
    logger.error('delivery failed', 'Error: boom\n    at relay', 'Relay');
    expect(lines[0]).toMatchObject({ level: 50, context: 'Relay', msg: 'boom', err: { message: 'boom' } });
    expect(lines[1]).toMatchObject({ level: 50, context: 'Relay', msg: 'delivery failed', stack: 'Error: boom\n    at relay' });
  });
});

describe(createLogger.name, () => {
  function jsonLines(): { logger: pino.Logger; line: (index: number) => unknown; text: () => string } {
    const raw: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        raw.push(chunk.toString());
        done();
      },
    });
    return {
      logger: createLogger({ level: 'info', format: 'json' }, sink),
      line: (index) => JSON.parse(raw[index]) as unknown,
      text: () => raw.join(''),
    };
  }

  it('redacts request headers, credentials and personal data at any depth, keeping the rest', () => {
    const { logger, line, text } = jsonLines();
    logger.info(
      {
        req: { method: 'POST', url: '/api/v1/orders', headers: { authorization: 'Bearer eyJhbGciOi.x.y', cookie: 'sid=s3cr3t', accept: 'application/json' } },
        res: { statusCode: 200, headers: { 'set-cookie': 'sid=s3cr3t' } },
        body: {
          items: [{ productId: 'p1', quantity: 2 }],
          payment: { method: 'card', token: 'tok_visa' },
          credentials: { password: 'hunter2hunter2' },
          customer: { email: 'jane@example.com', refresh_token: 'rt_1', 'X-Api-Key': 'ak_1', cardNumber: '4242424242424242' },
        },
        payload: { clientSecret: 'cs_1', apiKey: 'ak_2' },
      },
      'order placed',
    );
    expect(line(0)).toMatchObject({
      msg: 'order placed',
      req: { method: 'POST', url: '/api/v1/orders', headers: { authorization: '[redacted]', cookie: '[redacted]', accept: 'application/json' } },
      res: { statusCode: 200, headers: { 'set-cookie': '[redacted]' } },
      body: {
        items: [{ productId: 'p1', quantity: 2 }],
        payment: { method: 'card', token: '[redacted]' },
        credentials: '[redacted]',
        customer: { email: '[redacted]', refresh_token: '[redacted]', 'X-Api-Key': '[redacted]', cardNumber: '[redacted]' },
      },
      payload: { clientSecret: '[redacted]', apiKey: '[redacted]' },
    });
    for (const secret of ['eyJhbGciOi', 's3cr3t', 'tok_visa', 'hunter2', 'jane@example.com', 'rt_1', 'ak_1', 'ak_2', '4242', 'cs_1']) {
      expect(text()).not.toContain(secret);
    }
  });

  it('replaces e-mail addresses in messages, in values and in the fields of a logged error', () => {
    const { logger, line, text } = jsonLines();
    const error = Object.assign(new Error('duplicate key: (email)=(jane@example.com)'), { request: { headers: { Authorization: 'Basic abc' } } });
    logger.warn({ url: '/api/v1/orders?customerId=jane%40example.com', err: error }, 'login failed for jane@example.com');
    expect(line(0)).toMatchObject({
      msg: 'login failed for [redacted]',
      url: '/api/v1/orders?customerId=[redacted]',
      err: { type: 'Error', message: 'duplicate key: (email)=([redacted])', request: { headers: { Authorization: '[redacted]' } } },
    });
    expect(text()).not.toMatch(/jane|Basic abc/);
  });

  it('leaves the logged object itself unchanged', () => {
    const { logger } = jsonLines();
    const logged = { payment: { token: 'tok_visa' } };
    logger.info(logged, 'placed');
    expect(logged).toEqual({ payment: { token: 'tok_visa' } });
  });

  it("keeps a `__proto__` field of parsed input a field, and redacts in it", () => {
    const { logger, line, text } = jsonLines();
    logger.info({ body: JSON.parse('{"__proto__": {"token": "tok_visa", "note": "jane@example.com"}, "quantity": 2}') as unknown }, 'rejected');
    expect(text()).toContain('"body":{"__proto__":{"token":"[redacted]","note":"[redacted]"},"quantity":2}');
    expect(text()).not.toMatch(/tok_visa|jane/);
    expect(line(0)).toMatchObject({ msg: 'rejected' });
  });

  it('redacts what Nest loggers write too', () => {
    const { logger, line } = jsonLines();
    new NestPinoLogger(logger).warn({ event: 'login', password: 'hunter2hunter2' }, 'Auth');
    expect(line(0)).toMatchObject({ context: 'Auth', event: 'login', password: '[redacted]' });
  });

  it('redacts the headers of a request a serializer writes out', () => {
    const { logger, line, text } = jsonLines();
    // Like Node's IncomingMessage: not plain data, so only what the serializer makes of it is seen.
    class IncomingRequest extends EventEmitter {
      readonly method = 'GET';
      readonly headers = { authorization: 'Bearer eyJhbGciOi.x.y', cookie: 'sid=s3cr3t', accept: '*/*' };
    }
    const requestLogger = logger.child({}, { serializers: { req: (req: IncomingRequest) => ({ method: req.method, headers: req.headers }) } });
    requestLogger.info({ req: new IncomingRequest() }, 'request completed');
    expect(line(0)).toMatchObject({ req: { method: 'GET', headers: { authorization: '[redacted]', cookie: '[redacted]', accept: '*/*' } } });
    expect(text()).not.toMatch(/eyJhbGciOi|s3cr3t/);
  });
});
