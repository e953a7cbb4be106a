import { FASTIFY_ROUTE_CONFIG_METADATA } from '@nestjs/platform-fastify/constants';
import { RouteConfig } from '@nestjs/platform-fastify';
import Fastify from 'fastify';
import { BodyLimit, enforceRequestLimits } from './request-limits';

class Controller {
  @BodyLimit(1024)
  @RouteConfig({ rateLimit: 5 })
  create(): void {}
}

describe(BodyLimit.name, () => {
  it("keeps the route's other Fastify config", () => {
    expect(Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, Object.getOwnPropertyDescriptor(Controller.prototype, 'create')!.value)).toEqual({ rateLimit: 5, bodyLimit: 1024 });
  });

  it('refuses a limit that is not a positive number of bytes', () => {
    expect(() => BodyLimit(0)).toThrow(RangeError);
    expect(() => BodyLimit(1.5)).toThrow(RangeError);
  });
});

describe(enforceRequestLimits.name, () => {
  it("gives a route with a body limit in its config that limit instead of the server's", async () => {
    const fastify = Fastify({ bodyLimit: 100 });
    enforceRequestLimits(fastify);
    fastify.post('/small', () => 'ok');
    fastify.post('/large', { config: { bodyLimit: 1000 } }, () => 'ok');
    const post = (url: string, bytes: number) =>
      fastify.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: `"${'a'.repeat(bytes - 2)}"` });
    expect((await post('/small', 101)).statusCode).toBe(413);
    expect((await post('/large', 1000)).statusCode).toBe(200);
    expect((await post('/large', 1001)).statusCode).toBe(413);
  });
});
