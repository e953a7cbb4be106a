'use strict';
const { execFileSync } = require('node:child_process');

/**
 * Deletes the keys under `prefix` in the Redis at `url` (with redis-cli), the key space a bench
 * run or a test gave its services, and answers how many there were. Their values expire, but the
 * cache's generation counters (`<prefix>:g:…`) never do, so a Redis many runs share would keep a
 * few for each. Synchronous, so a signal handler can call it too; throws when Redis is not there.
 */
function deleteKeySpace(url, prefix) {
  const keys = execFileSync('redis-cli', ['-u', url, '--scan', '--pattern', `${prefix}:*`], {
    encoding: 'utf8',
    maxBuffer: 512 * 2 ** 20,
  })
    .split('\n')
    .filter(Boolean);
  for (let at = 0; at < keys.length; at += 1000) {
    execFileSync('redis-cli', ['-u', url, 'UNLINK', ...keys.slice(at, at + 1000)], { stdio: 'ignore' });
  }
  return keys.length;
}

module.exports = { deleteKeySpace };
