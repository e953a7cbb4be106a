import Fastify, { FastifyInstance } from 'fastify';
import { secureResponseHeaders } from './security-headers';

async function serverWith(corsOrigins: string[]): Promise<FastifyInstance> {
  const fastify = Fastify();
  await secureResponseHeaders(fastify, { corsOrigins, docsPath: '/docs' });
  for (const url of ['/docs', '/docs/swagger-ui-init.js', '/docs-json', '/documents']) fastify.get(url, () => 'ok');
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
});
