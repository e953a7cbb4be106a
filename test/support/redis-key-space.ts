import { createClient } from '@keyv/redis';

/**
 * Deletes the keys under `prefix` in the Redis at `url`: the key space a test gave its service.
 * Its values expire, but its generation counters (`<prefix>:g:…`) never do, so a Redis that
 * many runs share would keep a few for every test application.
 */
export async function deleteKeySpace(url: string, prefix: string): Promise<void> {
  // One try, bounded: a close must not wait on a Redis that went away.
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 5_000 } });
  // The failures reject `connect` and the commands; the client also emits them, which unheard would end the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}:*`, COUNT: 1000 })) {
      if (keys.length > 0) await client.unlink(keys);
    }
  } finally {
    await client.close();
  }
}
