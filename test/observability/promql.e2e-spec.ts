import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { Envelope } from '../../libs/messaging';
import { toKafkaRecord } from '../../libs/messaging/kafka-envelope';
import { newId } from '../../libs/persistence';
import { freePort, testProvider } from '../support/app-process';
import { asAdmin } from '../support/auth';
import { RedisServer, redisServerMissing } from '../support/redis-server';
import { finalOrder, paymentOf, placeOrder, stockedProduct } from '../support/shop';
import { SplitApp, splitUnavailable } from '../support/split-app';

const ROOT = join(__dirname, '..', '..');
const DASHBOARDS = join(ROOT, 'docker', 'grafana', 'dashboards');
const ALERTS = join(ROOT, 'docker', 'prometheus', 'alerts.yml');
const RUNBOOK = join(ROOT, 'docs', 'alerts.md');
const PROMETHEUS = '/usr/bin/prometheus';
const SCRAPE_INTERVAL = '1s';
/** What Grafana would put in for its built-in variables; every declared template variable becomes "All". */
const GRAFANA_BUILT_INS: Record<string, string> = { __rate_interval: '1m', __interval: '1m', __range: '5m', __range_s: '300' };

function prometheusMissing(): string | undefined {
  return spawnSync(PROMETHEUS, ['--version'], { stdio: 'ignore' }).status === 0
    ? undefined
    : `${PROMETHEUS} is not installed (apt-get install -y prometheus)`;
}

const unavailable = splitUnavailable() ?? prometheusMissing() ?? (process.env.REDIS_URL ? undefined : redisServerMissing());
if (unavailable) process.stdout.write(`PromQL suite skipped: ${unavailable}\n`);
const describeWithPrometheus = unavailable ? describe.skip : describe;

interface PromResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
  errorType?: string;
}
interface Sample {
  metric: Record<string, string>;
}
type QueryData = { resultType: 'vector' | 'matrix'; result: Sample[] } | { resultType: 'scalar' | 'string'; result: [number, string] };
interface Rule {
  type: 'alerting' | 'recording';
  name: string;
  query: string;
  duration?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  health: string;
  lastError?: string;
  lastEvaluation: string;
}
interface RuleGroup {
  name: string;
  rules: Rule[];
}
interface Panel {
  title?: string;
  targets?: { expr?: string; refId?: string }[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating?: { list: { name: string; type: string; query?: string | { query: string }; definition?: string }[] };
}

/** A query to evaluate and where it comes from, for the failure message. */
interface Labelled {
  where: string;
  expr: string;
}

/** Every PromQL function and aggregation is written as a call, `name(`; what else PromQL spells with letters. */
const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'atan2', 'inf', 'nan']);

/**
 * The metric names an expression reads. Tokenised rather than matched against a list of the
 * names the service exports: a list would pass over a misspelt name as "not one of ours". What
 * is left once strings, label matchers, ranges and grouping clauses are cut out is calls (an
 * identifier before `(`), keywords, numbers and durations — and metric names, which are the
 * remaining identifiers.
 */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ');
  const names = new Set<string>();
  for (const match of bare.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()/g)) {
    const word = match[1];
    if (!PROMQL_WORDS.has(word.toLowerCase())) names.add(word);
  }
  return [...names];
}

/** A dashboard's query as Grafana would send it with every template variable on "All". */
function substituted(expr: string, variables: string[]): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\[\[(\w+)\]\]|\$(\w+)/g, (whole, braced, bracketed, plain) => {
    const name = braced ?? bracketed ?? plain;
    if (name in GRAFANA_BUILT_INS) return GRAFANA_BUILT_INS[name];
    // `$1` in label_replace is not a variable: Grafana leaves unknown names as they are.
    return variables.includes(name) ? '.*' : whole;
  });
}

function panelsOf(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...panelsOf(panel.panels ?? [])]);
}

function dashboardQueries(): Labelled[] {
  const queries: Labelled[] = [];
  for (const file of readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json')).sort()) {
    const dashboard = JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')) as Dashboard;
    const variables = (dashboard.templating?.list ?? []).map((v) => v.name);
    for (const variable of dashboard.templating?.list ?? []) {
      if (variable.type !== 'query') continue;
      const query = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? variable.definition ?? '');
      // Grafana's label_values(selector, label) lists the label's values among the selected series.
      const labelValues = /^label_values\((.*),\s*(\w+)\)$/.exec(query.trim());
      const expr = labelValues ? `count by (${labelValues[2]}) (${labelValues[1]})` : query;
      queries.push({ where: `${file} variable $${variable.name}`, expr: substituted(expr, variables) });
    }
    for (const panel of panelsOf(dashboard.panels)) {
      for (const target of panel.targets ?? []) {
        if (!target.expr) continue;
        queries.push({ where: `${file} panel "${panel.title}" ${target.refId ?? ''}`.trim(), expr: substituted(target.expr, variables) });
      }
    }
  }
  return queries;
}

/** Makes that share of the card provider's answers fail (the provider the split's processes call). */
async function setCardFailureRate(failureRate: number): Promise<void> {
  const response = await fetch(`${(await testProvider()).url}/control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'card', failureRate }),
  });
  if (!response.ok) throw new Error(`the card provider refused its failure rate: ${response.status}`);
}

/** Prometheus with its TSDB in a temporary directory, stopped by PID. */
class TestPrometheus {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly output: string[],
  ) {}

  static async start(config: string, dir: string): Promise<TestPrometheus> {
    const configFile = join(dir, 'prometheus.yml');
    writeFileSync(configFile, config);
    const port = await freePort();
    const child = spawn(
      PROMETHEUS,
      [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const prometheus = new TestPrometheus(child, `http://127.0.0.1:${port}`, output);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}: ${output.join('')}`);
      const ready = await fetch(`${prometheus.url}/-/ready`).then((r) => r.ok, () => false);
      if (ready) return prometheus;
      if (Date.now() > deadline) throw new Error(`prometheus not ready in 30 s: ${output.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async api<T>(path: string, params: Record<string, string> = {}): Promise<PromResponse<T>> {
    const response = await fetch(`${this.url}/api/v1/${path}?${new URLSearchParams(params).toString()}`);
    return (await response.json()) as PromResponse<T>;
  }

  /** The query's result, or why it has none. */
  async evaluate(expr: string): Promise<{ series: number; problem?: string }> {
    const answer = await this.api<QueryData>('query', { query: expr });
    if (answer.status !== 'success') return { series: 0, problem: `${answer.errorType}: ${answer.error}` };
    const series = answer.data.resultType === 'vector' || answer.data.resultType === 'matrix' ? answer.data.result.length : 1;
    return series === 0 ? { series, problem: 'no data' } : { series };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

describe(metricNames.name, () => {
  it('finds the metric names of an expression and nothing else', () => {
    expect(
      metricNames(
        'sum by (deployment, le) (rate(outbox_lag_seconds_bucket{service=~"a|b"}[5m] offset 1m)) > 0.5 * on (deployment) group_left () ' +
          'max(up) unless label_replace(http_requests_total, "area", "$1", "route", "/api/v1/([^/]+).*") and nan',
      ).sort(),
    ).toEqual(['http_requests_total', 'outbox_lag_seconds_bucket', 'up']);
  });
});

describeWithPrometheus('Dashboards and alert rules, evaluated by Prometheus against the split topology', () => {
  let app: SplitApp;
  let redis: RedisServer | undefined;
  let prometheus: TestPrometheus | undefined;
  let dir: string;
  let groups: RuleGroup[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'promql-'));
    let redisUrl = process.env.REDIS_URL;
    if (!redisUrl) {
      redis = new RedisServer(await freePort());
      await redis.start();
      redisUrl = redis.url;
    }
    app = await SplitApp.start({
      REDIS_URL: redisUrl,
      CACHE_KEY_PREFIX: `test-${newId()}`,
      // A lone order's failing calls open the card breaker, which half-opens soon after.
      PAYMENT_RETRY_ATTEMPTS: '6',
      PAYMENT_BREAKER_RESET_MS: '1500',
      PAYMENT_PARK_SWEEP_MS: '200',
    });

    // Orders that end completed, rolled back (a declined card with stock held; stock short with the
    // card accepted) and rejected (both).
    const productId = await stockedProduct(app, 10);
    const orders = await Promise.all([
      placeOrder(app, [{ productId, quantity: 1 }]),
      placeOrder(app, [{ productId, quantity: 2 }]),
      placeOrder(app, [{ productId, quantity: 1 }], 'tok_chargeDeclined'),
      placeOrder(app, [{ productId, quantity: 1000 }]),
      placeOrder(app, [{ productId, quantity: 1000 }], 'tok_chargeDeclined'),
    ]);
    // Confirmed orders are final once completed (captured, stock committed).
    for (const orderId of orders) await finalOrder(app, orderId, 60_000);

    // A card provider outage: the breaker opens, the payment parks, and it completes once the
    // provider answers again (breaker transitions, parked payments, failed calls).
    await setCardFailureRate(1);
    try {
      const parked = await placeOrder(app, [{ productId, quantity: 1 }]);
      await app.eventually(async () => expect((await paymentOf(app, parked)).status).toBe('PARKED'), 60_000);
      await setCardFailureRate(0);
      expect((await finalOrder(app, parked, 60_000)).status).toBe('COMPLETED');
    } finally {
      await setCardFailureRate(0);
    }

    // A product read twice (a cache miss, then a hit) and a search.
    await app.http().get(`/api/v1/products/${productId}`).expect(200);
    await app.http().get(`/api/v1/products/${productId}`).expect(200);
    await app.http().get('/api/v1/products').query({ q: 'test' }).expect(200);

    // A record delivered twice (an inbox duplicate) and one no consumer can decode (a dead letter).
    const kafka = new Kafka({ clientId: 'test-promql', brokers: app.kafka.brokers.split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    try {
      const [{ envelope }] = await app.sql<{ envelope: Envelope }>(
        `SELECT envelope FROM messaging.outbox WHERE aggregate_id = $1 AND type = 'inventory.stock.reserve'`,
        [orders[0]],
      );
      await producer.send({ topic: 'inventory.commands', messages: [toKafkaRecord(envelope)] });
      await producer.send({ topic: 'inventory.commands', messages: [{ key: 'garbage', value: 'not json at all' }] });
    } finally {
      await producer.disconnect();
    }
    await app.eventually(async () => {
      const { body } = await (await asAdmin(app)).get('/api/v1/admin/dead-letters').expect(200);
      if ((body as unknown[]).length === 0) throw new Error('no dead letter yet');
    }, 30_000);
    await app.drained();

    // Each process as the compose file scrapes it: its role as `service`, the deployment beside it.
    const targets = Object.entries(app.processes)
      .map(([role, member]) => `      - targets: ["127.0.0.1:${member.port}"]\n        labels: { service: ${role}, deployment: split }`)
      .join('\n');
    prometheus = await TestPrometheus.start(
      [
        'global:',
        `  scrape_interval: ${SCRAPE_INTERVAL}`,
        `  evaluation_interval: ${SCRAPE_INTERVAL}`,
        'rule_files:',
        `  - ${JSON.stringify(ALERTS)}`,
        'scrape_configs:',
        '  - job_name: commerce',
        '    static_configs:',
        targets,
        '',
      ].join('\n'),
      dir,
    );
    const expected = Object.keys(app.processes).length;
    // Every target up, scraped a few times, and every rule evaluated since.
    await app.eventually(async () => {
      const up = await prometheus!.api<QueryData>('query', { query: 'count_over_time(up{job="commerce"}[1m]) >= 5 and up{job="commerce"} == 1' });
      const scraped = up.data?.resultType === 'vector' ? up.data.result.length : 0;
      if (scraped < expected) throw new Error(`${scraped} of ${expected} targets up and scraped 5 times`);
    }, 60_000);
    await app.eventually(async () => {
      const rules = await prometheus!.api<{ groups: RuleGroup[] }>('rules');
      const waiting = rules.data.groups.flatMap((g) => g.rules).filter((r) => new Date(r.lastEvaluation).getTime() <= 0);
      if (waiting.length > 0) throw new Error(`rules not evaluated yet: ${waiting.map((r) => r.name).join(', ')}`);
      groups = rules.data.groups;
    }, 30_000);
  }, 300_000);

  afterAll(async () => {
    await prometheus?.stop();
    await app?.close();
    await redis?.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Evaluates each query; the failure message lists every one that failed or had no data. A query
   * without data is asked again over a few scrapes: a process that a loaded machine stalls past the
   * scrape timeout (the interval, 1 s) has every series marked stale until its next scrape.
   */
  async function expectData(queries: Labelled[]): Promise<void> {
    const failures: string[] = [];
    let lacking = queries;
    for (let round = 1; lacking.length > 0; round++) {
      const stillLacking: Labelled[] = [];
      for (const query of lacking) {
        const { problem } = await prometheus!.evaluate(query.expr);
        if (problem === 'no data' && round < 5) stillLacking.push(query);
        else if (problem) failures.push(`${query.where}: ${problem}\n    ${query.expr}`);
      }
      lacking = stillLacking;
      if (lacking.length > 0) await sleep(2_000);
    }
    expect(failures).toEqual([]);
  }

  it('has data for every query of every dashboard and template variable', async () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(0);
    process.stdout.write(`PromQL suite: ${queries.length} dashboard queries\n`);
    await expectData(queries);
  });

  it('has data for every metric a dashboard query names', async () => {
    const names = [...new Set(dashboardQueries().flatMap(({ expr }) => metricNames(expr)))].sort();
    await expectData(names.map((name) => ({ where: `metric ${name}`, expr: `count(${name})` })));
  });

  it('loads every alert rule, which evaluates without error and reads metrics that have data', async () => {
    const rules = groups.flatMap((group) => group.rules.map((rule) => ({ group: group.name, ...rule })));
    const alerts = rules.filter((rule) => rule.type === 'alerting');
    expect(alerts.length).toBeGreaterThan(0);
    const names = [...new Set(rules.flatMap((rule) => metricNames(rule.query)))].sort();
    process.stdout.write(`PromQL suite: ${alerts.length} alert rules reading ${names.length} metrics\n`);

    const failures: string[] = [];
    for (const rule of rules) {
      if (rule.health !== 'ok') failures.push(`${rule.group}/${rule.name}: health ${rule.health} ${rule.lastError ?? ''}`);
      const answer = await prometheus!.api<QueryData>('query', { query: rule.query });
      if (answer.status !== 'success') failures.push(`${rule.group}/${rule.name}: ${answer.errorType}: ${answer.error}`);
    }
    for (const name of names) {
      const { problem } = await prometheus!.evaluate(`count(${name})`);
      if (problem) failures.push(`metric ${name}, read by ${rules.filter((r) => metricNames(r.query).includes(name)).map((r) => r.name).join(', ')}: ${problem}`);
    }
    expect(failures).toEqual([]);
  });

  it('gives every alert a for: duration, a severity, a summary, a description and a runbook section', () => {
    const runbook = readFileSync(RUNBOOK, 'utf8');
    const anchors = new Set([...runbook.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]));
    const problems: string[] = [];
    for (const rule of groups.flatMap((group) => group.rules).filter((r) => r.type === 'alerting')) {
      const anchor = rule.name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
      if (!rule.duration) problems.push(`${rule.name}: no for:`);
      if (!['critical', 'warning'].includes(rule.labels?.severity ?? '')) problems.push(`${rule.name}: severity ${rule.labels?.severity}`);
      for (const key of ['summary', 'description']) if (!rule.annotations?.[key]) problems.push(`${rule.name}: no ${key}`);
      if (rule.annotations?.runbook_url !== `docs/alerts.md#${anchor}`) problems.push(`${rule.name}: runbook_url ${rule.annotations?.runbook_url}, not docs/alerts.md#${anchor}`);
      if (!anchors.has(anchor)) problems.push(`${rule.name}: docs/alerts.md has no section ${anchor}`);
    }
    expect(problems).toEqual([]);
  });
});
