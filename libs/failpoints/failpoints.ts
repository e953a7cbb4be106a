import { FailpointName } from './failpoint-names';
import { FailpointSetting } from './failpoint-settings';

/** What a failpoint set to `throw` throws: names the point, so a log says which one fired. */
export class FailpointError extends Error {
  constructor(readonly failpoint: FailpointName) {
    super(`failpoint ${failpoint} fired`);
    this.name = 'FailpointError';
  }
}

interface ArmedPoint {
  setting: FailpointSetting;
  reached: number;
}

const killThisProcess = (): void => void process.kill(process.pid, 'SIGKILL');

/**
 * The failpoints of this process. Call sites guard with `armed`, so a process without
 * FAILPOINTS pays one boolean read and never awaits:
 * `if (failpoints.armed) await failpoints.reach('after-reserve-commit')`.
 */
export class Failpoints {
  private readonly points = new Map<FailpointName, ArmedPoint>();
  private anyArmed = false;

  constructor(private readonly kill: () => void = killThisProcess) {}

  get armed(): boolean {
    return this.anyArmed;
  }

  /** Replaces the settings and starts counting anew. */
  arm(settings: readonly FailpointSetting[]): void {
    this.points.clear();
    for (const setting of settings) this.points.set(setting.name, { setting, reached: 0 });
    this.anyArmed = this.points.size > 0;
  }

  /** Counts the visit and acts when the point is set for it: kills the process, throws, or waits. */
  async reach(name: FailpointName): Promise<void> {
    const point = this.points.get(name);
    if (!point) return;
    point.reached += 1;
    const { action, onlyAt } = point.setting;
    if (onlyAt !== undefined && point.reached !== onlyAt) return;
    switch (action.kind) {
      case 'kill':
        this.kill();
        return;
      case 'throw':
        throw new FailpointError(name);
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, action.ms));
        return;
    }
  }
}

/** The process's failpoints, armed from FAILPOINTS at start (see src/service.ts). */
export const failpoints = new Failpoints();
