import { Logger } from '@nestjs/common';
import { describeProgress, LoggedProgress } from './progress';

describe(describeProgress.name, () => {
  it('gives the count, the share, the rate and the time left', () => {
    const line = describeProgress({ name: 'indexing products', total: 1000, done: 250, startedAt: 0 }, 5_000);
    expect(line).toBe('indexing products: 250/1000 (25%), 50/s, about 15 s left');
  });

  it('leaves out what an unknown total cannot give', () => {
    expect(describeProgress({ name: 'rebuilding', total: null, done: 30, startedAt: 0 }, 3_000)).toBe('rebuilding: 30, 10/s');
  });
});

describe(LoggedProgress.name, () => {
  it('logs a phase when it starts, at most once an interval while it runs, and when it ends', () => {
    const lines: string[] = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => void lines.push(String(message)));
    let now = 0;
    const progress = new LoggedProgress('Seed', 5_000, () => now);

    progress.start('inserting products', 100);
    for (let second = 1; second <= 12; second++) {
      now = second * 1_000;
      progress.update(second * 5);
    }
    progress.stop();

    expect(lines).toEqual([
      'inserting products: 0/100',
      'inserting products: 25/100 (25%), 5/s, about 15 s left',
      'inserting products: 50/100 (50%), 5/s, about 10 s left',
      'inserting products: 60/100 (60%), 5/s, about 8 s left; done in 12.0 s',
    ]);
  });
});
