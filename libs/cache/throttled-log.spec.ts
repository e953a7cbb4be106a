import { Logger } from '@nestjs/common';
import { ThrottledLog } from './throttled-log';

describe(ThrottledLog.name, () => {
  it('logs the first failure of a kind, then one line per interval counting the ones in between', () => {
    const logger = new Logger('test');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    let now = 0;
    const log = new ThrottledLog(logger, 10_000, () => now);

    log.warn('read', 'Redis read failed', new Error('offline'));
    now = 1_000;
    log.warn('read', 'Redis read failed', new Error('offline'));
    log.warn('read', 'Redis read failed', new Error('offline'));
    log.warn('write', 'Redis write failed', new Error('offline'));
    now = 10_000;
    log.warn('read', 'Redis read failed', new Error('offline'));

    expect(warn.mock.calls.map(([line]) => line)).toEqual([
      'Redis read failed: Error: offline',
      'Redis write failed: Error: offline',
      'Redis read failed: Error: offline (2 more since the last report)',
    ]);
  });
});
