import { Customer, newCustomer } from '../support/auth';
import { drained, sql, stockedProduct, stockOf } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

const BURST = 10_000;
const CONNECTIONS = 50;
const MAX_UNDECIDED = 5;

/** Headers of a JSON request as `customer`, for requests injected straight into the server. */
function jsonAs(customer: Customer): Record<string, string> {
  return { 'content-type': 'application/json', authorization: `Bearer ${customer.session.accessToken}` };
}

interface Answer {
  status: number;
  retryAfter: string;
  contentType: string;
  id?: string;
  replayed?: string;
}

/** One unit of `productId`, paid by card: the order every test here places. */
function oneOf(productId: string): string {
  return JSON.stringify({ items: [{ productId, quantity: 1 }], payment: { method: 'card', token: 'tok_visa' } });
}

/** What admission control answered an injected POST /orders. */
function answerOf(response: { statusCode: number; headers: Record<string, unknown> }): Answer {
  return { status: response.statusCode, retryAfter: String(response.headers['retry-after']), contentType: String(response.headers['content-type']) };
}

describe('Admission control of new orders', () => {
  let app: TestApp;

  beforeAll(async () => {
    // A deadline far shorter than the burst takes: orders queued behind it must not expire. The burst, injected
    // in-process, starves the sockets of the provider simulator this process hosts: its calls must not time out
    // meanwhile, for a timed-out authorization stays pending until the deadline rolls its order back.
    app = await startTestApp({
      ORDER_ADMISSION_MAX_UNDECIDED: String(MAX_UNDECIDED),
      SAGA_DEADLINE_MS: '2000',
      SAGA_SWEEP_MS: '100',
      PAYMENT_TIMEOUT_MS: '60000',
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it(`refuses a burst of ${BURST} at the door with 503 + Retry-After, and confirms every order it accepted`, async () => {
    const productId = await stockedProduct(app, BURST);
    const server = app.nest.getHttpAdapter().getInstance();
    const customer = await newCustomer(app);
    const headers = jsonAs(customer);
    const body = oneOf(productId);
    const answers: Answer[] = [];
    let sent = 0;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (sent < BURST) {
          sent++;
          const response = await server.inject({ method: 'POST', url: '/api/v1/orders', headers, payload: body });
          answers.push({ ...answerOf(response), id: response.statusCode === 202 ? response.json<{ id: string }>().id : undefined });
        }
      }),
    );

    const accepted = answers.filter((a) => a.status === 202).map((a) => a.id!);
    const refused = answers.filter((a) => a.status === 503);
    expect(accepted.length + refused.length).toBe(BURST);
    expect(accepted.length).toBeGreaterThanOrEqual(MAX_UNDECIDED);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(answer.contentType).toContain('application/problem+json');
    }

    await app.eventually(async () => {
      const [{ n }] = await sql<{ n: number }>(app, `SELECT count(*)::int AS n FROM ordering.order_saga WHERE status = 'RUNNING'`);
      if (n > 0) throw new Error(`${n} orders undecided`);
    }, 120_000);
    await drained(app, 60_000);
    const outcomes = await sql<{ status: string; n: number }>(
      app,
      `SELECT status, count(*)::int AS n FROM ordering.order_view WHERE id = ANY($1::uuid[]) GROUP BY status`,
      [accepted],
    );
    expect(outcomes).toEqual([{ status: 'COMPLETED', n: accepted.length }]);
    expect(await stockOf(app, productId)).toMatchObject({ onHand: BURST - accepted.length, reserved: 0 });
    // Nothing refused was written.
    const [{ n: orders }] = await sql<{ n: number }>(app, 'SELECT count(*)::int AS n FROM ordering.order_view WHERE customer_id = $1', [customer.id]);
    expect(orders).toBe(accepted.length);
  }, 300_000);
});

describe('The saga deadline of an order queued behind others', () => {
  let app: TestApp;

  beforeAll(async () => {
    // No admission bound to speak of, and a deadline far shorter than deciding 300 orders takes. The burst keeps this
    // process, and the provider simulator it hosts, busy for seconds: as above, its calls must not time out meanwhile.
    app = await startTestApp({
      ORDER_ADMISSION_MAX_UNDECIDED: '100000',
      SAGA_DEADLINE_MS: '300',
      SAGA_SWEEP_MS: '50',
      PAYMENT_TIMEOUT_MS: '60000',
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('does not expire while its messages wait in the outbox', async () => {
    const productId = await stockedProduct(app, 1000);
    const server = app.nest.getHttpAdapter().getInstance();
    const customer = await newCustomer(app);
    const headers = jsonAs(customer);
    const body = oneOf(productId);
    const responses = await Promise.all(
      Array.from({ length: 300 }, () => server.inject({ method: 'POST', url: '/api/v1/orders', headers, payload: body })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 202));
    await app.eventually(async () => {
      const [{ n }] = await sql<{ n: number }>(app, `SELECT count(*)::int AS n FROM ordering.order_saga WHERE status = 'RUNNING'`);
      if (n > 0) throw new Error(`${n} orders undecided`);
    }, 120_000);
    // Decided, none for time; then captured and committed.
    await drained(app, 60_000);
    const outcomes = await sql<{ status: string; n: number }>(
      app,
      'SELECT status, count(*)::int AS n FROM ordering.order_view WHERE customer_id = $1 GROUP BY status',
      [customer.id],
    );
    expect(outcomes).toEqual([{ status: 'COMPLETED', n: 300 }]);
  }, 180_000);
});

describe('Admission while delivery lags', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ ORDER_ADMISSION_MAX_LAG_MS: '60000' });
  });

  afterAll(async () => {
    await app?.close();
  });

  /** A row of the outbox no relay will deliver before the test ends (due tomorrow), `age` old. */
  async function waiting(type: string, age: string, columns = '', values = ''): Promise<void> {
    await sql(
      app,
      `INSERT INTO messaging.outbox (message_id, type, version, aggregate_id, envelope, created_at, next_attempt_at${columns})
       VALUES (gen_random_uuid(), $1, 1, 'lagging', '{}', now() - $2::interval, now() + interval '1 day'${values})`,
      [type, age],
    );
  }

  async function placeAs(customer: Customer, productId: string, idempotencyKey?: string, payload = oneOf(productId)): Promise<Answer> {
    const response = await app.nest.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { ...jsonAs(customer), ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }) },
      payload,
    });
    const replayed = response.headers['idempotent-replayed'];
    return { ...answerOf(response), id: response.statusCode === 202 ? response.json<{ id: string }>().id : undefined, ...(replayed === undefined ? {} : { replayed: String(replayed) }) };
  }

  it('still answers a resend of an order already placed with its Idempotency-Key, and refuses a new request under that key or another customer using it', async () => {
    const productId = await stockedProduct(app, 10);
    const customer = await newCustomer(app);
    const placed = await placeAs(customer, productId, 'lost-answer');
    expect(placed.status).toBe(202);

    await waiting('test.lagging', '90 seconds');
    try {
      // Until admission's next reading of the backlog sees the row, orders are still placed; they count below.
      let placedMeanwhile = 0;
      await app.eventually(async () => {
        const { status } = await placeAs(customer, productId);
        if (status === 202) placedMeanwhile++;
        expect(status).toBe(503);
      });
      expect(await placeAs(customer, productId, 'lost-answer')).toMatchObject({ status: 202, id: placed.id, replayed: 'true' });
      const otherRequest = JSON.stringify({ items: [{ productId, quantity: 2 }], payment: { method: 'card', token: 'tok_visa' } });
      expect((await placeAs(customer, productId, 'lost-answer', otherRequest)).status).toBe(422);
      // A key is the customer's own: another customer sending the same key and body gets no one else's order.
      expect(await placeAs(await newCustomer(app), productId, 'lost-answer')).toMatchObject({ status: 503, id: undefined });
      expect((await placeAs(customer, productId, 'new-order')).status).toBe(503);
      const [{ n }] = await sql<{ n: number }>(app, 'SELECT count(*)::int AS n FROM ordering.order_view WHERE customer_id = $1', [customer.id]);
      expect(n).toBe(1 + placedMeanwhile);
    } finally {
      await sql(app, `DELETE FROM messaging.outbox WHERE starts_with(type, 'test.')`);
    }
  });

  it('refuses orders while the first message waiting for its first delivery is older than the bound, not for retries or delivered ones', async () => {
    const productId = await stockedProduct(app, 10);
    const customer = await newCustomer(app);
    // Older than the bound but not a backlog: one delivered, one waiting for a retry.
    await waiting('test.retrying', '2 hours', ', attempts, last_error', `, 1, 'provider down'`);
    await waiting('test.delivered', '3 hours', ', published_at', ', now()');
    await app.eventually(async () => expect((await placeAs(customer, productId)).status).toBe(202));

    await waiting('test.lagging', '90 seconds');
    await app.eventually(async () =>
      expect(await placeAs(customer, productId)).toEqual({ status: 503, retryAfter: '30', contentType: expect.stringContaining('application/problem+json') }),
    );

    await sql(app, `DELETE FROM messaging.outbox WHERE starts_with(type, 'test.')`);
    await app.eventually(async () => expect((await placeAs(customer, productId)).status).toBe(202));
  });
});
