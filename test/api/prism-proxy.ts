import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../support/free-port';

/** One finding of Prism's validation: where (`['request', 'body', 'price', 'amount']`) and what. */
export interface Violation {
  location: string[];
  severity: string;
  code?: string | number;
  message: string;
}

export interface ProxiedRequest {
  method: string;
  /** Path and query, as sent. */
  path: string;
  /** JSON-encoded unless `raw`. */
  body?: unknown;
  /** Sent as it is, for bodies that are not JSON. */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Exchange {
  status: number;
  contentType: string;
  body: unknown;
  violations: Violation[];
}

const PRISM = join(__dirname, '../../node_modules/.bin/prism');

/** Sends a request to `baseUrl` and reads what Prism found, if Prism is in between. */
export async function exchange(baseUrl: string, request: ProxiedRequest): Promise<Exchange> {
  const hasBody = request.body !== undefined || request.raw !== undefined;
  const response = await fetch(baseUrl + request.path, {
    method: request.method.toUpperCase(),
    headers: {
      ...(hasBody ? { 'content-type': request.contentType ?? 'application/json' } : {}),
      ...request.headers,
    },
    body: request.raw ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
  });
  const contentType = response.headers.get('content-type') ?? '';
  const text = await response.text();
  const violations = response.headers.get('sl-violations');
  return {
    status: response.status,
    contentType,
    body: /json/.test(contentType) && text ? JSON.parse(text) : text,
    violations: violations ? (JSON.parse(violations) as Violation[]) : [],
  };
}

/**
 * Prism's validation proxy in front of `upstream`: it forwards every request and reports what
 * breaks the document, in the request or the response, in the `sl-violations` header.
 */
export class PrismProxy {
  private constructor(
    private readonly process: ChildProcess,
    readonly url: string,
  ) {}

  static async start(documentFile: string, upstream: string, timeoutMs = 30_000): Promise<PrismProxy> {
    const port = await freePort();
    const child = spawn(
      PRISM,
      ['proxy', documentFile, upstream, '--host', '127.0.0.1', '--port', String(port), '--errors', 'false', '--verboseLevel', 'warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    const proxy = new PrismProxy(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`Prism exited with ${child.exitCode}: ${output}`);
      try {
        await fetch(`${proxy.url}/health/live`);
        return proxy;
      } catch {
        if (Date.now() > deadline) {
          await proxy.stop();
          throw new Error(`Prism did not listen within ${timeoutMs} ms: ${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  send(request: ProxiedRequest): Promise<Exchange> {
    return exchange(this.url, request);
  }

  async stop(): Promise<void> {
    if (this.process.pid === undefined || this.process.exitCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    process.kill(this.process.pid, 'SIGTERM');
    await exited;
  }
}
