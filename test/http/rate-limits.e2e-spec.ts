import { Logger } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { register } from 'prom-client';
import { RateLimitGuard } from '../../libs/rate-limit';
import { deleteKeys, redisForTests } from '../cache/cache-test-support';
import { startTestApp, TestApp } from '../support/test-app';

/** Limits on (TEST_ENV turns them off), with a default bucket small enough to empty in a test. */
const LIMITED = { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_DEFAULT_LIMIT: '3', RATE_LIMIT_DEFAULT_WINDOW_MS: '60000' };
const SEARCH = '/api/v1/products?q=tee';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Record<string, unknown>;
}

/** A request from `ip`, as Fastify sees the client's address. */
async function from(app: TestApp, ip: string, url = SEARCH): Promise<Answer> {
  const answer = await app.nest.getHttpAdapter().getInstance().inject({ method: 'GET', url, remoteAddress: ip });
  return { status: answer.statusCode, headers: answer.headers, body: answer.json() };
}

async function statuses(app: TestApp, ip: string, count: number, url = SEARCH): Promise<number[]> {
  const answers = [];
  for (let i = 0; i < count; i++) answers.push((await from(app, ip, url)).status);
  return answers;
}

interface Operation {
  responses: Record<string, { headers?: Record<string, unknown>; description?: string }>;
  'x-rate-limit'?: { profile: string };
}

function operationsOf(document: { paths: Record<string, Record<string, Operation>> }): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]): [string, Operation] => [`${method} ${path}`, operation]),
  );
}

describe('Rate limits', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp(LIMITED);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('API4:2023 unrestricted resource consumption: over the rate limit gets 429 with Retry-After', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await from(app, '203.0.113.1'));

    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers['ratelimit-limit'])).toEqual(['3', '3', '3', '3']);
    expect(answers.map((a) => a.headers['ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
    const refused = answers[3];
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(19);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(20);
    // The bucket refills while the four requests run (a second or more on a loaded machine), so
    // both waits may be a second short; full is always two refills after the first token.
    expect(Number(refused.headers['ratelimit-reset'])).toBe(Number(refused.headers['retry-after']) + 40);
    expect(refused.body).toMatchObject({ status: 429, title: 'Too Many Requests', instance: SEARCH });
    expect(refused.body.detail).toMatch(/^Too many requests: the default limit is 3 per 60 s per caller; retry in (19|20) s$/);
  });

  it('keeps a bucket per client address', async () => {
    expect(await statuses(app, '203.0.113.2', 4)).toEqual([200, 200, 200, 429]);

    expect(await statuses(app, '203.0.113.3', 1)).toEqual([200]);
    expect(await statuses(app, '203.0.113.2', 1)).toEqual([429]);
  });

  it('never limits the health probes', async () => {
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await from(app, '203.0.113.4', '/health/live'));

    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[0].headers['ratelimit-limit']).toBeUndefined();
  });

  it('runs after every other global guard, so that the limits count the user authentication found', () => {
    const guards = app.nest.get(ApplicationConfig).getGlobalGuards();

    expect(guards.at(-1)).toBeInstanceOf(RateLimitGuard);
    expect(guards.filter((guard) => guard instanceof RateLimitGuard)).toHaveLength(1);
  });

  it('documents 429, Retry-After and the RateLimit headers on every limited operation, and names its profile', async () => {
    const { body: document } = await app.http().get('/docs-json').expect(200);
    const faults: string[] = [];
    for (const [key, operation] of operationsOf(document)) {
      const probe = key.startsWith('get /health/');
      const limited = operation.responses['429'];
      if (probe !== (operation['x-rate-limit']?.profile === 'none')) faults.push(`${key}: x-rate-limit ${JSON.stringify(operation['x-rate-limit'])}`);
      if (probe === (limited !== undefined)) faults.push(`${key}: 429 ${probe ? 'documented' : 'missing'}`);
      if (limited && Object.keys(limited.headers ?? {}).sort().join() !== 'RateLimit-Limit,RateLimit-Remaining,RateLimit-Reset,Retry-After') {
        faults.push(`${key}: 429 headers ${Object.keys(limited.headers ?? {}).join()}`);
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        if (limited && /^2/.test(status) && !response.headers?.['RateLimit-Remaining']) faults.push(`${key} ${status}: no RateLimit headers`);
      }
    }

    expect(faults).toEqual([]);
    const placeOrder = document.paths['/api/v1/orders'].post as Operation;
    expect(placeOrder['x-rate-limit']).toEqual({ profile: 'orders' });
    expect(placeOrder.responses['429'].description).toMatch(/at most 5 per 60 s per caller/);
    expect((document.paths['/api/v1/products'].get as Operation).responses['429'].description).toMatch(/at most 3 per 60 s per caller/);
  });
});

describe('Rate limits turned off', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ RATE_LIMIT_ENABLED: 'false', RATE_LIMIT_DEFAULT_LIMIT: '3' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('RATE_LIMIT_ENABLED=false lets everything through, counts nothing and documents no 429', async () => {
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await from(app, '203.0.113.1'));

    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => a.headers['ratelimit-limit'] !== undefined)).toEqual([]);
    const { body: document } = await app.http().get('/docs-json').expect(200);
    expect(operationsOf(document).filter(([, operation]) => operation.responses['429'] || operation['x-rate-limit'])).toEqual([]);
  });
});

const redisUrl = redisForTests('Rate limits shared through Redis');

(redisUrl ? describe : describe.skip)('Rate limits shared through Redis', () => {
  const keyPrefix = `test-${randomUUID()}`;
  let one: TestApp;
  let other: TestApp;

  beforeAll(async () => {
    const env = { ...LIMITED, REDIS_URL: redisUrl!, CACHE_KEY_PREFIX: keyPrefix };
    one = await startTestApp(env);
    // Metrics live in prom-client's global registry, which the second app in this process fills again.
    register.clear();
    other = await startTestApp(env);
  });

  afterAll(async () => {
    await one?.close();
    await other?.close();
    await deleteKeys(redisUrl!, keyPrefix);
  });

  it('holds one limit across two instances', async () => {
    expect(await statuses(one, '203.0.113.1', 2)).toEqual([200, 200]);

    expect(await statuses(other, '203.0.113.1', 2)).toEqual([200, 429]);
    expect(await statuses(one, '203.0.113.1', 1)).toEqual([429]);
    expect(await statuses(other, '203.0.113.2', 1)).toEqual([200]);
  });
});

describe('Rate limits with Redis down', () => {
  let app: TestApp;
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    warn = jest.spyOn(Logger.prototype, 'warn');
    // Nothing listens on port 1: every connection attempt is refused.
    app = await startTestApp({ ...LIMITED, REDIS_URL: 'redis://127.0.0.1:1' });
  });

  afterAll(async () => {
    await app?.close();
    warn.mockRestore();
  });

  it('serves, warns, and applies the limits in each instance', async () => {
    expect(await statuses(app, '203.0.113.1', 4)).toEqual([200, 200, 200, 429]);

    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/Redis at 127\.0\.0\.1:1 is not reachable: rate limits are counted in each instance/));
  });
});

describe('Rate limits behind a proxy', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ ...LIMITED, TRUST_PROXY: '10.0.0.0/8' });
  });

  afterAll(async () => {
    await app?.close();
  });

  /** A request through the proxy at `proxy`, on behalf of `client`. */
  async function via(proxy: string, client: string): Promise<number> {
    const answer = await app.nest
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'GET', url: SEARCH, remoteAddress: proxy, headers: { 'x-forwarded-for': client } });
    return answer.statusCode;
  }

  it('counts the client a trusted proxy forwards for, and ignores X-Forwarded-For from anyone else', async () => {
    const throughProxy = [];
    for (let i = 0; i < 4; i++) throughProxy.push(await via('10.1.2.3', '198.51.100.1'));
    expect(throughProxy).toEqual([200, 200, 200, 429]);
    expect(await via('10.1.2.3', '198.51.100.2')).toBe(200);

    // Not a trusted proxy: its header is the caller's claim, so the caller's own address counts.
    const spoofing = [];
    for (let i = 0; i < 4; i++) spoofing.push(await via('203.0.113.9', `198.51.100.${10 + i}`));
    expect(spoofing).toEqual([200, 200, 200, 429]);
  });
});
