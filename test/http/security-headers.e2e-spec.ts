import request from 'supertest';
import { catalogProduct } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

const SHOP = 'https://shop.example';
const STRANGER = 'https://stranger.example';

/** What every API answer carries, whatever its status. */
const API_HEADERS = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

function directivesOf(policy: string): Record<string, string[]> {
  return Object.fromEntries(policy.split(';').map((directive) => {
    const [name, ...sources] = directive.trim().split(/\s+/);
    return [name, sources];
  }));
}

function corsHeadersOf(response: request.Response): string[] {
  return Object.keys(response.headers).filter((name) => name.startsWith('access-control-'));
}

describe('Response headers: Helmet and CORS', () => {
  let app: TestApp;
  const preflight = (path: string, origin: string) =>
    request(app.nest.getHttpServer())
      .options(path)
      .set('origin', origin)
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'authorization,content-type');

  beforeAll(async () => {
    app = await startTestApp({ CORS_ORIGINS: `${SHOP}, http://localhost:5173` });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers with headers that let nothing load, frame or sniff an answer, errors included', async () => {
    const answers = [
      await app.http().get('/health/live').expect(200),
      await app.http().get('/api/v1/products/not-a-uuid').expect(400),
      await app.http().get('/api/v1/no-such-route').expect(404),
    ];
    for (const answer of answers) expect(answer.headers).toMatchObject(API_HEADERS);
  });

  it('sends them, and the CORS grant, with a product read answered from cache', async () => {
    const productId = await catalogProduct(app);
    // Indexing drops the product from the cache once; the first read after it fills the cache.
    await app.drained();
    await app.http().get(`/api/v1/products/${productId}`).expect(200);
    const cached = await app.http().get(`/api/v1/products/${productId}`).set('origin', SHOP).expect(200);
    expect(cached.headers).toMatchObject({ ...API_HEADERS, 'access-control-allow-origin': SHOP });
  });

  it('serves Swagger UI under a policy its page and assets work with, and the document as JSON', async () => {
    const page = await app.http().get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(directivesOf(page.headers['content-security-policy'])).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
    // script-src 'self' holds only while the page runs no inline script.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map(([, reference]) => new URL(reference, 'http://api.test/docs'));
    expect(assets.map((url) => url.pathname)).toEqual(
      expect.arrayContaining(['/docs/swagger-ui.css', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui-init.js']),
    );
    for (const asset of assets) {
      expect(asset.origin).toBe('http://api.test');
      await app.http().get(asset.pathname).expect(200);
    }

    const document = await app.http().get('/docs-json').expect(200);
    expect(document.headers).toMatchObject(API_HEADERS);
    expect(document.body.paths['/api/v1/orders']).toBeDefined();
  });

  it('answers a preflight from a configured origin with what its page may send and read', async () => {
    const response = await preflight('/api/v1/orders', SHOP).expect(204);
    expect(response.headers).toMatchObject({ 'access-control-allow-origin': SHOP, 'access-control-max-age': '600' });
    expect(response.headers['access-control-allow-methods'].split(', ')).toContain('POST');
    expect(response.headers['access-control-allow-headers'].split(', ')).toEqual(expect.arrayContaining(['Authorization', 'Content-Type']));
    expect(response.headers.vary).toMatch(/\bOrigin\b/);
  });

  it('gives a preflight from any other origin no CORS header at all', async () => {
    const response = await preflight('/api/v1/orders', STRANGER).expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(corsHeadersOf(response)).toEqual([]);
  });

  it('lets a configured origin read an answer and the headers it needs; no one else', async () => {
    const granted = await app.http().get('/health/live').set('origin', 'http://localhost:5173').expect(200);
    expect(granted.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(granted.headers['access-control-expose-headers'].split(', ')).toEqual(
      expect.arrayContaining(['Location', 'ETag', 'Retry-After', 'X-Correlation-Id', 'RateLimit-Remaining']),
    );

    const refused = await app.http().get('/health/live').set('origin', STRANGER).expect(200);
    expect(corsHeadersOf(refused)).toEqual([]);
  });
});
