import { describeFailpoints, parseFailpoints } from './failpoint-settings';
import { FailpointError, Failpoints } from './failpoints';

describe(parseFailpoints.name, () => {
  it('reads each action, with and without the visit it waits for', () => {
    const { settings, problems } = parseFailpoints(' after-reserve-commit=kill@3, after-outbox-claim=throw,after-capture-commit=delay(250)@2 ');
    expect(problems).toEqual([]);
    expect(settings).toEqual([
      { name: 'after-reserve-commit', action: { kind: 'kill' }, onlyAt: 3 },
      { name: 'after-outbox-claim', action: { kind: 'throw' } },
      { name: 'after-capture-commit', action: { kind: 'delay', ms: 250 }, onlyAt: 2 },
    ]);
    expect(describeFailpoints(settings)).toBe('after-reserve-commit=kill@3,after-outbox-claim=throw,after-capture-commit=delay(250)@2');
  });

  it('names every unknown failpoint and malformed action at once', () => {
    const { settings, problems } = parseFailpoints(
      'after-reserve-comit=kill,after-outbox-claim=explode,after-outbox-mark=kill@0,after-outbox-publish,after-capture-commit=delay(5s),after-stock-commit=kill,after-stock-commit=throw',
    );
    expect(settings).toEqual([{ name: 'after-stock-commit', action: { kind: 'kill' } }]);
    expect(problems).toHaveLength(6);
    expect(problems[0]).toMatch(/^unknown failpoint "after-reserve-comit" \(known: after-placement-commit, /);
    expect(problems[1]).toContain('"after-outbox-claim=explode" must be after-outbox-claim=kill, after-outbox-claim=throw or after-outbox-claim=delay(');
    expect(problems[2]).toContain('"after-outbox-mark=kill@0" must be');
    expect(problems[3]).toContain('"after-outbox-publish" must be');
    expect(problems[4]).toContain('"after-capture-commit=delay(5s)" must be');
    expect(problems[5]).toBe('failpoint "after-stock-commit" is set twice');
  });

  it('reads nothing from an empty list', () => {
    expect(parseFailpoints(' , ')).toEqual({ settings: [], problems: [] });
  });
});

describe(Failpoints.name, () => {
  it('is disarmed until settings arm it, and arming nothing disarms it', () => {
    const failpoints = new Failpoints(jest.fn());
    expect(failpoints.armed).toBe(false);
    failpoints.arm([{ name: 'after-outbox-mark', action: { kind: 'kill' } }]);
    expect(failpoints.armed).toBe(true);
    failpoints.arm([]);
    expect(failpoints.armed).toBe(false);
  });

  it('kills on the Nth visit only, counting each point on its own', async () => {
    const kill = jest.fn();
    const failpoints = new Failpoints(kill);
    failpoints.arm([
      { name: 'after-reserve-commit', action: { kind: 'kill' }, onlyAt: 3 },
      { name: 'after-outbox-claim', action: { kind: 'kill' }, onlyAt: 9 },
    ]);
    const killedAt: number[] = [];
    for (let visit = 1; visit <= 5; visit++) {
      await failpoints.reach('after-outbox-claim');
      await failpoints.reach('after-reserve-commit');
      if (kill.mock.calls.length > killedAt.length) killedAt.push(visit);
    }
    expect(killedAt).toEqual([3]);
  });

  it('passes points that are not set', async () => {
    const kill = jest.fn();
    const failpoints = new Failpoints(kill);
    failpoints.arm([{ name: 'after-outbox-claim', action: { kind: 'kill' } }]);
    await failpoints.reach('after-outbox-mark');
    expect(kill).not.toHaveBeenCalled();
    await failpoints.reach('after-outbox-claim');
    expect(kill).toHaveBeenCalledTimes(1);
  });

  it('throws an error naming the point on every visit, or only on the Nth', async () => {
    const failpoints = new Failpoints(jest.fn());
    failpoints.arm([
      { name: 'after-outbox-claim', action: { kind: 'throw' } },
      { name: 'after-outbox-mark', action: { kind: 'throw' }, onlyAt: 2 },
    ]);
    await expect(failpoints.reach('after-outbox-claim')).rejects.toThrow(new FailpointError('after-outbox-claim'));
    await expect(failpoints.reach('after-outbox-claim')).rejects.toThrow('failpoint after-outbox-claim fired');
    await expect(failpoints.reach('after-outbox-mark')).resolves.toBeUndefined();
    await expect(failpoints.reach('after-outbox-mark')).rejects.toBeInstanceOf(FailpointError);
    await expect(failpoints.reach('after-outbox-mark')).resolves.toBeUndefined();
  });

  it('delays the visit it is set for', async () => {
    jest.useFakeTimers();
    try {
      const failpoints = new Failpoints(jest.fn());
      failpoints.arm([{ name: 'after-capture-commit', action: { kind: 'delay', ms: 500 } }]);
      let passed = false;
      const visit = failpoints.reach('after-capture-commit').then(() => (passed = true));
      await jest.advanceTimersByTimeAsync(499);
      expect(passed).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await visit;
      expect(passed).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it('starts counting anew when armed again', async () => {
    const kill = jest.fn();
    const failpoints = new Failpoints(kill);
    const killAtSecond = [{ name: 'after-outbox-claim', action: { kind: 'kill' }, onlyAt: 2 }] as const;
    failpoints.arm(killAtSecond);
    await failpoints.reach('after-outbox-claim');
    failpoints.arm(killAtSecond);
    await failpoints.reach('after-outbox-claim');
    expect(kill).not.toHaveBeenCalled();
    await failpoints.reach('after-outbox-claim');
    expect(kill).toHaveBeenCalledTimes(1);
  });
});
