import { BeforeApplicationShutdown, Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { Public } from '../../libs/auth';
import { TwoLevelCache } from '../../libs/cache';
import { NotReadyException, ProblemResponses } from '../../libs/http';
import { KAFKA_CONSUMERS, type KafkaConsumers } from '../../libs/messaging';
import { DatabaseInfo } from '../../libs/persistence';
import { SkipRateLimit } from '../../libs/rate-limit';
import { CircuitBreakerRegistry } from '../../libs/resilience';

function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'failed';
}

/** How long readiness waits for the database: a database that stopped answering is down, not slow. */
const DATABASE_PROBE_MS = 3000;

@ApiTags('operations')
@Controller('health')
// Probes share the node's address with the traffic it forwards; a 429 to a probe would take the instance out.
@SkipRateLimit()
@Public()
export class HealthController implements BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly database: DatabaseInfo,
    private readonly cache: TwoLevelCache,
    @Optional() @Inject(KAFKA_CONSUMERS) private readonly kafka?: KafkaConsumers,
    @Optional() private readonly breakers?: CircuitBreakerRegistry,
  ) {}

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkResponse({
    schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] },
    example: { status: 'ok' },
  })
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'The process can serve traffic: its database answers, and Kafka when it uses Kafka',
    description:
      'Redis is reported too, but a Redis outage only degrades the cache to in-process: the process stays ready. So are the circuit ' +
      'breakers (`degraded` while one is not closed): an open payment provider breaker delays payments, orders are still accepted.',
  })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['ok'] },
        checks: { type: 'object', additionalProperties: { type: 'object' }, description: 'database, redis, kafka and circuitBreakers' },
      },
      required: ['status', 'checks'],
    },
    example: {
      status: 'ok',
      checks: {
        database: { status: 'up', kind: 'PostgreSQL' },
        redis: { status: 'up', host: 'redis:6379' },
        kafka: { status: 'up', brokers: 'kafka:9092' },
        circuitBreakers: { status: 'up', breakers: { 'payments.card': { state: 'closed', since: '2026-01-15T09:30:00.200Z' } } },
      },
    },
  })
  @ProblemResponses({ 503: 'A dependency is down or the process is stopping' })
  async ready(): Promise<object> {
    const [database, redis, kafka] = await Promise.all([this.checkDatabase(), this.cache.checkL2(), this.kafka?.health()]);
    const checks = { database, redis, ...(kafka ? { kafka } : {}), ...this.breakerChecks() };
    if (this.shuttingDown || database.status !== 'up' || kafka?.status === 'down') throw new NotReadyException(checks);
    return { status: 'ok', checks };
  }

  /** Reported, never failing readiness: a breaker guards a call the process can do without for a while. */
  private breakerChecks(): { circuitBreakers?: { status: 'up' | 'degraded'; breakers: Record<string, { state: string; since: Date }> } } {
    const statuses = this.breakers?.statuses() ?? [];
    if (statuses.length === 0) return {};
    return {
      circuitBreakers: {
        status: statuses.every(({ state }) => state === 'closed') ? 'up' : 'degraded',
        breakers: Object.fromEntries(statuses.map(({ breaker, state, since }) => [breaker, { state, since }])),
      },
    };
  }

  private async checkDatabase(): Promise<{ status: 'up' | 'down'; kind: string; error?: string }> {
    const kind = this.database.description;
    const giveUp = new AbortController();
    try {
      return await Promise.race([
        this.dataSource.query('SELECT 1').then(
          () => ({ status: 'up' as const, kind }),
          // The driver's code (ECONNREFUSED, 57P03, …), not its message: that names hosts, and anyone may ask.
          (error: unknown) => ({ status: 'down' as const, kind, error: errorCodeOf(error) }),
        ),
        sleep(DATABASE_PROBE_MS, { status: 'down' as const, kind, error: `no answer within ${DATABASE_PROBE_MS} ms` }, { signal: giveUp.signal }),
      ]);
    } finally {
      giveUp.abort();
    }
  }
}
