import { Kafka, logLevel, Producer } from 'kafkajs';
import { Envelope } from '../../libs/messaging';
import { toKafkaRecord } from '../../libs/messaging/kafka-envelope';
import { AppProcess, freePort } from '../support/app-process';
import { asAdmin, forged, logIn, newCustomer, shopperOf, withToken } from '../support/auth';
import { finalOrder, placeOrder, stockedProduct, stockOf } from '../support/shop';
import { SPLIT_ROLES, SplitApp, splitUnavailable } from '../support/split-app';
import { HttpRoutes, TEST_ENV } from '../support/test-env';

const unavailable = splitUnavailable();
if (unavailable) process.stdout.write(`split-topology suite skipped: ${unavailable}\n`);
const describeSplit = unavailable ? describe.skip : describe;

interface DeadLetterBody {
  id: string;
  messageId: string;
  type: string;
  source: string;
  attempts: number;
  consumers: string[];
  envelope: { payload?: { orderId?: string } };
}

describeSplit('Three processes over Kafka', () => {
  let app: SplitApp;
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(async () => {
    app = await SplitApp.start({
      MESSAGE_MAX_ATTEMPTS: '3',
      // Recovery here comes from redelivery and replay, not from the saga's deadline or re-drive.
      SAGA_DEADLINE_MS: '180000',
      SAGA_REDRIVE_AFTER_MS: '180000',
    });
    kafka = new Kafka({ clientId: 'test-producer', brokers: app.kafka.brokers.split(','), logLevel: logLevel.NOTHING });
    producer = kafka.producer();
    await producer.connect();
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
  });

  async function deadLetters(): Promise<DeadLetterBody[]> {
    const { body } = await (await asAdmin(app)).get('/api/v1/admin/dead-letters').expect(200);
    return body as DeadLetterBody[];
  }

  async function deadLetterTopicHas(messageId: string): Promise<boolean> {
    const consumer = kafka.consumer({ groupId: `test-dlq-${messageId}`, maxWaitTimeInMs: 50 });
    await consumer.connect();
    await consumer.subscribe({ topic: 'inventory.dlq', fromBeginning: true });
    try {
      return await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 15_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            if (message.headers?.['message-id']?.toString() === messageId) {
              clearTimeout(timer);
              resolve(true);
            }
            return Promise.resolve();
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
  }

  it('runs the contexts in their own processes, and messages between them cross Kafka', async () => {
    const productId = await stockedProduct(app, 5);
    const orderId = await placeOrder(app, [{ productId, quantity: 2 }]);
    expect((await finalOrder(app, orderId)).status).toBe('COMPLETED');
    await app.drained();
    const origins = await app.sql<{ type: string; origin: string }>(
      `SELECT type, origin FROM messaging.outbox WHERE aggregate_id = $1 ORDER BY seq`,
      [orderId],
    );
    expect(origins).toEqual(
      expect.arrayContaining([
        { type: 'inventory.stock.reserve', origin: [...SPLIT_ROLES.edge].sort().join(',') },
        { type: 'inventory.stock.reserved', origin: 'inventory' },
        { type: 'payments.payment.authorized', origin: 'payments' },
      ]),
    );
    // Each process serves only its own contexts' routes.
    await fetch(`${app.processes.inventory.url}/api/v1/orders/${orderId}`).then((r) => expect(r.status).toBe(404));
    const ready = (await (await fetch(`${app.processes.payments.url}/health/ready`)).json()) as { checks: { kafka: unknown } };
    expect(ready.checks.kafka).toMatchObject({ status: 'up' });
  });

  it('verifies access tokens in the workers with the keys the edge publishes', async () => {
    const productId = await stockedProduct(app, 1);
    const orderId = await placeOrder(app, [{ productId, quantity: 1 }]);
    expect((await finalOrder(app, orderId)).status).toBe('COMPLETED');
    // The capture reaches the provider after the decision.
    await app.drained();
    const { accessToken } = await logIn(app, TEST_ENV.ADMIN_EMAIL, TEST_ENV.ADMIN_PASSWORD);
    const customer = await newCustomer(app);
    const setStock = (routes: HttpRoutes) => routes.put(`/api/v1/inventory/${productId}`).send({ onHand: 2 });
    const payments = (routes: HttpRoutes) => routes.get('/api/v1/payments').query({ orderId });
    for (const request of [setStock, payments]) {
      await request(app.http()).expect(401);
      // The admin's own claims and key id, signed by another key.
      await request(withToken(app.http(), forged(accessToken))).expect(401);
      await request(withToken(app.http(), accessToken)).expect(200);
    }
    await setStock(customer.http()).expect(403);
    // The payments process scopes a customer's reads to the token's subject.
    const { body: own } = await payments((await shopperOf(app)).http()).expect(200);
    expect(own.items).toEqual([expect.objectContaining({ orderId, status: 'CAPTURED' })]);
    const { body: theirs } = await payments(customer.http()).expect(200);
    expect(theirs).toEqual({ items: [] });
    expect(app.processFor('/api/v1/inventory/x')).toBe(app.processes.inventory);
    expect(app.processFor('/api/v1/payments')).toBe(app.processes.payments);
    expect(await stockOf(app, productId)).toEqual({ productId, onHand: 2, reserved: 0, available: 2 });
  });

  it('shares a context\'s partitions with a worker replica without HTTP, which stops cleanly', async () => {
    const worker = new AppProcess(await freePort(), { ...app.processes.payments.environment, HTTP: 'off', LOG_LEVEL: 'info' });
    try {
      await worker.start();
      expect(worker.output.join('')).toContain('hosting payments, without HTTP');
      await expect(fetch(worker.url)).rejects.toThrow();
      // Replicas of a context form one consumer group, so the new member gets some of its partitions.
      await app.eventually(() => {
        const log = worker.output.join('');
        return Promise.resolve(expect(log).toMatch(/"groupId\\":\\"payments\\".*"memberAssignment\\":\{\\"payments\.commands\\":\[\d/));
      }, 60_000);
      const productId = await stockedProduct(app, 20);
      const orderIds = await Promise.all(Array.from({ length: 10 }, () => placeOrder(app, [{ productId, quantity: 1 }])));
      // A member joining or leaving makes the group rebalance; records wait for it, none are lost.
      for (const orderId of orderIds) expect((await finalOrder(app, orderId, 120_000)).status).toBe('COMPLETED');
    } finally {
      await worker.stop('SIGTERM');
    }
    expect(worker.exitCode).toBe(0);
    const productId = await stockedProduct(app, 1);
    const orderId = await placeOrder(app, [{ productId, quantity: 1 }]);
    expect((await finalOrder(app, orderId, 120_000)).status).toBe('COMPLETED');
  }, 360_000);

  it('has one effect when the same Kafka record arrives twice', async () => {
    const productId = await stockedProduct(app, 10);
    const orderId = await placeOrder(app, [{ productId, quantity: 3 }]);
    expect((await finalOrder(app, orderId)).status).toBe('COMPLETED');
    await app.drained();
    const [{ envelope }] = await app.sql<{ envelope: Envelope }>(
      `SELECT envelope FROM messaging.outbox WHERE aggregate_id = $1 AND type = 'inventory.stock.reserve'`,
      [orderId],
    );
    const record = toKafkaRecord(envelope);
    await producer.send({ topic: 'inventory.commands', messages: [record, record] });
    await app.drained();
    expect(await stockOf(app, productId)).toEqual({ productId, onHand: 7, reserved: 0, available: 7 });
    const reservations = await app.sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM inventory.reservation WHERE order_id = $1',
      [orderId],
    );
    expect(reservations[0].n).toBe(1);
    const replies = await app.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM messaging.outbox WHERE aggregate_id = $1 AND type = 'inventory.stock.reserved'`,
      [orderId],
    );
    expect(replies[0].n).toBe(1);
  });

  it('dead-letters a malformed record to the topic and the table at once, with its reason, and keeps consuming', async () => {
    const poisonId = '01a20000-0000-7000-8000-00000000beef';
    const orderId = '01a20000-0000-7000-8000-00000000f00d';
    await producer.send({
      topic: 'inventory.commands',
      messages: [
        {
          key: orderId,
          // The order id is not a UUID: refused when decoded, before any handler, and not retried.
          value: JSON.stringify({ orderId: 'not-an-order-id', lines: [{ productId: orderId, quantity: 1 }] }),
          headers: {
            'message-id': poisonId,
            'message-type': 'inventory.stock.reserve',
            'message-version': '1',
            'message-kind': 'command',
            'message-context': 'inventory',
            'occurred-at': new Date().toISOString(),
            'correlation-id': poisonId,
            'aggregate-id': orderId,
          },
        },
        { key: 'garbage', value: 'not json at all' },
      ],
    });
    const letters = await app.eventually(async () => {
      const found = (await deadLetters()).filter((l) => l.source === 'kafka:inventory.commands');
      if (found.length < 2) throw new Error(`${found.length} dead letters from inventory.commands so far`);
      return found;
    }, 30_000);
    expect(letters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          messageId: poisonId,
          type: 'inventory.stock.reserve',
          attempts: 1,
          error: 'MalformedMessageError: payload.orderId must be a UUID',
        }),
        expect.objectContaining({ type: 'unknown', attempts: 1 }),
      ]),
    );
    expect(await deadLetterTopicHas(poisonId)).toBe(true);

    const productId = await stockedProduct(app, 1);
    const next = await placeOrder(app, [{ productId, quantity: 1 }]);
    expect((await finalOrder(app, next)).status).toBe('COMPLETED');
  });

  it('replays a dead letter of a Kafka consumer from the admin endpoint', async () => {
    const productId = await stockedProduct(app, 4);
    await app.sql('ALTER TABLE inventory.reservation RENAME TO reservation_unavailable');
    let orderId: string;
    try {
      orderId = await placeOrder(app, [{ productId, quantity: 1 }]);
      await app.eventually(async () => {
        const letter = (await deadLetters()).find((l) => l.envelope.payload?.orderId === orderId);
        if (!letter) throw new Error('not dead-lettered yet');
      }, 30_000);
    } finally {
      await app.sql('ALTER TABLE inventory.reservation_unavailable RENAME TO reservation');
    }
    const letter = (await deadLetters()).find((l) => l.envelope.payload?.orderId === orderId)!;
    expect(letter).toMatchObject({ type: 'inventory.stock.reserve', source: 'kafka:inventory.commands', attempts: 3 });
    expect(await deadLetterTopicHas(letter.messageId)).toBe(true);
    await (await asAdmin(app)).post(`/api/v1/admin/dead-letters/${letter.id}/replay`).expect(202);
    expect((await finalOrder(app, orderId!, 30_000)).status).toBe('COMPLETED');
    await app.drained();
    expect(await stockOf(app, productId)).toEqual({ productId, onHand: 3, reserved: 0, available: 3 });
  });

  it('loses and duplicates nothing when the inventory process is killed with 200 orders in flight', async () => {
    const onHand = 150;
    const productId = await stockedProduct(app, onHand);
    const inventory = app.processes.inventory;
    const customers = await Promise.all(Array.from({ length: 10 }, () => newCustomer(app)));
    const placing = Array.from({ length: 200 }, (_, i) => placeOrder(app, [{ productId, quantity: 1 }], 'tok_visa', customers[i % customers.length]));
    // Kill it once the first reservations are being handled, while the rest are still arriving.
    await app.eventually(async () => {
      const [{ n }] = await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM inventory.reservation');
      if (n < 20) throw new Error(`${n} reservations so far`);
    }, 60_000);
    await inventory.kill();
    const orderIds = await Promise.all(placing);
    await inventory.start();

    const orders = await Promise.all(orderIds.map((id) => finalOrder(app, id, 180_000)));
    await app.drained(60_000);
    const byStatus = orders.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.status]: (acc[o.status] ?? 0) + 1 }), {});
    expect(byStatus).toEqual({ COMPLETED: onHand, ROLLED_BACK: 200 - onHand });

    const stock = await stockOf(app, productId);
    expect(stock).toEqual({ productId, onHand: 0, reserved: 0, available: 0 });
    const reservations = await app.sql<{ status: string; orders: number; rows: number }>(
      `SELECT status, count(DISTINCT order_id)::int AS orders, count(*)::int AS rows
       FROM inventory.reservation WHERE order_id = ANY($1::uuid[]) GROUP BY status ORDER BY status`,
      [orderIds],
    );
    // One reservation per order at most; the committed ones account for all the stock that left.
    for (const r of reservations) expect(r.rows).toBe(r.orders);
    expect(reservations.find((r) => r.status === 'COMMITTED')?.orders).toBe(onHand - stock.onHand);
    const captured = await app.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM payments.payment WHERE order_id = ANY($1::uuid[]) AND status = 'CAPTURED'`,
      [orderIds],
    );
    expect(captured[0].n).toBe(onHand);
  }, 420_000);
});
