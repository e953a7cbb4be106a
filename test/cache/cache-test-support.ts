import { execFileSync } from 'node:child_process';
import { createClient } from '@keyv/redis';

/** Invalidations reach other instances asynchronously. */
export { eventually } from '../support/test-env';

/**
 * Probes a Redis synchronously (in a child process), so a suite can choose `describe` or
 * `describe.skip` while Jest collects it.
 */
function answers(url: string): boolean {
  const probe = `
    const { host, port } = new URL(process.argv[1]);
    const socket = require('node:net').connect(Number(port || 6379), host.replace(/:\\d+$/, ''));
    socket.setTimeout(1000, () => process.exit(1));
    socket.on('error', () => process.exit(1));
    socket.on('connect', () => socket.write('PING\\r\\n'));
    socket.on('data', (reply) => process.exit(/^[+-]/.test(reply.toString()) ? 0 : 1));`;
  try {
    execFileSync(process.execPath, ['-e', probe, url], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/** REDIS_URL, or a local Redis on the default port; undefined (with a printed reason) when none answers. */
export function redisForTests(suite: string): string | undefined {
  const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (answers(url)) return url;
  process.stdout.write(`${suite} skipped: no Redis answers at ${url} (set REDIS_URL to run it)\n`);
  return undefined;
}

/** Deletes every key a test wrote under its prefix. */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) {
    if (keys.length > 0) await client.del(keys);
  }
  await client.close();
}

