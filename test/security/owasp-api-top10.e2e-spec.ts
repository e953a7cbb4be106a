import { createHmac, randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import request from 'supertest';
import { PERMISSIONS } from '../../libs/auth';
import { DEFAULT_BODY_LIMIT_BYTES, MAX_JSON_DEPTH } from '../../libs/http';
import { asAdmin, Customer, logIn, newCustomer, withToken } from '../support/auth';
import { finalOrder, paymentOf, placeOrder, stockedProduct } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import type { HttpRoutes } from '../support/test-env';
import { compactJwt, scopeOf, TokenMint } from './access-tokens';
import { admits, DocumentedOperation, documentedOperations, keyOf, pathWith } from './documented-operations';

/*
 * The OWASP API Security Top 10 (2023), item by item, against the running service.
 *
 * API7:2023 server side request forgery does not apply: no route takes a URL, host or address
 * from its caller. The service calls out only to addresses of its own configuration (JWKS_URL,
 * OTEL_EXPORTER_OTLP_ENDPOINT, ELASTICSEARCH_URL, KAFKA_BROKERS, REDIS_URL).
 *
 * API10:2023 unsafe consumption of APIs: what the service consumes from other parties is
 * messages. test/messaging/malformed-messages.e2e-spec.ts sends malformed ones down the whole
 * message path, through the outbox relay and from Kafka, and finds each dead-lettered at once
 * with its reason, reaching no handler.
 */

const PRICE = 1234;
const SHOP = 'https://shop.example';
const ELSEWHERE = 'https://elsewhere.example';
const HOUR_MS = String(60 * 60 * 1000);

type Answer = request.Response;

function expectProblem(answer: Answer, status: number): void {
  expect({ status: answer.status, type: answer.headers['content-type'] }).toEqual({ status, type: expect.stringMatching(/^application\/problem\+json/) });
  expect(answer.body).toMatchObject({ type: 'about:blank', status });
}

/** The fields a 400 problem names. */
function fieldsOf(answer: Answer): string[] {
  return answer.body.errors.map((error: { field: string }) => error.field);
}

function corsHeadersOf(answer: { headers: Record<string, unknown> }): string[] {
  return Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'));
}

/** Calls an operation as `routes` with `body` (none on GET and DELETE). */
function call(routes: HttpRoutes, operation: DocumentedOperation, url: string, body: object = {}): Promise<Answer> {
  const sent = routes[operation.method](url);
  return operation.method === 'get' || operation.method === 'delete' ? sent : sent.send(body);
}

function fastifyOf(app: TestApp): FastifyInstance {
  return app.nest.getHttpAdapter().getInstance();
}

/** A request as Fastify gets it, from any client address. */
function inject(app: TestApp, options: InjectOptions) {
  return fastifyOf(app).inject(options);
}

/** Rows that a placed order writes, for any of these customers. */
async function orderRowsOf(app: TestApp, customerIds: string[]): Promise<number> {
  const [{ n }] = await app.sql<{ n: number }>(
    `SELECT ((SELECT count(*) FROM ordering.order_view WHERE customer_id = ANY($1::text[]))
           + (SELECT count(*) FROM ordering.order_event WHERE data->>'customerId' = ANY($1::text[])))::int AS n`,
    [customerIds],
  );
  return n;
}

async function accountsWith(app: TestApp, email: string): Promise<number> {
  const [{ n }] = await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM identity.user WHERE email = $1', [email]);
  return n;
}

/** `METHOD path` of every route Fastify serves, read from its route tree. */
function servedRoutes(fastify: FastifyInstance): { method: string; url: string }[] {
  const routes: { method: string; url: string }[] = [];
  const prefixes: string[] = [];
  for (const line of fastify.printRoutes({ commonPrefix: false }).split('\n')) {
    const node = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!node) continue;
    const depth = node[1].length / 4;
    prefixes.length = depth;
    const url = (prefixes[depth - 1] ?? '') + node[2];
    prefixes.push(url);
    for (const method of node[3]?.split(', ') ?? []) routes.push({ method, url });
  }
  return routes;
}

/**
 * Routes that are pages rather than the API: Swagger UI's page, assets and the document itself
 * (SwaggerModule), the operations console's page, files and sign-in (src/console), and the CORS
 * preflight answer for every path (@fastify/cors).
 */
function isPluginRoute({ method, url }: { method: string; url: string }): boolean {
  const documentation = url === '/docs' || url.startsWith('/docs/') || url === '/docs-json' || url === '/docs-yaml';
  // The route tree writes the console's wildcard route, /console/*, as a `*` below /console.
  const operationsConsole = /^\/console(\/|\*|$)/.test(url);
  return documentation || operationsConsole || (method === 'OPTIONS' && url === '*');
}

describe('OWASP API Security Top 10 (2023)', () => {
  describe('hardened configuration: a known signing key, CORS for one origin, metrics behind a permission', () => {
    const mint = TokenMint.generate();
    let app: TestApp;
    let productId: string;
    let operations: DocumentedOperation[];

    const orderOf = (quantity = 1, token = 'tok_visa') => ({ items: [{ productId, quantity }], payment: { method: 'card', token } });

    beforeAll(async () => {
      app = await startTestApp({ ...mint.env, CORS_ORIGINS: SHOP, METRICS_PUBLIC: 'false' });
      productId = await stockedProduct(app, 10_000, PRICE);
      operations = await documentedOperations(app);
    });

    afterAll(async () => {
      await app?.close();
    });

    describe('API1:2023 broken object level authorization', () => {
      let owner: Customer;
      let stranger: Customer;
      let orderId: string;

      beforeAll(async () => {
        owner = await newCustomer(app);
        stranger = await newCustomer(app);
        orderId = await placeOrder(app, [{ productId, quantity: 1 }], 'tok_visa', owner);
        await finalOrder(app, orderId);
      });

      it("API1:2023 broken object level authorization: another customer's order and its events are 404, as if there were none", async () => {
        const missing = randomUUID();
        for (const suffix of ['', '/events']) {
          await owner.http().get(`/api/v1/orders/${orderId}${suffix}`).expect(200);
          const theirs = await stranger.http().get(`/api/v1/orders/${orderId}${suffix}`);
          const none = await stranger.http().get(`/api/v1/orders/${missing}${suffix}`);
          expectProblem(theirs, 404);
          expectProblem(none, 404);
          expect(theirs.body.detail.replace(orderId, '<id>')).toBe(none.body.detail.replace(missing, '<id>'));
          expect(theirs.text).not.toContain(owner.id);
        }
      });

      it('API1:2023 broken object level authorization: a customer lists only their own orders, whichever customerId they ask for', async () => {
        const own = await placeOrder(app, [{ productId, quantity: 1 }], 'tok_visa', stranger);

        const asked = await stranger.http().get('/api/v1/orders').query({ customerId: owner.id }).expect(200);
        const listed = await stranger.http().get('/api/v1/orders').expect(200);
        const ownersList = await owner.http().get('/api/v1/orders').query({ customerId: owner.id }).expect(200);

        expect(asked.body.items).toEqual([]);
        expect(listed.body.items.map((order: { id: string }) => order.id)).toEqual([own]);
        expect(ownersList.body.items.map((order: { id: string }) => order.id)).toEqual([orderId]);
      });

      it("API1:2023 broken object level authorization: another customer's order has no notifications for them", async () => {
        await app.eventually(async () => {
          const { body } = await owner.http().get('/api/v1/notifications').query({ orderId }).expect(200);
          expect(body.items).not.toEqual([]);
        });

        const { body } = await stranger.http().get('/api/v1/notifications').query({ orderId }).expect(200);

        expect(body).toEqual({ items: [] });
      });

      it("API1:2023 broken object level authorization: a customer sees their own order's payment, and none of another's", async () => {
        const payment = await paymentOf(app, orderId);

        const own = await owner.http().get('/api/v1/payments').query({ orderId }).expect(200);
        const theirs = await stranger.http().get('/api/v1/payments').query({ orderId }).expect(200);

        expect(own.body.items.map((item: { id: string }) => item.id)).toEqual([payment.id]);
        expect(theirs.body).toEqual({ items: [] });
      });
    });

    describe('API2:2023 broken authentication', () => {
      const stranger = TokenMint.generate();
      const now = () => Math.floor(Date.now() / 1000);
      let customer: Customer;

      beforeAll(async () => {
        customer = await newCustomer(app);
      });

      /** A profile:read token of the customer, its claims changed by `changes`. */
      const claimsOf = (changes: Record<string, unknown> = {}) => mint.claims({ sub: customer.id, scope: 'profile:read', roles: ['customer'], ...changes });
      const me = (token: string) => app.http().get('/api/v1/users/me').set('authorization', `Bearer ${token}`);
      /** `token` with one character of its signature changed. */
      const withSignatureChanged = (token: string) => {
        const [header, claims, signature] = token.split('.');
        return [header, claims, `${signature.slice(0, 20)}${signature[20] === 'A' ? 'B' : 'A'}${signature.slice(21)}`].join('.');
      };

      it('API2:2023 broken authentication: a token minted with the signing key and the claims of a real one is accepted', async () => {
        const { body } = await me(mint.sign(claimsOf())).expect(200);

        expect(body.id).toBe(customer.id);
        expect((await app.http().get('/.well-known/jwks.json').expect(200)).body.keys.map((key: { kid: string }) => key.kid)).toEqual([mint.kid]);
      });

      const forgeries: [string, () => string][] = [
        [
          'whose claims were changed after signing',
          () => {
            const [header, , signature] = mint.sign(claimsOf()).split('.');
            const [, widened] = mint.sign(claimsOf({ scope: PERMISSIONS.join(' '), roles: ['admin'] })).split('.');
            return [header, widened, signature].join('.');
          },
        ],
        [
          'whose signature was changed',
          () => withSignatureChanged(mint.sign(claimsOf())),
        ],
        ['signed by another key under our kid', () => stranger.sign(claimsOf(), mint.header())],
        ['signed by another key under its own kid, unknown here', () => stranger.sign(claimsOf(), stranger.header())],
        ['without a kid', () => mint.sign(claimsOf(), mint.header({ kid: undefined }))],
        ['that expired a minute ago', () => mint.sign(claimsOf({ iat: now() - 960, nbf: now() - 960, exp: now() - 60 }))],
        ['that is valid only from a minute from now', () => mint.sign(claimsOf({ nbf: now() + 60 }))],
        ['that never expires', () => mint.sign(claimsOf({ exp: undefined }))],
        ['with alg none and no signature', () => compactJwt(mint.header({ alg: 'none' }), claimsOf(), () => Buffer.alloc(0))],
        [
          'signed with HS256 and the public key as its secret',
          () => compactJwt(mint.header({ alg: 'HS256' }), claimsOf(), (input) => createHmac('sha256', mint.publicKeyPem).update(input).digest()),
        ],
        ['for another audience', () => mint.sign(claimsOf({ aud: 'another-api' }))],
        ['from another issuer', () => mint.sign(claimsOf({ iss: 'another-issuer' }))],
        ['without typ', () => mint.sign(claimsOf(), mint.header({ typ: undefined }))],
        ['typed JWT, not at+jwt', () => mint.sign(claimsOf(), mint.header({ typ: 'JWT' }))],
        ['without a subject', () => mint.sign(claimsOf({ sub: undefined }))],
      ];

      it.each(forgeries)('API2:2023 broken authentication: a token %s gets 401 with a Bearer challenge', async (_name, forge) => {
        const refused = await me(forge());

        expectProblem(refused, 401);
        expect(refused.headers['www-authenticate']).toBe('Bearer realm="commerce", error="invalid_token"');
        expect(refused.body.detail).toBe('the access token is invalid or expired');
      });

      it('API2:2023 broken authentication: a token verified before is judged again when altered, on a cached public read too', async () => {
        const token = mint.sign(claimsOf());
        const altered = withSignatureChanged(token);
        const read = (bearer: string) => app.http().get(`/api/v1/products/${productId}`).set('authorization', `Bearer ${bearer}`);
        await me(token).expect(200);
        await read(token).expect(200);
        await read(token).expect(200);

        expectProblem(await read(altered), 401);
        expectProblem(await me(altered), 401);
        expectProblem(await read(`${token}x`), 401);
      });

      it('API2:2023 broken authentication: a refresh token presented again revokes every refresh token of its session', async () => {
        const victim = await newCustomer(app);
        const copied = victim.session.refreshToken;
        const { body: second } = await app.http().post('/api/v1/auth/refresh').send({ refreshToken: copied }).expect(200);
        const { body: third } = await app.http().post('/api/v1/auth/refresh').send({ refreshToken: second.refreshToken }).expect(200);

        const replayed = await app.http().post('/api/v1/auth/refresh').send({ refreshToken: copied });

        expectProblem(replayed, 401);
        for (const refreshToken of [second.refreshToken, third.refreshToken]) {
          expectProblem(await app.http().post('/api/v1/auth/refresh').send({ refreshToken }), 401);
        }
        const [family] = await app.sql<{ issued: number; live: number }>(
          'SELECT count(*)::int AS issued, (count(*) FILTER (WHERE revoked_at IS NULL))::int AS live FROM identity.refresh_token WHERE user_id = $1',
          [victim.id],
        );
        expect(family).toEqual({ issued: 3, live: 0 });
        // Signing in again starts a new session, which the revoked one does not touch.
        const fresh = await logIn(app, victim.email, victim.password);
        await app.http().post('/api/v1/auth/refresh').send({ refreshToken: fresh.refreshToken }).expect(200);
      });
    });

    describe('API3:2023 broken object property level authorization', () => {
      let attacker: Customer;
      let victim: Customer;

      beforeAll(async () => {
        attacker = await newCustomer(app);
        victim = await newCustomer(app);
      });

      const smuggled: [string, string, () => object][] = [
        ['another customer as its customerId', 'customerId', () => ({ ...orderOf(), customerId: victim.id })],
        ['its status', 'status', () => ({ ...orderOf(), status: 'CONFIRMED' })],
        ['its total', 'total', () => ({ ...orderOf(), total: { amount: 1, currency: 'EUR' } })],
        ['roles', 'roles', () => ({ ...orderOf(), roles: ['admin'] })],
        ['a price of its own', 'items[0].price', () => ({ ...orderOf(), items: [{ productId, quantity: 1, price: { amount: 1, currency: 'EUR' } }] })],
        ['a unit price of its own', 'items[0].unitPrice', () => ({ ...orderOf(), items: [{ productId, quantity: 1, unitPrice: { amount: 1, currency: 'EUR' } }] })],
      ];

      it.each(smuggled)('API3:2023 broken object property level authorization: an order body setting %s is refused (400) and writes nothing', async (_name, field, body) => {
        const refused = await attacker.http().post('/api/v1/orders').send(body());

        expectProblem(refused, 400);
        expect(fieldsOf(refused)).toEqual([field]);
        expect(await orderRowsOf(app, [attacker.id, victim.id])).toBe(0);
      });

      it('API3:2023 broken object property level authorization: registering with roles is refused (400) and makes no account', async () => {
        const email = `mallory-${randomUUID()}@test.example`;

        const refused = await app.http().post('/api/v1/auth/register').send({ email, password: 'a-password-long-enough', roles: ['admin'] });

        expectProblem(refused, 400);
        expect(fieldsOf(refused)).toEqual(['roles']);
        expect(await accountsWith(app, email)).toBe(0);
      });

      it("API3:2023 broken object property level authorization: a customer cannot change a product's price (403); it stays as it was", async () => {
        const before = await app.http().get(`/api/v1/products/${productId}`).expect(200);

        expectProblem(await attacker.http().patch(`/api/v1/products/${productId}`).send({ price: { amount: 1, currency: 'EUR' } }), 403);

        const after = await app.http().get(`/api/v1/products/${productId}`).expect(200);
        expect({ price: after.body.price, version: after.body.version }).toEqual({ price: { amount: PRICE, currency: 'EUR' }, version: before.body.version });
      });

      it("API3:2023 broken object property level authorization: an order's customer is its caller and its prices and total are the catalog's", async () => {
        const buyer = await newCustomer(app);
        const orderId = await placeOrder(app, [{ productId, quantity: 3 }], 'tok_visa', buyer);

        const { body } = await buyer.http().get(`/api/v1/orders/${orderId}`).expect(200);

        expect(body).toMatchObject({
          customerId: buyer.id,
          items: [{ productId, quantity: 3, unitPrice: { amount: PRICE, currency: 'EUR' } }],
          total: { amount: 3 * PRICE, currency: 'EUR' },
        });
        await finalOrder(app, orderId);
        expect((await paymentOf(app, orderId)).amount).toEqual({ amount: 3 * PRICE, currency: 'EUR' });
      });
    });

    describe('API4:2023 unrestricted resource consumption', () => {
      it('API4:2023 unrestricted resource consumption: a page size over the maximum is refused (400) naming limit', async () => {
        const customer = await newCustomer(app);
        const pages: [HttpRoutes, string][] = [
          [customer.http(), '/api/v1/orders'],
          [app.http(), '/api/v1/products'],
          [await asAdmin(app), '/api/v1/admin/dead-letters'],
        ];

        for (const [routes, path] of pages) {
          const refused = await routes.get(path).query({ limit: 1_000_000 });
          expectProblem(refused, 400);
          expect(fieldsOf(refused)).toEqual(['limit']);
        }
      });

      it('API4:2023 unrestricted resource consumption: a body over the limit is refused (413) and writes nothing', async () => {
        const customer = await newCustomer(app);
        const email = `large-${randomUUID()}@test.example`;
        const padding = 'x'.repeat(DEFAULT_BODY_LIMIT_BYTES);

        const order = await customer.http().post('/api/v1/orders').send(orderOf(1, padding));
        const registration = await app.http().post('/api/v1/auth/register').send({ email, password: padding });

        for (const refused of [order, registration]) {
          expectProblem(refused, 413);
          expect(refused.body.detail).toBe(`the body is larger than the ${DEFAULT_BODY_LIMIT_BYTES} bytes this route accepts`);
        }
        expect(await orderRowsOf(app, [customer.id])).toBe(0);
        expect(await accountsWith(app, email)).toBe(0);
      });

      it('API4:2023 unrestricted resource consumption: JSON nested deeper than any body needs is refused (400), never a 500', async () => {
        const customer = await newCustomer(app);
        /** `{"items": …}` nesting `depth` levels in all, by arrays or by objects. */
        const shapes = [(levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`, (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`];
        const nested = (depth: number, shape: (levels: number) => string) => `{"items": ${shape(depth - 1)}}`;
        const post = (body: string) => customer.http().post('/api/v1/orders').set('content-type', 'application/json').send(body);

        for (const depth of [MAX_JSON_DEPTH + 1, 10_000]) {
          for (const shape of shapes) {
            const refused = await post(nested(depth, shape));
            expectProblem(refused, 400);
            expect(refused.body.detail).toBe(`the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
          }
        }
        // At the limit the body is read, and refused for what it says.
        const read = await post(nested(MAX_JSON_DEPTH, shapes[0]));
        expectProblem(read, 400);
        expect(fieldsOf(read)).toContain('payment');
        expect(await orderRowsOf(app, [customer.id])).toBe(0);
      });

      it("API4:2023 unrestricted resource consumption: the console's sign-in, which reads no body, refuses one over the limit (413) or nested too deep (400), and hands out no token", async () => {
        const post = (body: string) => app.http().post('/console/session').set('content-type', 'application/json').send(body);
        const oversized = await post(JSON.stringify({ padding: 'x'.repeat(DEFAULT_BODY_LIMIT_BYTES) }));
        expectProblem(oversized, 413);
        const nested = await post(`{"a": ${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`);
        expectProblem(nested, 400);
        expect(nested.body.detail).toBe(`the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
        // Without CONSOLE_AUTH=off it only ever says that a login is needed.
        await post('{}').expect(200, { login: 'required' });
      });

      it('API4:2023 unrestricted resource consumption: refunds, notification preferences and provider webhooks refuse JSON nested too deep (400), as orders do', async () => {
        const customer = await newCustomer(app);
        const tooDeep = `{"amount": ${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`;
        const answers = [
          await (await asAdmin(app)).post(`/api/v1/payments/${randomUUID()}/refunds`).set('idempotency-key', randomUUID()).set('content-type', 'application/json').send(tooDeep),
          await customer.http().put('/api/v1/notifications/preferences').set('content-type', 'application/json').send(tooDeep),
          ...(await Promise.all(
            ['card', 'paypal', 'crypto'].map((provider) =>
              app.http().post(`/api/v1/payments/webhooks/${provider}`).set('content-type', 'application/json').send(tooDeep),
            ),
          )),
        ];
        for (const refused of answers) {
          expectProblem(refused, 400);
          expect(refused.body.detail).toBe(`the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
        }
        const { body: preferences } = await customer.http().get('/api/v1/notifications/preferences').expect(200);
        expect(preferences).toMatchObject({ channels: { email: true, sms: false, push: false }, updatedAt: null });
      });
    });

    describe('API5:2023 broken function level authorization', () => {
      const ESCALATIONS: Record<string, object> = {
        'PUT /api/v1/admin/users/{id}/roles': { roles: ['admin'] },
        'POST /api/v1/admin/clients': { name: 'backdoor', scopes: [...PERMISSIONS] },
        'PUT /api/v1/inventory/{productId}': { onHand: 0 },
        'PATCH /api/v1/products/{id}': { price: { amount: 1, currency: 'EUR' } },
      };

      /** The caller's own account, the shop's product, or nothing, where the operation names one. */
      function targetOf(operation: DocumentedOperation, callerId: string): string {
        if (operation.path.startsWith('/api/v1/admin/users/')) return callerId;
        if (operation.path.startsWith('/api/v1/products/') || operation.path.startsWith('/api/v1/inventory/')) return productId;
        return randomUUID();
      }

      /**
       * Calls every operation that `token` grants no permission for, with a body that would do harm
       * if let through; expects 403 from each and nothing changed. Answers the operations called.
       */
      async function expectForbiddenBeyondScope(callerId: string, token: string): Promise<string[]> {
        const outOfReach = operations.filter((operation) => !admits(operation, scopeOf(token)));
        const answers: string[] = [];
        for (const operation of outOfReach) {
          const url = pathWith(operation.path, () => targetOf(operation, callerId));
          const answer = await call(withToken(app.http(), token), operation, url, ESCALATIONS[keyOf(operation)]);
          answers.push(`${keyOf(operation)} ${answer.status}`);
        }
        expect(answers).toEqual(outOfReach.map((operation) => `${keyOf(operation)} 403`));
        await expectNothingChanged(callerId);
        return outOfReach.map(keyOf);
      }

      async function expectNothingChanged(callerId: string): Promise<void> {
        const [{ roles }] = await app.sql<{ roles: string[] }>('SELECT roles FROM identity.user WHERE id = $1', [callerId]);
        const backdoors = await app.sql("SELECT id FROM identity.client WHERE name = 'backdoor'");
        const product = await app.http().get(`/api/v1/products/${productId}`).expect(200);
        const stock = await app.http().get(`/api/v1/inventory/${productId}`).expect(200);
        expect({ roles, backdoors, price: product.body.price.amount, status: product.body.status }).toEqual({
          roles: expect.not.arrayContaining(['admin']),
          backdoors: [],
          price: PRICE,
          status: 'active',
        });
        expect(stock.body.onHand).toBeGreaterThan(0);
      }

      it('API5:2023 broken function level authorization: a customer gets 403 from every staff and admin operation', async () => {
        const customer = await newCustomer(app);

        const forbidden = await expectForbiddenBeyondScope(customer.id, customer.session.accessToken);

        expect(forbidden).toEqual(
          expect.arrayContaining([
            'POST /api/v1/products',
            'POST /api/v1/products/bulk',
            'PATCH /api/v1/products/{id}',
            'POST /api/v1/products/{id}/archive',
            'PUT /api/v1/inventory/{productId}',
            'GET /api/v1/admin/dead-letters',
            'POST /api/v1/admin/dead-letters/{id}/replay',
            'PUT /api/v1/admin/users/{id}/roles',
            'POST /api/v1/admin/clients',
            'DELETE /api/v1/admin/clients/{id}',
            'GET /metrics',
          ]),
        );
      });

      it('API5:2023 broken function level authorization: staff get 403 from every operation their role is not granted: the admin ones, and a customer\'s orders and notification preferences', async () => {
        const member = await newCustomer(app);
        await (await asAdmin(app)).put(`/api/v1/admin/users/${member.id}/roles`).send({ roles: ['staff'] }).expect(200);
        const { accessToken } = await logIn(app, member.email, member.password);

        const forbidden = await expectForbiddenBeyondScope(member.id, accessToken);

        expect(forbidden.sort()).toEqual([
          'DELETE /api/v1/admin/clients/{id}',
          'GET /api/v1/notifications/preferences',
          'GET /metrics',
          'POST /api/v1/admin/clients',
          'POST /api/v1/orders',
          'PUT /api/v1/admin/users/{id}/roles',
          'PUT /api/v1/notifications/preferences',
        ]);
      });

      it('API5:2023 broken function level authorization: an anonymous caller gets 401 with a Bearer challenge from every protected operation', async () => {
        const faults: string[] = [];
        for (const operation of operations.filter((o) => o.permissions)) {
          const answer = await call(app.http(), operation, pathWith(operation.path, () => randomUUID()));
          if (answer.status !== 401 || answer.headers['www-authenticate'] !== 'Bearer realm="commerce"') {
            faults.push(`${keyOf(operation)}: ${answer.status} ${answer.headers['www-authenticate']}`);
          }
        }

        expect(faults).toEqual([]);
      });
    });

    describe('API8:2023 security misconfiguration', () => {
      it('API8:2023 security misconfiguration: every answer, errors included, carries the hardening headers and names no server software', async () => {
        const customer = await newCustomer(app);
        const answers = [
          await app.http().get('/api/v1/products').expect(200),
          await customer.http().get('/api/v1/orders').expect(200),
          await app.http().get('/api/v1/orders').expect(401),
          await customer.http().get('/api/v1/admin/dead-letters').expect(403),
          await app.http().get('/api/v1/no-such-thing').expect(404),
          await app.http().post('/api/v1/auth/login').send({ email: customer.email, password: customer.password }).expect(200),
        ];

        for (const answer of answers) {
          expect(answer.headers).toMatchObject({
            'content-security-policy': "default-src 'none';frame-ancestors 'none'",
            'x-content-type-options': 'nosniff',
            'x-frame-options': 'DENY',
            'strict-transport-security': expect.stringMatching(/^max-age=[1-9]\d*/),
            'referrer-policy': 'no-referrer',
          });
          expect(answer.headers).not.toHaveProperty('x-powered-by');
          expect(answer.headers).not.toHaveProperty('server');
        }
        // Tokens are never kept by a cache on the way.
        expect(answers.at(-1)!.headers['cache-control']).toBe('no-store');
      });

      it('API8:2023 security misconfiguration: CORS lets the configured origin read answers, and no other', async () => {
        const customer = await newCustomer(app);

        const granted = await customer.http().get('/api/v1/orders').set('origin', SHOP).expect(200);
        const ignored = await customer.http().get('/api/v1/orders').set('origin', ELSEWHERE).expect(200);
        const preflight = await request(app.nest.getHttpServer())
          .options('/api/v1/orders')
          .set('origin', ELSEWHERE)
          .set('access-control-request-method', 'POST')
          .set('access-control-request-headers', 'authorization,content-type');

        expect(granted.headers['access-control-allow-origin']).toBe(SHOP);
        expect(granted.headers['access-control-allow-credentials']).toBeUndefined();
        expect(corsHeadersOf(ignored)).toEqual([]);
        expect(corsHeadersOf(preflight)).toEqual([]);
      });

      it('API8:2023 security misconfiguration: a cross-site form post is refused (415) unread, and writes nothing', async () => {
        const customer = await newCustomer(app);
        const email = `form-${randomUUID()}@test.example`;
        const fields = `email=${encodeURIComponent(email)}&password=a-password-long-enough`;
        const forms: [string, string][] = [
          ['application/x-www-form-urlencoded', fields],
          ['text/plain', fields],
          ['multipart/form-data; boundary=b', `--b\r\nContent-Disposition: form-data; name="email"\r\n\r\n${email}\r\n--b--\r\n`],
        ];

        for (const [type, body] of forms) {
          for (const path of ['/api/v1/auth/register', '/api/v1/auth/login', '/api/v1/orders']) {
            const refused = await app.http().post(path).set('origin', ELSEWHERE).set('content-type', type).send(body);
            expectProblem(refused, 415);
            expect(refused.body.detail).toBe('the body must be application/json');
          }
          // Not even with the token a form cannot send.
          expectProblem(await customer.http().post('/api/v1/orders').set('content-type', type).send(body), 415);
        }
        expect(await accountsWith(app, email)).toBe(0);
        expect(await orderRowsOf(app, [customer.id])).toBe(0);
      });

      it('API8:2023 security misconfiguration: errors are problem+json and repeat no value the caller sent', async () => {
        const MARK = '<script>zq-mark</script>';
        const customer = await newCustomer(app);
        const answers = [
          await customer.http().get('/api/v1/orders').query({ customerId: MARK, status: MARK, limit: MARK, cursor: MARK }),
          await customer.http().post('/api/v1/orders').send({ items: [{ productId: MARK, quantity: MARK }], payment: { method: MARK, token: MARK } }),
          await customer.http().get('/api/v1/orders').query({ cursor: MARK }),
          await app.http().post('/api/v1/auth/register').send({ email: MARK, password: MARK }),
          await app.http().post('/api/v1/auth/login').send({ email: customer.email, password: MARK }),
          await app.http().post('/api/v1/auth/refresh').send({ refreshToken: MARK }),
          await app.http().get('/api/v1/users/me').set('authorization', `Bearer ${MARK}`),
          await app.http().get(`/api/v1/products/${encodeURIComponent(MARK)}`),
          await app.http().post('/api/v1/orders').set('content-type', 'application/json').send(`{"items": "${MARK}"`),
        ];

        for (const answer of answers) {
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(answer.status).toBeLessThan(500);
          expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
          // `instance` is the request's own path and query (RFC 9457), JSON-encoded under nosniff.
          const { instance: _instance, ...problem } = answer.body;
          expect(JSON.stringify(problem)).not.toContain('zq-mark');
          expect(JSON.stringify({ ...answer.headers })).not.toContain('zq-mark');
        }
      });
    });

    describe('API9:2023 improper inventory management', () => {
      it('API9:2023 improper inventory management: every documented operation declares who may call it', () => {
        const faults: string[] = [];
        for (const operation of operations) {
          const key = keyOf(operation);
          if (operation.permissions) {
            if (operation.permissions.length === 0 || !operation.permissions.every((p) => (PERMISSIONS as readonly string[]).includes(p))) faults.push(`${key}: x-permissions`);
            if (JSON.stringify(operation.security) !== JSON.stringify([{ bearer: [] }])) faults.push(`${key}: security`);
            if (!operation.responses['401']?.headers?.['WWW-Authenticate'] || !operation.responses['403']) faults.push(`${key}: 401 or 403`);
            if (!operation.description.includes('**Requires**')) faults.push(`${key}: description`);
          } else {
            if (operation.security !== undefined || operation.responses['403']) faults.push(`${key}: security or 403`);
            if (!operation.description.includes('**Public**')) faults.push(`${key}: description`);
          }
        }

        expect(faults).toEqual([]);
        expect(operations.filter((o) => !o.permissions).map(keyOf).sort()).toEqual([
          'GET /.well-known/jwks.json',
          'GET /api/v1/auth/wallet/nonce',
          'GET /api/v1/inventory/{productId}',
          'GET /api/v1/nft/{tokenId}',
          'GET /api/v1/products',
          'GET /api/v1/products/{id}',
          'GET /health/live',
          'GET /health/ready',
          'POST /api/v1/auth/login',
          'POST /api/v1/auth/logout',
          'POST /api/v1/auth/refresh',
          'POST /api/v1/auth/register',
          'POST /api/v1/auth/token',
          'POST /api/v1/auth/wallet/verify',
          'POST /api/v1/payments/webhooks/{provider}',
        ]);
      });

      it('API9:2023 improper inventory management: the documented operations are exactly the routes the app serves', () => {
        const fastify = fastifyOf(app);
        const served = servedRoutes(fastify);
        const api = served.filter((route) => !isPluginRoute(route));
        const urls = (method: string) => api.filter((route) => route.method === method).map((route) => route.url);

        expect(api.filter((route) => !fastify.hasRoute(route as Parameters<FastifyInstance['hasRoute']>[0]))).toEqual([]);
        // Fastify answers HEAD for every GET route, through the same handler and guard.
        expect(urls('HEAD').sort()).toEqual(urls('GET').sort());
        const documented = operations.map((o) => `${o.method.toUpperCase()} ${o.path.replace(/\{(\w+)\}/g, ':$1')}`);
        expect(api.filter((route) => route.method !== 'HEAD').map((route) => `${route.method} ${route.url}`).sort()).toEqual(documented.sort());
      });

      it('API9:2023 improper inventory management: operations documented as public answer anonymous callers', async () => {
        const faults: string[] = [];
        for (const operation of operations.filter((o) => !o.permissions)) {
          const answer = await call(app.http(), operation, pathWith(operation.path, () => productId));
          if (answer.status === 401 || answer.status === 403 || answer.status >= 500) faults.push(`${keyOf(operation)}: ${answer.status}`);
        }

        expect(faults).toEqual([]);
      });
    });
  });

  describe('rate limits on, and low', () => {
    let app: TestApp;
    let productId: string;

    beforeAll(async () => {
      app = await startTestApp({
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_DEFAULT_LIMIT: '30',
        RATE_LIMIT_DEFAULT_WINDOW_MS: HOUR_MS,
        RATE_LIMIT_ORDERS_LIMIT: '3',
        RATE_LIMIT_ORDERS_WINDOW_MS: HOUR_MS,
        RATE_LIMIT_AUTH_ACCOUNT_LIMIT: '5',
        RATE_LIMIT_AUTH_ACCOUNT_WINDOW_MS: HOUR_MS,
      });
      productId = await stockedProduct(app, 100, PRICE);
    });

    afterAll(async () => {
      await app?.close();
    });

    function expectRetryLater(status: number, headers: Record<string, unknown>): void {
      expect(status).toBe(429);
      expect(headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Number(headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(headers['ratelimit-remaining']).toBe('0');
    }

    it('API4:2023 unrestricted resource consumption: a caller over the rate limit gets 429 with Retry-After; others are served', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++) statuses.push((await inject(app, { method: 'GET', url: '/.well-known/jwks.json', remoteAddress: '203.0.113.7' })).statusCode);
      const refused = await inject(app, { method: 'GET', url: '/.well-known/jwks.json', remoteAddress: '203.0.113.7' });
      const other = await inject(app, { method: 'GET', url: '/.well-known/jwks.json', remoteAddress: '203.0.113.8' });

      expect(statuses).toEqual([...Array<number>(30).fill(200), 429]);
      expectRetryLater(refused.statusCode, refused.headers);
      // One token every 2 minutes: 30 an hour.
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60);
      expect(other.statusCode).toBe(200);
    });

    it('API6:2023 unrestricted access to sensitive business flows: orders beyond the orders limit (the card-testing brake) get 429 and write nothing, in a new session too', async () => {
      const tester = await newCustomer(app);
      const order = (token: string) => ({ items: [{ productId, quantity: 1 }], payment: { method: 'card', token } });
      for (const card of ['tok_chargeDeclined', 'tok_chargeDeclined', 'tok_visa']) await tester.http().post('/api/v1/orders').send(order(card)).expect(202);

      const refused = await tester.http().post('/api/v1/orders').send(order('tok_visa'));
      const again = await logIn(app, tester.email, tester.password);
      const refusedAgain = await withToken(app.http(), again.accessToken).post('/api/v1/orders').send(order('tok_visa'));

      for (const answer of [refused, refusedAgain]) {
        expectRetryLater(answer.status, answer.headers);
        expect(answer.body.detail).toMatch(/^Too many requests: the orders limit is 3 per 3600 s per caller/);
      }
      const { body } = await tester.http().get('/api/v1/orders').expect(200);
      expect(body.items).toHaveLength(3);
      const shopper = await newCustomer(app);
      await shopper.http().post('/api/v1/orders').send(order('tok_visa')).expect(202);
    });

    it("API2:2023 broken authentication: guessing one account's password from many addresses is stopped for that account (429)", async () => {
      // Registering and signing in took 2 of the account's 5.
      const victim = await newCustomer(app);
      const attempt = (password: string, octet: number) =>
        inject(app, { method: 'POST', url: '/api/v1/auth/login', remoteAddress: `198.51.100.${octet}`, payload: { email: victim.email, password } });

      const statuses: number[] = [];
      for (let i = 1; i <= 5; i++) statuses.push((await attempt(`guess-${i}`, i)).statusCode);
      const rightPassword = await attempt(victim.password, 99);

      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      expectRetryLater(rightPassword.statusCode, rightPassword.headers);
      expect(rightPassword.body).not.toContain('accessToken');
    });
  });
});
