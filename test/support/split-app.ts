import { Admin, Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import request from 'supertest';
import { IntegrationMessage } from '../../libs/contracts';
import { CONTEXT_NAMES, ContextName } from '../../libs/contracts/message';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/app-config';
import { AppProcess, freePort } from './app-process';
import { KafkaMock, kafkaMockUnavailable } from './kafka-mock';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { TestApp } from './test-app';
import { createTestDatabase, eventually, HttpRoutes, publishThroughOutbox, TEST_ENV, TestDatabase, UNDELIVERED_MESSAGES } from './test-env';

/**
 * The split the deployment docs describe: an edge with the customer-facing contexts, and three workers;
 * receipts, slow and failure-prone outbound work like notifications, runs beside it.
 */
export const SPLIT_ROLES = {
  edge: ['ordering', 'catalog', 'identity'],
  inventory: ['inventory'],
  payments: ['payments'],
  notifications: ['notifications', 'receipts'],
} as const satisfies Record<string, readonly ContextName[]>;
export type SplitRole = keyof typeof SPLIT_ROLES;

/** How many of its process' last log lines the report of a group left behind shows. */
const CONSUMER_LOG_LINES = 15;

/** The gateway's routes: first path segment after /api/v1 → context. */
const ROUTE_CONTEXT: Record<string, ContextName> = {
  products: 'catalog',
  inventory: 'inventory',
  orders: 'ordering',
  payments: 'payments',
  notifications: 'notifications',
  nft: 'receipts',
};

/** Why the split topology cannot run here, or undefined when it can. */
export function splitUnavailable(): string | undefined {
  if (!process.env.TEST_DATABASE_URL) return 'it needs a real Postgres server in TEST_DATABASE_URL';
  return kafkaMockUnavailable();
}

/**
 * The service as four OS processes sharing one Postgres database and talking over a
 * Kafka-protocol broker, with a gateway that sends each `/api/v1/<context>` path to the process
 * hosting that context.
 */
export class SplitApp implements TestApp {
  /** A pool: a suite publishes and reads concurrently, which one connection would take in turn only by pg's deprecated queueing. */
  private readonly db: Pool;
  private readonly admin: Admin;
  /** The consumer group the last look at pending work found behind, if any. */
  private laggingGroup?: ContextName;

  private constructor(
    readonly kafka: KafkaMock,
    readonly processes: Record<SplitRole, AppProcess>,
    databaseUrl: string,
    private readonly dropDatabase: () => Promise<void>,
    private readonly groupTopics: [ContextName, string[]][],
  ) {
    this.db = new Pool({ connectionString: databaseUrl, max: 4 });
    this.admin = new Kafka({ clientId: 'test-observer', brokers: kafka.brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  }

  static async start(env: Record<string, string> = {}): Promise<SplitApp> {
    const unavailable = splitUnavailable();
    if (unavailable) throw new Error(`the split topology cannot run: ${unavailable}`);
    const database = await createTestDatabase();
    const kafka = await KafkaMock.start().catch(async (error: unknown) => {
      await database.drop();
      throw error;
    });
    let app: SplitApp | undefined;
    try {
      app = await SplitApp.over(database, kafka, env);
      // Every start settles before anything is stopped, so no process is left starting.
      const starts = await Promise.allSettled(Object.values(app.processes).map((p) => p.start()));
      const failed = starts.find((start): start is PromiseRejectedResult => start.status === 'rejected');
      if (failed) throw failed.reason;
      await app.admin.connect();
      return app;
    } catch (error) {
      // The suite gets no app to close: what did start would outlive it.
      await (app ? app.close() : kafka.stop().then(() => database.drop())).catch((closeError: unknown) => {
        throw new AggregateError([error, closeError], 'the split did not start, and stopping what had started failed');
      });
      throw error;
    }
  }

  /** The four processes, not started yet, on that database and broker. */
  private static async over(database: TestDatabase, kafka: KafkaMock, env: Record<string, string>): Promise<SplitApp> {
    // Warnings and errors are kept (in memory) for the report of a consumer group left behind.
    const logLevel = { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
    const shared = { ...TEST_ENV, ...logLevel, ...database.env, KAFKA_BROKERS: kafka.brokers, KAFKA_MAX_WAIT_MS: '50', KAFKA_SESSION_TIMEOUT_MS: '8000', ...env };
    const processes = {} as Record<SplitRole, AppProcess>;
    const edgePort = await freePort();
    // The workers verify access tokens with the keys identity publishes at the edge.
    const jwks = { JWKS_URL: `http://127.0.0.1:${edgePort}/.well-known/jwks.json` };
    for (const [role, modules] of Object.entries(SPLIT_ROLES)) {
      const port = role === 'edge' ? edgePort : await freePort();
      processes[role as SplitRole] = new AppProcess(port, { OTEL_SERVICE_NAME: `commerce-${role}`, ...shared, ...jwks, MODULES: modules.join(',') });
    }
    const topology = AppModule.topology(loadConfig(shared));
    const groupTopics = CONTEXT_NAMES.map((context): [ContextName, string[]] => [context, topology.topicsReadBy(context)]);
    return new SplitApp(kafka, processes, database.env.DATABASE_URL, () => database.drop(), groupTopics);
  }

  get nest(): NestFastifyApplication {
    throw new Error('this suite reaches into the application object, which the split topology does not have');
  }

  /**
   * `eventually` with twice its patience: a message between the processes crosses a relay, the
   * broker and a consumer group, any of which can still be settling just after the start on a
   * loaded machine. A timeout also says what was still undelivered.
   */
  async eventually<T>(assertion: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
    try {
      return await eventually(assertion, timeoutMs);
    } catch (error) {
      const pending = await this.pendingWork().catch((reason: unknown) => `unknown (${String(reason)})`);
      if (error instanceof Error && pending) error.message += `\nstill undelivered: ${pending}`;
      throw await this.withConsumerReport(error);
    }
  }

  /** The process serving a path, as the gateway routes it; operations paths go to the edge. */
  processFor(path: string): AppProcess {
    const context = ROUTE_CONTEXT[/^\/api\/v1\/([^/?]+)/.exec(path)?.[1] ?? ''];
    return context ? this.processHosting(context) : this.processes.edge;
  }

  urlOf(context: ContextName): string {
    return this.processHosting(context).url;
  }

  publish(message: IntegrationMessage, aggregateId: string): Promise<void> {
    return publishThroughOutbox((query, params) => this.db.query(query, params), message, aggregateId);
  }

  private processHosting(context: ContextName): AppProcess {
    const role = (Object.keys(SPLIT_ROLES) as SplitRole[]).find((r) => (SPLIT_ROLES[r] as readonly ContextName[]).includes(context));
    return this.processes[role ?? 'edge'];
  }

  http(): HttpRoutes {
    const to = (path: string): string => this.processFor(path).url;
    return {
      get: (path: string) => request(to(path)).get(path),
      post: (path: string) => request(to(path)).post(path),
      put: (path: string) => request(to(path)).put(path),
      patch: (path: string) => request(to(path)).patch(path),
      delete: (path: string) => request(to(path)).delete(path),
    };
  }

  async sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query(query, params)).rows as T[];
  }

  /**
   * Every committed message delivered: the outbox has nothing left to send and every consumer
   * group has committed up to the end of its topics. Checked twice in a row, as a handler
   * finishing between the two reads can emit more.
   */
  async drained(timeoutMs = 30_000): Promise<void> {
    let quietRounds = 0;
    try {
      await eventually(async () => {
        const pending = await this.pendingWork();
        quietRounds = pending ? 0 : quietRounds + 1;
        if (quietRounds < 2) throw new Error(pending ?? 'confirming quiet');
      }, timeoutMs);
    } catch (error) {
      throw await this.withConsumerReport(error);
    }
  }

  /** What is still undelivered and where, or undefined when everything committed was delivered. */
  async pendingWork(): Promise<string | undefined> {
    this.laggingGroup = undefined;
    if (this.kafka.exitedWith) return `the mock cluster exited (${this.kafka.exitedWith}): nothing can be delivered any more`;
    const [{ n }] = await this.sql<{ n: number }>(UNDELIVERED_MESSAGES);
    if (n > 0) {
      // Which process' rows, how often tried and why: what a stuck relay needs to be understood.
      const stuck = await this.sql<{ origin: string; attempts: number; leased: boolean; last_error: string | null; n: number }>(
        `SELECT origin, attempts, locked_until > now() AS leased, last_error, count(*)::int AS n FROM messaging.outbox
         WHERE published_at IS NULL AND dead_at IS NULL GROUP BY 1, 2, 3, 4 ORDER BY n DESC LIMIT 5`,
      );
      return `${n} messages still in the outbox: ${JSON.stringify(stuck)}`;
    }
    for (const [groupId, topics] of this.groupTopics) {
      if (topics.length === 0) continue;
      const committed = await this.admin.fetchOffsets({ groupId, topics });
      for (const { topic, partitions } of committed) {
        const ends = await this.admin.fetchTopicOffsets(topic);
        for (const end of ends) {
          const done = Number(partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
          const lag = Number(end.high) - Math.max(done, Number(end.low));
          if (lag > 0) {
            this.laggingGroup = groupId;
            return `group ${groupId} is ${lag} behind on ${topic}[${end.partition}]`;
          }
        }
      }
    }
    return undefined;
  }

  /**
   * A wait that ended with a consumer group behind, told what the process hosting the group's
   * context says of its consumers (readiness) and the last lines it logged about them: what a group
   * that stopped consuming needs to be understood. The mock cluster answers no DescribeGroups, so
   * the group's members cannot be asked of the broker.
   */
  private async withConsumerReport(error: unknown): Promise<unknown> {
    const context = this.laggingGroup;
    if (!(error instanceof Error) || context === undefined) return error;
    const host = this.processHosting(context);
    const readiness = await fetch(`${host.url}/health/ready`)
      .then(async (response) => `${response.status} ${JSON.stringify(((await response.json()) as { checks?: { kafka?: unknown } }).checks?.kafka)}`)
      .catch((reason: unknown) => `no answer (${String(reason)})`);
    const logged = host.output.join('').split('\n').filter((line) => line.includes(context)).slice(-CONSUMER_LOG_LINES);
    error.message += `\nreadiness of its process: ${readiness}; its last lines about ${context}:\n${logged.join('\n') || '(none)'}`;
    return error;
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.processes).map((p) => p.stop()));
    await this.admin.disconnect();
    await this.db.end();
    await this.kafka.stop();
    await this.dropDatabase();
  }
}
