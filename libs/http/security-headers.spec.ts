import Fastify, { FastifyInstance } from 'fastify';
import { secureResponseHeaders } from './security-headers';

async function serverWith(corsOrigins: string[]): Promise<FastifyInstance> {
  const fastify = Fastify();
  await secureResponseHeaders(fastify, { corsOrigins, docsPath: '/docs', consolePath: '/console' });
  for (const url of ['/docs', '/docs/swagger-ui-init.js', '/docs-json', '/documents', '/console', '/console/*', '/consoles']) {
    fastify.get(url, () => 'ok');
  }
  fastify.get('/failing', () => {
    throw new Error('down');
  });
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

  /** What helmet sets only for a rendered document: a page's answers carry them, the API's do not. */
  const DOCUMENT_HEADERS = {
    'cross-origin-opener-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  };

  it("sets helmet's headers for a JSON answer on every answer, an unknown path's and a failed handler's included", async () => {
    const fastify = await serverWith([]);
    for (const [url, status] of [['/documents', 200], ['/nowhere', 404], ['/failing', 500]] as const) {
      const response = await fastify.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(status);
      expect(response.headers).toMatchObject({
        'content-security-policy': "default-src 'none';frame-ancestors 'none'",
        'cross-origin-resource-policy': 'same-origin',
        'referrer-policy': 'no-referrer',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
      });
      for (const name of [...Object.keys(DOCUMENT_HEADERS), 'x-powered-by']) expect(response.headers[name]).toBeUndefined();
    }
  });

  it("adds helmet's document headers to the pages of Swagger UI and the console", async () => {
    const fastify = await serverWith([]);
    for (const url of ['/docs', '/console', '/console/orders']) {
      const response = await fastify.inject({ method: 'GET', url });
      expect(response.headers).toMatchObject({
        ...DOCUMENT_HEADERS,
        'cross-origin-resource-policy': 'same-origin',
        'referrer-policy': 'no-referrer',
        'strict-transport-security': 'max-age=31536000; includeSubDomains',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
      });
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
