import { FAILPOINT_NAMES, FailpointName } from './failpoint-names';

export type FailpointAction = { kind: 'kill' } | { kind: 'throw' } | { kind: 'delay'; ms: number };

export interface FailpointSetting {
  name: FailpointName;
  action: FailpointAction;
  /** Acts only the Nth time the point is reached (from 1); every time when absent. */
  onlyAt?: number;
}

const MAX_DELAY_MS = 600_000;
const ENTRY = /^(kill|throw|delay\((\d+)\))(?:@(\d+))?$/;

/**
 * Reads `name=action,name=action` where action is `kill`, `throw` or `delay(<ms>)`, each
 * optionally `@<n>`. Collects every problem instead of stopping at the first.
 */
export function parseFailpoints(raw: string): { settings: FailpointSetting[]; problems: string[] } {
  const settings: FailpointSetting[] = [];
  const problems: string[] = [];
  for (const entry of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
    const separator = entry.indexOf('=');
    const name = separator < 0 ? entry : entry.slice(0, separator).trim();
    const spec = separator < 0 ? '' : entry.slice(separator + 1).trim();
    if (!(FAILPOINT_NAMES as readonly string[]).includes(name)) {
      problems.push(`unknown failpoint "${name}" (known: ${FAILPOINT_NAMES.join(', ')})`);
      continue;
    }
    if (settings.some((setting) => setting.name === name)) {
      problems.push(`failpoint "${name}" is set twice`);
      continue;
    }
    const [, action, delayMs, onlyAt] = ENTRY.exec(spec) ?? [];
    if (action === undefined || (delayMs !== undefined && Number(delayMs) > MAX_DELAY_MS) || (onlyAt !== undefined && Number(onlyAt) < 1)) {
      problems.push(`"${entry}" must be ${name}=kill, ${name}=throw or ${name}=delay(<ms up to ${MAX_DELAY_MS}>), optionally followed by @<n from 1>`);
      continue;
    }
    settings.push({
      name: name as FailpointName,
      action: delayMs === undefined ? { kind: action as 'kill' | 'throw' } : { kind: 'delay', ms: Number(delayMs) },
      ...(onlyAt === undefined ? {} : { onlyAt: Number(onlyAt) }),
    });
  }
  return { settings, problems };
}

/** The settings written back as FAILPOINTS reads them, for the start-up warning. */
export function describeFailpoints(settings: readonly FailpointSetting[]): string {
  return settings
    .map(({ name, action, onlyAt }) => `${name}=${action.kind === 'delay' ? `delay(${action.ms})` : action.kind}${onlyAt === undefined ? '' : `@${onlyAt}`}`)
    .join(',');
}
