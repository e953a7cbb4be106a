import { DEFAULT_BODY_LIMIT_BYTES } from '../../libs/http';
import { asAdmin } from '../support/auth';
import { sendRaw } from '../support/raw-http';
import { stockedProduct, stockOf } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import { HttpRoutes } from '../support/test-env';

describe('Requests the server cannot read', () => {
  let app: TestApp;
  let staff: HttpRoutes;
  let productId: string;

  beforeAll(async () => {
    app = await startTestApp();
    staff = await asAdmin(app);
    productId = await stockedProduct(app, 5);
  });

  afterAll(async () => {
    await app?.close();
  });

  const bodies: [string, number, string | undefined, string][] = [
    ['malformed JSON', 400, 'application/json', '{"onHand": '],
    ['an empty JSON body', 400, 'application/json', ''],
    ['malformed JSON with a charset', 400, 'application/json; charset=utf-8', '{"onHand": 1'],
    ['an XML body', 415, 'application/xml', '<stock><onHand>1</onHand></stock>'],
    ['a plain-text body', 415, 'text/plain', '{"onHand": 1}'],
    ['a form body', 415, 'application/x-www-form-urlencoded', 'onHand=1'],
    ['a body without a content type', 415, undefined, '{"onHand": 1}'],
    ['JSON nested 5,000 levels deep', 400, 'application/json', `{"onHand": ${'['.repeat(5000)}${']'.repeat(5000)}}`],
    ['a body over the 64 KiB limit', 413, 'application/json', `{"onHand": 1, "note": "${'a'.repeat(DEFAULT_BODY_LIMIT_BYTES)}"}`],
  ];

  it.each(bodies)('answers %s with a %i problem and changes nothing', async (_name, status, contentType, body) => {
    const request = staff.put(`/api/v1/inventory/${productId}`);
    // superagent names a string body as a form unless told otherwise; a missing type must stay missing.
    if (contentType) request.set('content-type', contentType);
    else request.unset('content-type');
    const response = await request.send(body).expect(status);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: 'about:blank', status, instance: `/api/v1/inventory/${productId}` });
    expect(typeof response.body.detail).toBe('string');
    expect(await stockOf(app, productId)).toEqual({ productId, onHand: 5, reserved: 0, available: 5 });
  });

  it('answers a URL it cannot decode with a 400 problem', async () => {
    const response = await app.http().get('/api/v1/products/%E0%A4%A').expect(400);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ title: 'Bad Request', status: 400, instance: '/api/v1/products/%E0%A4%A' });
  });

  it('answers a request that is not valid HTTP with a 400 problem', async () => {
    const { head, body } = await sendRaw(app.nest.getHttpServer(), 'GET /health/live HTTP/1.1\r\nHost\r\n\r\n');

    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(head).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
    expect(JSON.parse(body)).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'The request is not valid HTTP',
    });
  });
});
