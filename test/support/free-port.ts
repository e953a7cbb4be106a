import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The lowest port `freePort` hands out: above the ports of well-known servers. */
const CHILD_PORTS_FROM = 10_000;

/**
 * The ports of the fetch standard's "bad ports" list from CHILD_PORTS_FROM up. Node's fetch refuses
 * to connect to them ("fetch failed", cause "bad port"), and the suites probe readiness with fetch:
 * a split suite's process on 10080 was ready, and never answered its probes.
 */
const PORTS_FETCH_REFUSES = new Set([10_080]);

/** Where the ports the kernel gives outgoing connections (and `listen(0)`) start, as Linux reports it. */
function ephemeralPortsFrom(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    // IANA's dynamic range, which macOS and Windows use.
    return 49_152;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A port for a child process to listen on, free now. Not one the kernel picks for port 0: those
 * come from the ephemeral range, which every process's outgoing connections draw from too, so
 * between this check and the child's listen a connection to PostgreSQL or Kafka could take it (a
 * split suite's start once failed with "PORT 41947 is in use"). A random port below that range.
 */
export async function freePort(): Promise<number> {
  const below = ephemeralPortsFrom();
  if (below <= CHILD_PORTS_FROM) throw new Error(`the ephemeral ports start at ${below}, leaving none from ${CHILD_PORTS_FROM} below them`);
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = CHILD_PORTS_FROM + Math.floor(Math.random() * (below - CHILD_PORTS_FROM));
    if (!PORTS_FETCH_REFUSES.has(port) && (await canListen(port))) return port;
  }
  throw new Error(`no free port from ${CHILD_PORTS_FROM} to ${below - 1} in 100 tries`);
}
