import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { FaultProxy } from './fault-proxy';

/** The address interposed proxies connect to the brokers from: the redirect rules match only 127.0.0.1, so the proxies' own connections pass. */
const PROXY_SOURCE = '127.0.0.2';

/** Why a Kafka-protocol broker cannot be started here, or undefined when it can. */
export function kafkaMockUnavailable(): string | undefined {
  try {
    execFileSync('kcat', ['-V'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'kcat is not installed (apt-get install -y kcat), so no Kafka-protocol broker can be started';
  }
}

/** Marks this project's redirect rules with the PID of the test process that owns them. */
const RULE_TAG = 'commerce-kafka-mock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Deletes the redirect rules of test processes that died before deleting theirs (killed, timed
 * out): left behind, a rule would send a later server's connections on a reused port to a proxy
 * that is gone. Does nothing where iptables is not usable.
 */
export function removeStaleRedirects(): void {
  let rules: string;
  try {
    rules = execFileSync('iptables', ['-t', 'nat', '-S', 'OUTPUT'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return;
  }
  for (const line of rules.split('\n')) {
    const owner = new RegExp(`--comment "?${RULE_TAG}:(\\d+)"?`).exec(line);
    if (!line.startsWith('-A ') || !owner || isAlive(Number(owner[1]))) continue;
    execFileSync('iptables', ['-t', 'nat', '-D', ...line.slice(3).replaceAll('"', '').split(' ')]);
  }
}

/** Why the brokers' connections cannot be redirected through proxies here, or undefined when they can. */
export function interpositionUnavailable(): string | undefined {
  try {
    execFileSync('iptables', ['-t', 'nat', '-S', 'OUTPUT'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'iptables with a nat table is needed (apt-get install -y iptables, as root) to put a proxy before the brokers';
  }
}

/**
 * A fault proxy before each broker. A broker advertises its own address to clients, so a proxy
 * cannot be configured in as for PostgreSQL: instead a NAT rule redirects every new connection
 * from 127.0.0.1 to a broker's port to that broker's proxy. Connections opened before stay direct;
 * reset them to move every client behind the proxies.
 */
export class InterposedBrokers {
  private constructor(
    private readonly proxies: FaultProxy[],
    private readonly rules: string[][],
  ) {}

  static async start(brokers: string): Promise<InterposedBrokers> {
    removeStaleRedirects();
    const proxies: FaultProxy[] = [];
    const rules: string[][] = [];
    const interposed = new InterposedBrokers(proxies, rules);
    try {
      for (const address of brokers.split(',')) {
        const port = Number(address.slice(address.lastIndexOf(':') + 1));
        const proxy = await FaultProxy.start({ host: '127.0.0.1', port, localAddress: PROXY_SOURCE });
        proxies.push(proxy);
        const rule = [
          'OUTPUT', '-p', 'tcp', '-s', '127.0.0.1', '-d', '127.0.0.1', '--dport', String(port),
          '-m', 'comment', '--comment', `${RULE_TAG}:${process.pid}`,
          '-j', 'REDIRECT', '--to-ports', String(proxy.port),
        ];
        execFileSync('iptables', ['-t', 'nat', '-A', ...rule]);
        rules.push(rule);
      }
    } catch (error) {
      await interposed.remove();
      throw error;
    }
    return interposed;
  }

  delay(ms: number): void {
    this.proxies.forEach((proxy) => proxy.delay(ms));
  }

  closeAfter(bytes: number): void {
    this.proxies.forEach((proxy) => proxy.closeAfter(bytes));
  }

  pass(): void {
    this.proxies.forEach((proxy) => proxy.pass());
  }

  /** Deletes the rules, then closes the proxies and the connections through them. Once; again does nothing. */
  async remove(): Promise<void> {
    for (const rule of this.rules.splice(0)) execFileSync('iptables', ['-t', 'nat', '-D', ...rule]);
    await Promise.all(this.proxies.splice(0).map((proxy) => proxy.close()));
  }
}

/**
 * librdkafka's mock cluster, a real Kafka-protocol broker (3 brokers), started through kcat:
 * topics are auto-created on first use; topic administration is refused. One per suite, stopped by PID.
 */
export class KafkaMock {
  /** How the cluster's process ended, once it has: a suite that did not stop it has lost its broker. */
  exitedWith?: string;
  private readonly interposed: InterposedBrokers[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly brokers: string,
  ) {}

  static async start(timeoutMs = 10_000): Promise<KafkaMock> {
    // -E: kcat's own consumer loses its connections whenever a test resets them all, and without it kcat exits then, taking the cluster along.
    const child = spawn('kcat', ['-E', '-b', '127.0.0.1:9', '-X', 'test.mock.num.brokers=3', '-d', 'mock', '-C', '-t', '__keepalive'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    const brokers = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no mock cluster in ${timeoutMs} ms: ${log}`)), timeoutMs);
      child.stderr?.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const found = /bootstrap\.servers=([\d.:,]+)/.exec(log);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`kcat exited ${code}: ${log}`)));
    });
    // Keep draining its debug output, or kcat blocks on a full pipe.
    child.stderr?.removeAllListeners('data');
    child.stderr?.resume();
    const mock = new KafkaMock(child, brokers);
    child.once('exit', (code, signal) => (mock.exitedWith = signal ?? `status ${code}`));
    return mock;
  }

  /** The broker stops answering: connections stay open, nothing is read or written, as a hung broker. */
  stall(): void {
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    this.child.kill('SIGCONT');
  }

  /**
   * Resets every TCP connection to the brokers, both ends, as a broker restart or a network blip
   * does; clients must reconnect. Returns how many sockets it closed. Needs CAP_NET_ADMIN (root)
   * and a kernel with socket destroy (`ss -K`).
   */
  resetConnections(): number {
    let closed = 0;
    for (const address of this.brokers.split(',')) {
      const port = address.slice(address.lastIndexOf(':') + 1);
      for (const filter of [['dst', '127.0.0.1', 'dport', '=', port], ['src', '127.0.0.1', 'sport', '=', port]]) {
        // ss lists what it closed under a header line; a listening socket cannot be closed and is not listed.
        const listed = execFileSync('ss', ['-K', '-t', '-n', ...filter], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        closed += listed.split('\n').filter((line) => line.startsWith('ESTAB')).length;
      }
    }
    return closed;
  }

  /** Redirects new connections to the brokers through fault proxies, then resets the open ones so that every client reconnects through them. */
  async interpose(): Promise<InterposedBrokers> {
    const interposed = await InterposedBrokers.start(this.brokers);
    this.interposed.push(interposed);
    this.resetConnections();
    return interposed;
  }

  /** Stops the cluster, and first takes away the redirects to its ports, which a later server may get. */
  async stop(): Promise<void> {
    await Promise.all(this.interposed.splice(0).map((interposed) => interposed.remove()));
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.resume();
    this.child.kill('SIGTERM');
    await exited;
  }
}
