import Fastify, { FastifyInstance } from 'fastify';
import { secureResponseHeaders } from './security-headers';

async function serverWith(corsOrigins: string[]): Promise<FastifyInstance> {
  const fastify = Fastify();
  await secureResponseHeaders(fastify, { corsOrigins, docsPath: '/docs', consolePath: '/console' });
  for (const url of ['/docs', '/docs/swagger-ui-init.js', '/docs-json', '/documents', '/console', '/console/*', '/consoles']) {
    fastify.get(url, () => 'ok');
  }
  await fastify.ready();
  return fastify;
}

describe(secureResponseHeaders.name, () => {
  it('gives no origin any CORS header when none is configured, preflight included', async () => {
    const fastify = await serverWith([]);
    const preflight = await fastify.inject({
      method: 'OPTIONS',
      url: '/documents',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'GET' },
    });
    const read = await fastify.inject({ method: 'GET', url: '/documents', headers: { origin: 'https://shop.example' } });
    expect(preflight.statusCode).toBe(404);
    for (const response of [preflight, read]) {
      expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it("gives Swagger UI's paths its page policy and every other path the API's", async () => {
    const fastify = await serverWith([]);
    const policyOf = async (url: string) => (await fastify.inject({ method: 'GET', url })).headers['content-security-policy'];
    expect(await policyOf('/docs')).toContain("script-src 'self'");
    expect(await policyOf('/docs/swagger-ui-init.js')).toContain("script-src 'self'");
    expect(await policyOf('/docs-json')).toBe("default-src 'none';frame-ancestors 'none'");
    expect(await policyOf('/documents')).toBe("default-src 'none';frame-ancestors 'none'");
  });

  it("gives the console's pages and files a policy of their own origin only, with nothing inline", async () => {
    const fastify = await serverWith([]);
    const policyOf = async (url: string) => (await fastify.inject({ method: 'GET', url })).headers['content-security-policy'];
    for (const url of ['/console', '/console/orders', '/console/assets/index-3f2a.js']) {
      const policy = String(await policyOf(url));
      expect(policy).toContain("script-src 'self';");
      expect(policy).toContain("style-src 'self';");
      expect(policy).toContain("connect-src 'self';");
      expect(policy).not.toContain('unsafe-inline');
    }
    expect(await policyOf('/consoles')).toBe("default-src 'none';frame-ancestors 'none'");
  });
});
