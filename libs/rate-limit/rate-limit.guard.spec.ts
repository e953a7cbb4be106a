import { Body, CanActivate, Controller, ExecutionContext, Get, HttpCode, Injectable, Logger, Module, Post } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { FastifyRequest } from 'fastify';
import { ProblemDetailsFilter } from '../http';
import { RateLimit, SkipRateLimit } from './rate-limit.decorators';
import { RateLimitModule } from './rate-limit.module';
import { RateLimitOptions } from './rate-limit.options';

/** Stands in for authentication: the principal named by `x-user`, as a verified token would give. */
@Injectable()
class HeaderAuthentication implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: { id: string } }>();
    const id = request.headers['x-user'];
    if (typeof id === 'string') request.user = { id };
    return true;
  }
}

/** Registers its guard from inside a module, as the authentication module does. */
@Module({ providers: [{ provide: APP_GUARD, useClass: HeaderAuthentication }] })
class AuthenticationModule {}

@Controller()
class ShopController {
  @Get('things')
  things(): string {
    return 'ok';
  }

  @Post('login')
  @HttpCode(200)
  @RateLimit('auth', { account: 'email' })
  login(@Body() body: { email?: string }): string {
    return `hello ${body.email}`;
  }

  @Post('orders')
  @HttpCode(202)
  @RateLimit('orders')
  place(): string {
    return 'accepted';
  }
}

@Controller('health')
@SkipRateLimit()
class ProbeController {
  @Get()
  health(): string {
    return 'ok';
  }
}

const OPTIONS: RateLimitOptions = {
  enabled: true,
  keyPrefix: 'guard-spec',
  buckets: {
    default: { limit: 3, windowMs: 60_000 },
    auth: { limit: 4, windowMs: 60_000 },
    authAccount: { limit: 2, windowMs: 60_000 },
    orders: { limit: 2, windowMs: 60_000 },
  },
};

interface Call {
  method?: 'GET' | 'POST';
  url: string;
  ip?: string;
  user?: string;
  body?: object;
}

describe('RateLimitGuard', () => {
  let app: NestFastifyApplication;

  beforeEach(async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const moduleRef = await Test.createTestingModule({
      imports: [AuthenticationModule, RateLimitModule.forRoot(OPTIONS)],
      controllers: [ShopController, ProbeController],
      providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
    }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterEach(async () => {
    await app.close();
    jest.restoreAllMocks();
  });

  function call({ method = 'GET', url, ip = '203.0.113.1', user, body }: Call) {
    return app.inject({ method, url, remoteAddress: ip, headers: user ? { 'x-user': user } : {}, ...(body ? { payload: body } : {}) });
  }

  async function statuses(count: number, request: Call): Promise<number[]> {
    const answers = [];
    for (let i = 0; i < count; i++) answers.push((await call(request)).statusCode);
    return answers;
  }

  it('answers within the limit with the RateLimit headers, and over it with 429 problem+json and Retry-After', async () => {
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await call({ url: '/things' }));

    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 429]);
    expect(answers.map((a) => a.headers['ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
    expect(answers[0].headers).toMatchObject({ 'ratelimit-limit': '3', 'ratelimit-reset': '20' });
    const refused = answers[3];
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    // The bucket refills while the requests run (a second of it on a loaded machine); full is two refills after the next token.
    const retryAfter = Number(refused.headers['retry-after']);
    expect([19, 20]).toContain(retryAfter);
    expect(refused.headers['ratelimit-reset']).toBe(String(retryAfter + 40));
    expect(refused.json()).toMatchObject({
      status: 429,
      title: 'Too Many Requests',
      detail: `Too many requests: the default limit is 3 per 60 s per caller; retry in ${retryAfter} s`,
      instance: '/things',
    });
  });

  it('counts each signed-in user apart, after authentication, whatever address they come from', async () => {
    expect(await statuses(4, { url: '/things', user: 'alice' })).toEqual([200, 200, 200, 429]);

    expect(await statuses(1, { url: '/things', user: 'bob' })).toEqual([200]);
    expect(await statuses(1, { url: '/things', user: 'alice', ip: '198.51.100.7' })).toEqual([429]);
    expect(await statuses(1, { url: '/things' })).toEqual([200]);
  });

  it('counts anonymous callers by address, an IPv6 /64 as one', async () => {
    expect(await statuses(4, { url: '/things', ip: '2001:db8:1:2::10' })).toEqual([200, 200, 200, 429]);

    expect(await statuses(1, { url: '/things', ip: '2001:db8:1:2:ffff::1' })).toEqual([429]);
    expect(await statuses(1, { url: '/things', ip: '2001:db8:1:3::10' })).toEqual([200]);
    expect(await statuses(1, { url: '/things', ip: '203.0.113.2' })).toEqual([200]);
  });

  it('limits sign-in per account, the address trimmed and lower-cased, from any address', async () => {
    const attempt = (email: string, ip: string): Call => ({ method: 'POST', url: '/login', body: { email }, ip });

    expect(await statuses(1, attempt('Victim@Shop.example', '203.0.113.10'))).toEqual([200]);
    expect(await statuses(1, attempt(' victim@shop.example ', '203.0.113.11'))).toEqual([200]);
    const refused = await call(attempt('VICTIM@shop.example', '203.0.113.12'));

    expect(refused.statusCode).toBe(429);
    expect(refused.json().detail).toMatch(/^Too many requests: the auth-account limit is 2 per 60 s per account/);
    expect(await statuses(1, attempt('someone@shop.example', '203.0.113.12'))).toEqual([200]);
  });

  it('limits sign-in per address across accounts, and apart from the other routes', async () => {
    const attempts = ['a', 'b', 'c', 'd', 'e'].map((name): Call => ({ method: 'POST', url: '/login', body: { email: `${name}@shop.example` } }));
    const answers = [];
    for (const attempt of attempts) answers.push(await call(attempt));

    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 429]);
    expect(answers[4].json().detail).toMatch(/the auth limit is 4 per 60 s per IP address/);
    expect(await statuses(1, { url: '/things' })).toEqual([200]);
  });

  it('reports the bucket closest to refusing where a route draws from two', async () => {
    const answer = await call({ method: 'POST', url: '/login', body: { email: 'one@shop.example' } });

    expect(answer.headers).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '1' });
  });

  it('brakes placing orders per customer after a few, while the customer can still read', async () => {
    expect(await statuses(3, { method: 'POST', url: '/orders', user: 'carder' })).toEqual([202, 202, 429]);

    expect(await statuses(1, { url: '/things', user: 'carder' })).toEqual([200]);
    expect(await statuses(1, { method: 'POST', url: '/orders', user: 'shopper' })).toEqual([202]);
  });

  it('never limits a route under SkipRateLimit', async () => {
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await call({ url: '/health' }));

    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(answers[0].headers['ratelimit-limit']).toBeUndefined();
  });
});
