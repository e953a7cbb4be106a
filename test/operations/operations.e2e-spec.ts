import type { Worker } from 'node:worker_threads';
import { rebuildReadModels } from '../../libs/persistence';
import { HostedProviderSimulator } from '../../src/hosted-provider-simulator';
import { asAdmin, shopperOf } from '../support/auth';
import { drained, finalOrder, paymentOf, placeOrder, sql, stockedProduct } from '../support/shop';
import { itInProcess, startTestApp, TestApp } from '../support/test-app';

describe('Operations', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers liveness and readiness with the database it checked', async () => {
    await app.http().get('/health/live').expect(200, { status: 'ok' });
    const { body } = await app.http().get('/health/ready').expect(200);
    expect(body).toMatchObject({ status: 'ok', checks: { database: { status: 'up' } } });
    expect(body.checks.redis.status).toBe(process.env.REDIS_URL ? 'up' : 'disabled');
  });

  // The suites' service names no PAYMENT_PROVIDER_URL: it hosts the provider simulator, as `npm start` does.
  itInProcess('takes card payments again after the provider simulator it hosts died: the next call starts it on a new port', async () => {
    const productId = await stockedProduct(app, 5);
    const paidFor = async () => {
      const orderId = await placeOrder(app, [{ productId, quantity: 1 }]);
      expect((await finalOrder(app, orderId)).status).toBe('COMPLETED');
      expect((await paymentOf(app, orderId)).status).toBe('CAPTURED');
    };
    await paidFor();
    await (app.nest.get(HostedProviderSimulator)['running'] as { worker: Worker }).worker.terminate();
    await paidFor();
  });

  it('carries the caller correlation id through the response and every message the request caused', async () => {
    const productId = await stockedProduct(app, 5);
    const response = await (await shopperOf(app))
      .http()
      .post('/api/v1/orders')
      .set('x-correlation-id', 'checkout-4711')
      .send({ items: [{ productId, quantity: 1 }], payment: { method: 'card', token: 'tok_visa' } })
      .expect(202);
    expect(response.headers['x-correlation-id']).toBe('checkout-4711');
    await finalOrder(app, response.body.id);
    await drained(app);
    const messages = await sql<{ type: string; correlation: string }>(
      app,
      `SELECT type, envelope->>'correlationId' AS correlation FROM messaging.outbox WHERE aggregate_id = $1`,
      [response.body.id],
    );
    expect(messages.map((m) => m.type)).toEqual(
      expect.arrayContaining(['inventory.stock.reserve', 'payments.payment.authorize', 'ordering.order.confirmed']),
    );
    expect(new Set(messages.map((m) => m.correlation))).toEqual(new Set(['checkout-4711']));
    const generated = await app.http().get('/health/live').expect(200);
    expect(generated.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes request, order, saga and outbox metrics to Prometheus', async () => {
    const productId = await stockedProduct(app, 5);
    await finalOrder(app, await placeOrder(app, [{ productId, quantity: 1 }]));
    await drained(app);
    const { text } = await app.http().get('/metrics').expect(200);
    expect(text).toMatch(/^http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/orders",status_class="2xx"\} \d+$/m);
    expect(text).toMatch(/^orders_created_total\{outcome="placed"\} [1-9]\d*$/m);
    expect(text).toMatch(/^orders_decided_total\{outcome="CONFIRMED"\} [1-9]\d*$/m);
    expect(text).toMatch(/^order_processing_duration_seconds_count\{outcome="CONFIRMED"\} [1-9]\d*$/m);
    expect(text).toMatch(/^outbox_lag_seconds_count [1-9]\d*$/m);
  });

  it('documents every endpoint in OpenAPI and serves Swagger UI', async () => {
    const { body: spec } = await app.http().get('/docs-json').expect(200);
    const operations = Object.entries(spec.paths as Record<string, Record<string, { summary?: string; responses: object }>>)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(operations.map(({ method, path }) => `${method} ${path}`)).toEqual(
      expect.arrayContaining([
        'post /api/v1/orders',
        'get /api/v1/orders/{id}',
        'get /api/v1/orders/{id}/events',
        'get /api/v1/orders',
        'post /api/v1/products',
        'patch /api/v1/products/{id}',
        'put /api/v1/inventory/{productId}',
        'get /api/v1/payments',
        'get /api/v1/notifications',
        'get /api/v1/admin/dead-letters',
        'post /api/v1/admin/dead-letters/{id}/replay',
      ]),
    );
    const undocumented = operations.filter(
      ({ op }) => !op.summary || !Object.keys(op.responses).some((status) => /^2\d\d$/.test(status)),
    );
    expect(undocumented.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
    expect(Object.keys(spec.components.schemas)).toEqual(expect.arrayContaining(['PlaceOrderRequest', 'OrderResponse']));
    const ui = await app.http().get('/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('rebuilds order views from the event store', async () => {
    const productId = await stockedProduct(app, 5);
    const orderId = await placeOrder(app, [{ productId, quantity: 2 }], 'tok_chargeDeclined');
    const before = await finalOrder(app, orderId);
    await drained(app);
    await sql(app, `UPDATE ordering.order_view SET status = 'PENDING', reasons = '[]' WHERE id = $1`, [orderId]);
    const reports = await rebuildReadModels(app.nest);
    expect(reports).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'ordering.order_view', rebuilt: expect.any(Number) })]),
    );
    const { body: after } = await (await asAdmin(app)).get(`/api/v1/orders/${orderId}`).expect(200);
    expect(after).toEqual(before);
  });
});
