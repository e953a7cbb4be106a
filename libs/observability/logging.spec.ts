import { Writable } from 'node:stream';
import pino from 'pino';
import { NestPinoLogger } from './logging';

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
