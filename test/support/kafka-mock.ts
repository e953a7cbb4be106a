import { ChildProcess, execFileSync, spawn } from 'node:child_process';

/** Why a Kafka-protocol broker cannot be started here, or undefined when it can. */
export function kafkaMockUnavailable(): string | undefined {
  try {
    execFileSync('kcat', ['-V'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'kcat is not installed (apt-get install -y kcat), so no Kafka-protocol broker can be started';
  }
}

/**
 * librdkafka's mock cluster, a real Kafka-protocol broker (3 brokers), started through kcat:
 * topics are auto-created on first use; topic administration is refused. One per suite, stopped by PID.
 */
export class KafkaMock {
  private constructor(
    private readonly child: ChildProcess,
    readonly brokers: string,
  ) {}

  static async start(timeoutMs = 10_000): Promise<KafkaMock> {
    const child = spawn('kcat', ['-b', '127.0.0.1:9', '-X', 'test.mock.num.brokers=3', '-d', 'mock', '-C', '-t', '__keepalive'], {
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
    return new KafkaMock(child, brokers);
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

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.resume();
    this.child.kill('SIGTERM');
    await exited;
  }
}
