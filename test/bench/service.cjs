'use strict';
// What the benchmarks share: the built service as a child process on 127.0.0.1 (its peak RSS
// sampled), a small HTTP client and autocannon runs, PostgreSQL databases made for one run,
// statistics and the results folder. Children and databases made here are remembered until they
// are stopped or dropped, so that `cleanUpOnSignals` can end and drop them on Ctrl-C.
const autocannon = require('autocannon');
const { Buffer } = require('node:buffer');
const { execFileSync, spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const process = require('node:process');
const { clearInterval, clearTimeout, setInterval, setTimeout } = require('node:timers');
const { setTimeout: sleep } = require('node:timers/promises');
const { URL } = require('node:url');

const ROOT = path.dirname(require.resolve('../../package.json'));
const MAIN = path.join(ROOT, 'dist', 'src', 'main.js');
/** The heap settings `npm start` and the image run the service with (docs/decisions/0044, 0071). */
const HEAP_FLAGS = ['--max-old-space-size=1024', '--max-semi-space-size=4', '--heap-growing-percent=30'];
const RESULTS_DIR = path.join(ROOT, 'test', 'bench', 'results');
const HOST = '127.0.0.1';
const READY_POLL_MS = 20;
const RSS_SAMPLE_MS = 250;
// autocannon's own duration ends on its 1 s sampling tick; this only ends a run that hangs.
const LOAD_GRACE_MS = 60_000;

/** Child processes started here and not yet closed; databases created here and not yet dropped. */
const liveChildren = new Set();
const createdDatabases = new Map();

const agent = new http.Agent({ keepAlive: true });

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The port of the process serving `pathname`: `port` is a port or a function from path to port. */
function portOf(port, pathname) {
  return typeof port === 'function' ? port(pathname) : port;
}

/**
 * One HTTP exchange with the service; a JSON body (also problem+json) is parsed. `port` is a port,
 * or a function from the path to the port of the process that serves it. `token`: an access
 * token, sent as `Authorization: Bearer`.
 */
function request(port, method, pathname, body, { timeoutMs = 10_000, token } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: HOST,
        port: portOf(port, pathname),
        method,
        path: pathname,
        agent,
        timeout: timeoutMs,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = /json/.test(res.headers['content-type'] ?? '') && text !== '';
          resolve({ status: res.statusCode, body: json ? JSON.parse(text) : text });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${pathname} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** The inherited environment with `env` over it; entries set to undefined are removed. */
function childEnvironment(env) {
  const childEnv = { ...process.env, ...env };
  for (const [name, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[name];
  return childEnv;
}

/** Remembers a child process until it closes, for `stopChildren`. */
function track(child) {
  liveChildren.add(child);
  child.once('close', () => liveChildren.delete(child));
  return child;
}

/** The part each running child plays in a run, by PID (for cpu.cjs): kcat is the broker, any other a service. */
function childRoles() {
  return new Map([...liveChildren].map((child) => [child.pid, child.spawnfile === 'kcat' ? 'kafka' : 'service']));
}

/** `node ...nodeFlags <script> ...args` from the repository root, its stdout and stderr collected. */
function spawnNode(script, args, env, nodeFlags = []) {
  const child = track(spawn(process.execPath, [...nodeFlags, script, ...args], { cwd: ROOT, env: childEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] }));
  const output = [];
  child.stdout.on('data', (chunk) => output.push(chunk));
  child.stderr.on('data', (chunk) => output.push(chunk));
  return {
    child,
    // 'close' rather than 'exit': by then the child's stdout is fully read.
    closed: new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal }))),
    output: () => Buffer.concat(output).toString('utf8'),
  };
}

/**
 * Starts one of the built command-line entry points (`dist/src/<name>.js`, e.g. catalog-seed).
 * `done` resolves with its output when it exits with code 0 and rejects with the output otherwise.
 */
function runBuiltScript(name, args, env) {
  const run = spawnNode(path.join(ROOT, 'dist', 'src', `${name}.js`), args, env);
  const done = run.closed.then(({ code, signal }) => {
    if (code !== 0) throw new Error(`${name} ended with ${signal ?? `exit code ${code}`}:\n${run.output().slice(-4000)}`);
    return run.output();
  });
  return { child: run.child, done };
}

/**
 * VmHWM of a process in KiB from /proc (Linux): the largest RSS it has had, as the kernel counts
 * it, so a spike between two reads counts too; null once it is gone or elsewhere.
 */
function peakRssKiB(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Reads a child's peak RSS every RSS_SAMPLE_MS until it closes, and again when asked while it
 * runs; returns a function of the peak in MB (10^6 bytes).
 */
function trackPeakRss(child) {
  let peakKiB = null;
  // The high-water mark only grows; the last read is kept for when the process is gone.
  const read = () => {
    peakKiB = peakRssKiB(child.pid) ?? peakKiB;
  };
  const timer = setInterval(read, RSS_SAMPLE_MS).unref();
  child.once('close', () => clearInterval(timer));
  return () => {
    if (child.exitCode === null && child.signalCode === null) read();
    return peakKiB === null ? null : round((peakKiB * 1024) / 1e6);
  };
}

/** The admin every benchmark service is started with (ADMIN_EMAIL, ADMIN_PASSWORD), for the staff work of a run. */
const ADMIN = { email: 'admin@bench.example', password: 'admin-password-of-the-benchmarks' };

/**
 * Spawns `node dist/src/main.js` on a free port and resolves when GET /health/ready answers 200.
 * `env` entries set to undefined are removed from the inherited environment. `service.peakRssMB()`
 * is the largest RSS the process has had since the spawn, in MB.
 */
async function startService(env, readyTimeoutMs = 120_000) {
  const port = await freePort();
  const startedAt = performance.now();
  const service = {
    port,
    ...spawnNode(MAIN, [], {
      // Load from one address is what the benches measure, not the rate limits it would meet.
      RATE_LIMIT_ENABLED: 'false',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      // Tokens taken before a run outlive its longest bound, so no request of it meets an expired one.
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      // As `npm start` and the image run it (docs/decisions/0027).
      MALLOC_MMAP_THRESHOLD_: '4194304',
      ...env,
      PORT: String(port),
      HOST,
    }, HEAP_FLAGS),
  };
  const { child } = service;
  service.peakRssMB = trackPeakRss(child);
  while (performance.now() - startedAt < readyTimeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await service.closed;
      throw new Error(`the service exited before it was ready:\n${service.output().slice(-4000)}`);
    }
    try {
      const { status } = await request(port, 'GET', '/health/ready', undefined, { timeoutMs: 1000 });
      if (status === 200) return { service, readyMs: performance.now() - startedAt };
    } catch {
      // not listening yet
    }
    await sleep(READY_POLL_MS);
  }
  await stopService(service);
  throw new Error(`the service was not ready within ${readyTimeoutMs} ms:\n${service.output().slice(-4000)}`);
}

/** SIGTERM to the child's PID, then waits for it to exit; SIGKILL and an error if it does not. */
async function stopService(service, timeoutMs = 30_000) {
  const { child } = service;
  const startedAt = performance.now();
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const ended = await Promise.race([service.closed, sleep(timeoutMs, null, { ref: false })]);
  if (ended === null) {
    child.kill('SIGKILL');
    await service.closed;
    throw new Error(`the service (pid ${child.pid}) did not stop within ${timeoutMs} ms of SIGTERM`);
  }
  return { stopMs: performance.now() - startedAt, ...ended, peakRssMB: service.peakRssMB?.() ?? null };
}

/**
 * Ends every child still running that was started here: SIGTERM to each PID, then SIGKILL to
 * those that have not closed after `timeoutMs`.
 */
async function stopChildren(timeoutMs = 10_000) {
  const children = [...liveChildren];
  const closed = children.map((child) => new Promise((resolve) => (liveChildren.has(child) ? child.once('close', resolve) : resolve())));
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await Promise.race([Promise.all(closed), sleep(timeoutMs, null, { ref: false })]);
  for (const child of liveChildren) child.kill('SIGKILL');
  return children.length;
}

/** Drops every database created here and not dropped yet; returns their names. */
function dropCreatedDatabases() {
  const names = [...createdDatabases.keys()];
  for (const [name, serverUrl] of createdDatabases) {
    try {
      dropDatabase(serverUrl, name);
    } catch (error) {
      process.stderr.write(`could not drop database ${name}: ${String(error.stderr ?? error.message).trim()}\n`);
    }
  }
  return names;
}

/**
 * On SIGINT or SIGTERM: stops the children started here by PID, drops the databases created
 * here, runs `also` (e.g. deleting Redis keys), and exits 128 + the signal's number.
 */
function cleanUpOnSignals(also = () => {}) {
  let stopping = false;
  for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15]]) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`\n${signal}: stopping ${liveChildren.size} child processes, dropping ${createdDatabases.size} databases\n`);
      stopChildren(5000)
        .then(() => dropCreatedDatabases())
        .then(() => also())
        .catch((error) => process.stderr.write(`${error.stack ?? error}\n`))
        .finally(() => process.exit(128 + number));
    });
  }
}

/** The service's own measurement: `ready in N ms` (process start to listening), if it logged one. */
function loggedReadyMs(output) {
  const match = /ready in (\d+) ms/.exec(output);
  return match ? Number(match[1]) : null;
}

function psql(serverUrl, sql) {
  return execFileSync('psql', ['-X', '-q', '-t', '-A', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-d', serverUrl, '-c', sql], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // Room for a column of every id of a large catalog.
    maxBuffer: 512 * 2 ** 20,
  }).trim();
}

/** The rows of a query as arrays of text fields (NULL as ''). */
function queryRows(databaseUrl, sql) {
  const text = psql(databaseUrl, sql);
  return text === '' ? [] : text.split('\n').map((line) => line.split('\t'));
}

/** Creates an empty database on the server at `serverUrl` and returns its URL. */
function createDatabase(serverUrl, name) {
  psql(serverUrl, `CREATE DATABASE ${name}`);
  createdDatabases.set(name, serverUrl);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function dropDatabase(serverUrl, name) {
  psql(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  createdDatabases.delete(name);
}

/** `work(url)` on a database `bench_<label>_<random>` created for it and dropped afterwards. */
async function onNewDatabase(serverUrl, label, work) {
  const name = `bench_${label}_${randomBytes(4).toString('hex')}`;
  const url = createDatabase(serverUrl, name);
  try {
    return await work(url);
  } finally {
    dropDatabase(serverUrl, name);
  }
}

function postgresVersion(databaseUrl) {
  return psql(databaseUrl, 'SHOW server_version');
}

/**
 * Every sample of GET /metrics (Prometheus text format) as { name, labels, value }; `total`
 * adds up those of one name whose labels include the given ones.
 */
async function metricSamples(port) {
  const { status, body } = await request(port, 'GET', '/metrics');
  if (status !== 200) throw new Error(`GET /metrics answered ${status}`);
  const samples = [];
  for (const line of body.split('\n')) {
    const match = /^([a-z_:][\w:]*)(?:\{(.*)\})? (\S+)$/i.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => [name, value]));
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return {
    samples,
    total: (name, labels = {}) =>
      samples
        .filter((s) => s.name === name && Object.entries(labels).every(([label, value]) => s.labels[label] === value))
        .reduce((sum, s) => sum + s.value, 0),
  };
}

/**
 * autocannon against the process serving `requests[0].path` on 127.0.0.1 from `connections`
 * connections: `amount` requests, or for `durationS` seconds (and at most `maxRequests`); stopped
 * if it runs `graceMs` longer. The rate is over the time until the last response (autocannon's own
 * duration ends on its next 1 s sampling tick). autocannon records the latency of 2xx only.
 */
async function hammer(port, { connections, durationS, amount, maxRequests, requests, timeoutS = 30, graceMs = LOAD_GRACE_MS }) {
  const startedAt = performance.now();
  let lastResponseAt = startedAt;
  const instance = autocannon({
    url: `http://${HOST}:${portOf(port, requests[0].path ?? '/')}`,
    connections,
    ...(amount === undefined ? { duration: durationS } : { amount }),
    ...(maxRequests === undefined ? {} : { maxOverallRequests: maxRequests }),
    timeout: timeoutS,
    requests,
  });
  instance.on('response', () => {
    lastResponseAt = performance.now();
  });
  const watchdog = setTimeout(() => instance.stop(), (amount === undefined ? durationS * 1000 : 0) + graceMs);
  const result = await instance;
  clearTimeout(watchdog);
  const seconds = (lastResponseAt - startedAt) / 1000;
  return {
    requests: result.requests.total,
    seconds: round(seconds, 2),
    perSecond: round(result.requests.total / seconds),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    // Connection errors, timeouts included.
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
  };
}

/** The positive whole number after `--name` in argv, or `fallback` when the flag is absent. */
function wholeFlag(argv, name, fallback) {
  const at = argv.indexOf(name);
  if (at === -1) return fallback;
  const raw = argv[at + 1];
  if (!/^[1-9]\d*$/.test(raw ?? '')) throw new Error(`${name} must be a positive whole number (got "${raw}")`);
  return Number(raw);
}

/** Nearest-rank percentile, q in (0, 1]. */
function percentile(values, q) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

/** p50, p99 and max of latencies in ms, to 0.1 ms. */
function latencySummary(latencies) {
  return { p50: round(percentile(latencies, 0.5)), p99: round(percentile(latencies, 0.99)), max: round(Math.max(...latencies)) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function round(value, digits = 1) {
  return value === null ? null : Number(value.toFixed(digits));
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    // Other work on the machine skews every number here; recorded so a reader can tell.
    loadAverage1m: round(os.loadavg()[0], 2),
  };
}

function git(args) {
  return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

/**
 * The commit measured, whether the compiled sources differed from it, and `label`: the commit
 * with "+dirty" when anything in the working tree differed from it.
 */
function source() {
  try {
    const commit = git(['rev-parse', '--short', 'HEAD']);
    const dirty = git(['status', '--porcelain']) !== '';
    return { commit, uncommittedChanges: git(['status', '--porcelain', '--', 'src', 'libs', 'migrations']) !== '', label: `${commit}${dirty ? '+dirty' : ''}` };
  } catch {
    return { commit: null, uncommittedChanges: null, label: 'unknown' };
  }
}

function writeResults(fileName, results) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, fileName);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return path.relative(ROOT, file);
}

/** A fixed-width text table: one header row, then one row per entry. */
function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map((cell) => (cell === null ? '-' : String(cell))));
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  return cells.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n');
}

function print(text) {
  process.stdout.write(`${text}\n`);
}

/** Runs `main` when `module` is the script node was started with, not when it is required. */
function runIfMain(module, main) {
  if (require.main !== module) return;
  main()
    .catch((error) => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exitCode = 1;
    })
    .finally(() => agent.destroy());
}

module.exports = {
  ADMIN,
  HEAP_FLAGS,
  ROOT,
  agent,
  childRoles,
  cleanUpOnSignals,
  createDatabase,
  dropCreatedDatabases,
  dropDatabase,
  hammer,
  latencySummary,
  loggedReadyMs,
  machine,
  median,
  metricSamples,
  onNewDatabase,
  percentile,
  portOf,
  postgresVersion,
  print,
  queryRows,
  request,
  round,
  runBuiltScript,
  runIfMain,
  sleep,
  source,
  spawnNode,
  startService,
  stopChildren,
  stopService,
  table,
  track,
  wholeFlag,
  writeResults,
};
