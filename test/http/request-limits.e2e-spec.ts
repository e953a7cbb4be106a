import request from 'supertest';
import { DEFAULT_BODY_LIMIT_BYTES, MAX_HEADER_BYTES, MAX_URL_LENGTH } from '../../libs/http';
import { createProducts, newProduct } from '../catalog/catalog-fixtures';
import { sendRaw } from '../support/raw-http';
import { sql } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

/** Planted in each refused request: no problem's detail may repeat it. */
const MARKER = 'zq<script>marker';

function expectProblem(response: request.Response, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: 'about:blank', status });
  expect(typeof response.body.detail).toBe('string');
  expect(response.body.detail).not.toContain('marker');
}

/** A JSON body of exactly `bytes` bytes, with the marker in it. */
function bodyOf(bytes: number): string {
  const frame = `{"customerId": "${MARKER}", "note": ""}`;
  return `{"customerId": "${MARKER}", "note": "${'a'.repeat(bytes - frame.length)}"}`;
}

async function productCount(app: TestApp): Promise<number> {
  const [{ n }] = await sql<{ n: number }>(app, 'SELECT count(*)::int AS n FROM catalog.product');
  return n;
}

describe('Limits on what a request may make the server read', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('body size', () => {
    it('reads a body of exactly the default limit on an ordinary route, and refuses one byte more with 413', async () => {
      expect(Buffer.byteLength(bodyOf(DEFAULT_BODY_LIMIT_BYTES))).toBe(DEFAULT_BODY_LIMIT_BYTES);
      const read = await app.http().post('/api/v1/orders').set('content-type', 'application/json').send(bodyOf(DEFAULT_BODY_LIMIT_BYTES));
      // Read: whatever else is wrong with it, its size is not.
      expect(read.status).not.toBe(413);

      const refused = await app
        .http()
        .post('/api/v1/orders')
        .set('content-type', 'application/json')
        .send(bodyOf(DEFAULT_BODY_LIMIT_BYTES + 1));
      expectProblem(refused, 413);
      expect(refused.body.detail).toBe(`the body is larger than the ${DEFAULT_BODY_LIMIT_BYTES} bytes this route accepts`);
    });

    it('accepts a bulk import of 1,000 products with 5,000-character descriptions (5 MB)', async () => {
      const before = await productCount(app);
      const products = Array.from({ length: 1000 }, () => newProduct({ description: 'd'.repeat(5000) }));
      expect(Buffer.byteLength(JSON.stringify({ products }))).toBeGreaterThan(5_000_000);
      expect(await createProducts(app, products)).toHaveLength(1000);
      expect(await productCount(app)).toBe(before + 1000);
    });

    it('refuses a bulk import over its own 16 MiB', async () => {
      const before = await productCount(app);
      const products = [newProduct({ description: 'd'.repeat(17 * 1_048_576) })];
      const response = await app.http().post('/api/v1/products/bulk').send({ products });
      expectProblem(response, 413);
      expect(response.body.detail).toBe(`the body is larger than the ${16 * 1_048_576} bytes this route accepts`);
      expect(await productCount(app)).toBe(before);
    });

    it('reads one product at the longest its fields allow (over 64 KiB in three-byte characters), not more than 256 KiB', async () => {
      const attributes = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key${i}`.padEnd(64, 'x'), '€'.repeat(500)]));
      const longest = newProduct({ name: '€'.repeat(200), description: '€'.repeat(5000), attributes });
      expect(Buffer.byteLength(JSON.stringify(longest))).toBeGreaterThan(DEFAULT_BODY_LIMIT_BYTES);
      expect((await app.http().post('/api/v1/products').send(longest)).status).not.toBe(413);

      const tooLong = newProduct({ description: 'd'.repeat(256 * 1024) });
      const response = await app.http().post('/api/v1/products').send(tooLong);
      expectProblem(response, 413);
      expect(response.body.detail).toBe(`the body is larger than the ${256 * 1024} bytes this route accepts`);
    });
  });

  describe('framework errors are problems that repeat nothing of the request', () => {
    it(`answers a URL longer than ${MAX_URL_LENGTH} characters with 414, without the URL`, async () => {
      const response = await app.http().get(`/api/v1/products?q=${MARKER}${'q'.repeat(MAX_URL_LENGTH)}`);
      expectProblem(response, 414);
      expect(response.text).not.toContain('marker');
    });

    it('answers a path parameter far longer than a UUID with 414', async () => {
      const response = await app.http().get(`/api/v1/orders/${MARKER}${'0'.repeat(200)}`);
      expectProblem(response, 414);
      expect(response.body.detail).toBe('a path segment is longer than 100 characters');
    });

    it(`answers a request head over ${MAX_HEADER_BYTES} bytes with 431`, async () => {
      const header = `X-Padding: ${MARKER}${'h'.repeat(MAX_HEADER_BYTES)}`;
      const { head, body } = await sendRaw(app.nest.getHttpServer(), `GET /health/live HTTP/1.1\r\nHost: localhost\r\n${header}\r\n\r\n`);
      expect(head).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
      expect(head).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
      expect(JSON.parse(body)).toEqual({
        type: 'about:blank',
        title: 'Request Header Fields Too Large',
        status: 431,
        detail: `the request line and headers are longer than ${MAX_HEADER_BYTES} bytes`,
      });
    });

    it('answers a URL that is not valid percent-encoding with 400', async () => {
      const response = await app.http().get(`/api/v1/products/${encodeURIComponent(MARKER)}%E0%A4%A`);
      expectProblem(response, 400);
      expect(response.body.detail).toBe('the URL is not valid percent-encoded UTF-8');
    });

    it('answers a body that is not JSON with 415', async () => {
      const response = await app.http().post('/api/v1/orders').set('content-type', 'text/x-marker').send(`{"customerId": "${MARKER}"}`);
      expectProblem(response, 415);
      expect(response.text).not.toContain('marker');
      expect(response.body.detail).toBe('the body must be application/json');
    });

    it('answers malformed JSON with 400', async () => {
      const response = await app.http().post('/api/v1/orders').set('content-type', 'application/json').send(`{"customerId": "${MARKER}", `);
      expectProblem(response, 400);
    });

    it('answers a path no route serves with 404', async () => {
      const response = await app.http().get(`/api/v1/${encodeURIComponent(MARKER)}`);
      expectProblem(response, 404);
      expect(response.body.detail).toBe('no route matches this method and path');
    });
  });
});
