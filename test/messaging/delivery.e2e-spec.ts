import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { IntegrationMessage } from '../../libs/contracts';
import { ReserveStockV1 } from '../../libs/contracts/inventory';
import { createEnvelope, UnitOfWork } from '../../libs/messaging';
import { DeadLetterStore } from '../../libs/messaging/dead-letter.store';
import { InboundDispatcher } from '../../libs/messaging/inbound-dispatcher';
import { MESSAGE_TRANSPORT, MessageTransport } from '../../libs/messaging/message-transport';
import { OutboxRelay } from '../../libs/messaging/outbox-relay';
import { newId } from '../../libs/persistence';
import { RunningProviderSimulator, startProviderSimulator } from '../../src/simulators/providers';
import { asAdmin } from '../support/auth';
import { authorizationRequest } from '../support/payment-requests';
import { catalogProduct, drained, finalOrder, placeOrder, sql, stockedProduct, stockOf } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

const RESERVE_CONSUMER = 'inventory/inventory.stock.reserve@1';

/** Commits the messages in one transaction, as a handler does: the relay is told at once. */
async function commitMessages(app: TestApp, messages: { message: IntegrationMessage; aggregateId: string }[]): Promise<void> {
  await app.nest.get(UnitOfWork).run((tx) => {
    for (const { message, aggregateId } of messages) tx.publish(message, aggregateId);
    return Promise.resolve();
  });
}

/** Commits one ReserveStock request per order in one transaction, so the relay claims them as one batch. */
async function requestReservations(app: TestApp, requests: { orderId: string; lines: { productId: string; quantity: number }[] }[]): Promise<void> {
  await commitMessages(app, requests.map(({ orderId, lines }) => ({ message: new ReserveStockV1({ orderId, lines }), aggregateId: orderId })));
}

/** Puts a copy of an already delivered outbox message back in the outbox: a redelivery. */
async function redeliver(app: TestApp, orderId: string, type: string): Promise<void> {
  const copied = await sql(
    app,
    `INSERT INTO messaging.outbox (message_id, type, version, aggregate_id, envelope)
     SELECT message_id, type, version, aggregate_id, envelope FROM messaging.outbox
     WHERE aggregate_id = $1 AND type = $2 RETURNING seq`,
    [orderId, type],
  );
  expect(copied).toHaveLength(1);
}

/**
 * Runs `work` while inventory's reservation of `orderId` fails in the database every time it is
 * tried: a well-formed request that fails its batch's shared transaction, then alone, through its retries.
 */
async function withPoisonedReservation<T>(app: TestApp, orderId: string, work: () => Promise<T>): Promise<T> {
  await sql(
    app,
    `CREATE FUNCTION inventory.refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN IF NEW.order_id = '${orderId}' THEN RAISE EXCEPTION 'no reservation for this order'; END IF; RETURN NEW; END $$`,
  );
  await sql(app, 'CREATE TRIGGER refuse_poison BEFORE INSERT ON inventory.reservation FOR EACH ROW EXECUTE FUNCTION inventory.refuse_poison()');
  try {
    return await work();
  } finally {
    await sql(app, 'DROP FUNCTION inventory.refuse_poison() CASCADE');
  }
}

/**
 * Thirty reservation requests in three batches of ten, handed to inventory's consumers at the same
 * moment; resolves with each batch's failures and the requests' message ids.
 */
async function dispatchThreeBatches(app: TestApp, productId: string, orderIds: string[]) {
  const dispatcher = app.nest.get(InboundDispatcher);
  const origin = { correlationId: newId(), causationId: null, traceparent: null };
  const envelopes = orderIds.map((orderId) => createEnvelope(new ReserveStockV1({ orderId, lines: [{ productId, quantity: 1 }] }), orderId, origin));
  const failed = await Promise.all([0, 10, 20].map((from) => dispatcher.dispatchBatch(envelopes.slice(from, from + 10), 'inventory')));
  return { failed, messageIds: envelopes.map((envelope) => envelope.id) };
}

/** The transactions that recorded the messages in inventory's inbox, with the messages each recorded. */
async function transactionsOf(app: TestApp, messageIds: string[]): Promise<number[]> {
  // processed_at is the transaction's start time: one value per transaction.
  const rows = await sql<{ messages: number }>(
    app,
    'SELECT count(*)::int AS messages FROM messaging.inbox WHERE consumer = $1 AND message_id = ANY($2::uuid[]) GROUP BY processed_at ORDER BY min(processed_at)',
    [RESERVE_CONSUMER, messageIds],
  );
  return rows.map((row) => row.messages);
}

describe('Message delivery', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ MESSAGE_MAX_ATTEMPTS: '3' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('gives a message delivered twice one effect', async () => {
    const productId = await stockedProduct(app, 10);
    const orderId = await placeOrder(app, [{ productId, quantity: 4 }]);
    expect((await finalOrder(app, orderId)).status).toBe('COMPLETED');
    await drained(app);
    expect(await stockOf(app, productId)).toMatchObject({ onHand: 6, reserved: 0 });

    await redeliver(app, orderId, 'inventory.reservation.commit');
    await redeliver(app, orderId, 'inventory.stock.reserve');
    await drained(app);

    expect(await stockOf(app, productId)).toMatchObject({ onHand: 6, reserved: 0 });
    // Both outbox rows carry the same message id; the consumer's inbox holds it once.
    const distinct = await sql<{ n: number }>(
      app,
      `SELECT count(DISTINCT (i.consumer, i.message_id))::int AS n FROM messaging.inbox i
       JOIN messaging.outbox o ON o.message_id = i.message_id WHERE o.aggregate_id = $1 AND o.type = 'inventory.reservation.commit'`,
      [orderId],
    );
    expect(distinct[0].n).toBe(1);
  });

  it('handles a batch in one transaction, and a batch delivered twice has one effect per message', async () => {
    const productId = await stockedProduct(app, 100);
    const orderIds = Array.from({ length: 30 }, () => newId());
    await requestReservations(app, orderIds.map((orderId) => ({ orderId, lines: [{ productId, quantity: 1 }] })));
    await drained(app);
    expect(await stockOf(app, productId)).toMatchObject({ onHand: 100, reserved: 30 });
    const handledIn = async () =>
      sql<{ transactions: number; messages: number }>(
        app,
        `SELECT count(DISTINCT i.processed_at)::int AS transactions, count(*)::int AS messages FROM messaging.inbox i
         JOIN messaging.outbox o ON o.message_id = i.message_id
         WHERE i.consumer = $1 AND o.aggregate_id = ANY($2::text[])`,
        [RESERVE_CONSUMER, orderIds],
      );
    // processed_at is the transaction's start time: one value per transaction.
    const [first] = await handledIn();
    expect(first.messages).toBe(30);
    expect(first.transactions).toBeLessThanOrEqual(2);

    // The whole batch again, with the same message ids, in one statement: claimed together.
    await sql(
      app,
      `INSERT INTO messaging.outbox (message_id, type, version, aggregate_id, envelope)
       SELECT message_id, type, version, aggregate_id, envelope FROM messaging.outbox
       WHERE type = 'inventory.stock.reserve' AND aggregate_id = ANY($1::text[]) ORDER BY seq`,
      [orderIds],
    );
    await drained(app);
    expect(await stockOf(app, productId)).toMatchObject({ onHand: 100, reserved: 30 });
    const [again] = await handledIn();
    expect(again.messages).toBe(60); // each inbox row joined to its two outbox copies
    const replies = await sql<{ n: number }>(
      app,
      `SELECT count(*)::int AS n FROM messaging.outbox WHERE type = 'inventory.stock.reserved' AND aggregate_id = ANY($1::text[])`,
      [orderIds],
    );
    expect(replies[0].n).toBe(30);
  });

  it('dead-letters a poison message of a batch alone, and commits the rest of the batch', async () => {
    const productId = await stockedProduct(app, 100);
    const good = Array.from({ length: 10 }, () => newId());
    const poison = newId();
    await withPoisonedReservation(app, poison, async () => {
      await requestReservations(app, [
        ...good.slice(0, 5).map((orderId) => ({ orderId, lines: [{ productId, quantity: 2 }] })),
        { orderId: poison, lines: [{ productId, quantity: 2 }] },
        ...good.slice(5).map((orderId) => ({ orderId, lines: [{ productId, quantity: 2 }] })),
      ]);
      await drained(app);
    });
    expect(await stockOf(app, productId)).toMatchObject({ onHand: 100, reserved: 20 });
    const reserved = await sql<{ order_id: string }>(app, 'SELECT order_id FROM inventory.reservation WHERE order_id = ANY($1::uuid[])', [
      [...good, poison],
    ]);
    expect(reserved.map((r) => r.order_id).sort()).toEqual([...good].sort());
    const { body: letters } = await (await asAdmin(app)).get('/api/v1/admin/dead-letters').expect(200);
    const dead = letters.filter((l: { envelope: { aggregateId: string } }) => [...good, poison].includes(l.envelope.aggregateId));
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ type: 'inventory.stock.reserve', consumers: [RESERVE_CONSUMER], envelope: { aggregateId: poison } });
  });

  it("handles a context's batches one transaction at a time, and the batches that waited together in the next", async () => {
    const productId = await stockedProduct(app, 100);
    const orderIds = Array.from({ length: 30 }, () => newId());
    const { failed, messageIds } = await dispatchThreeBatches(app, productId, orderIds);

    expect(failed.map((batch) => batch.size)).toEqual([0, 0, 0]);
    expect(await transactionsOf(app, messageIds)).toEqual([10, 20]);
    expect(await stockOf(app, productId)).toMatchObject({ onHand: 100, reserved: 30 });
  });

  it('fails a poison message alone when the batches that waited together fail, and commits the rest', async () => {
    const productId = await stockedProduct(app, 100);
    const orderIds = Array.from({ length: 30 }, () => newId());
    const poison = orderIds[15];
    const { failed, messageIds } = await withPoisonedReservation(app, poison, () => dispatchThreeBatches(app, productId, orderIds));

    expect(failed.map((batch) => [...batch.keys()].map((envelope) => envelope.aggregateId))).toEqual([[], [poison], []]);
    // The first batch alone; the two that waited failed together, then each as it came: the
    // second one by one (nine transactions), the third as one.
    expect(await transactionsOf(app, messageIds)).toEqual([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 10]);
    expect(await stockOf(app, productId)).toMatchObject({ onHand: 100, reserved: 29 });
  });

  it('dead-letters a message after its retries and delivers it again on replay', async () => {
    const productId = await stockedProduct(app, 3);
    // Inventory cannot write reservations: every delivery of ReserveStock fails.
    await sql(app, 'ALTER TABLE inventory.reservation RENAME TO reservation_unavailable');
    let orderId: string;
    try {
      orderId = await placeOrder(app, [{ productId, quantity: 1 }]);
      const letter = await app.eventually(async () => {
        const { body } = await (await asAdmin(app)).get('/api/v1/admin/dead-letters').expect(200);
        const found = body.find((l: { type: string; envelope: { aggregateId: string } }) =>
          l.type === 'inventory.stock.reserve' && l.envelope.aggregateId === orderId,
        );
        if (!found) throw new Error('not dead-lettered yet');
        return found;
      });
      expect(letter).toMatchObject({ attempts: 3, consumers: ['inventory/inventory.stock.reserve@1'], replayedAt: null });
    } finally {
      await sql(app, 'ALTER TABLE inventory.reservation_unavailable RENAME TO reservation');
    }
    const { body: letters } = await (await asAdmin(app)).get('/api/v1/admin/dead-letters').expect(200);
    const letter = letters.find((l: { envelope: { aggregateId: string } }) => l.envelope.aggregateId === orderId!);
    const replayed = await (await asAdmin(app)).post(`/api/v1/admin/dead-letters/${letter.id}/replay`).expect(202);
    expect(replayed.body.replayedAt).not.toBeNull();
    await (await asAdmin(app)).post(`/api/v1/admin/dead-letters/${letter.id}/replay`).expect(409);
    await drained(app);
    const [reservation] = await sql(app, 'SELECT status FROM inventory.reservation WHERE order_id = $1', [orderId!]);
    expect(reservation).toBeDefined();
    const { body: open } = await (await asAdmin(app)).get('/api/v1/admin/dead-letters').expect(200);
    expect(open.find((l: { id: string }) => l.id === letter.id)).toBeUndefined();
  });

  it('dead-letters a message once when deliveries of it fail side by side (one outlived its lease, the next claim ran it again)', async () => {
    const orderId = newId();
    const envelope = createEnvelope(new ReserveStockV1({ orderId, lines: [{ productId: newId(), quantity: 1 }] }), orderId, {
      correlationId: newId(),
      causationId: null,
      traceparent: null,
    });
    // Not due for an hour, so only this test's calls act on the row.
    const [{ seq }] = await sql<{ seq: string }>(
      app,
      `INSERT INTO messaging.outbox (message_id, type, version, aggregate_id, envelope, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, now() + interval '1 hour') RETURNING seq`,
      [envelope.id, envelope.type, envelope.version, orderId, JSON.stringify(envelope)],
    );
    const deadLetters = app.nest.get(DeadLetterStore);

    const recorded = await Promise.all([1, 2, 3].map(() => deadLetters.fromOutbox(seq, envelope, new Error('refused'), 1)));

    expect(recorded.filter(Boolean)).toHaveLength(1);
    expect(await sql(app, 'SELECT id FROM messaging.dead_letter WHERE message_id = $1', [envelope.id])).toHaveLength(1);
    await sql(app, 'UPDATE messaging.outbox SET dead_at = NULL, published_at = now() WHERE seq = $1', [seq]);
    expect(await deadLetters.fromOutbox(seq, envelope, new Error('refused'), 1)).toBe(false);
    expect(await sql(app, 'SELECT id FROM messaging.dead_letter WHERE message_id = $1', [envelope.id])).toHaveLength(1);
  });
});

describe('Delivery one row at a time, with the poller out of reach', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ OUTBOX_MAX_IN_FLIGHT: '1', OUTBOX_BATCH_SIZE: '1', OUTBOX_POLL_MS: '3600000' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('delivers every row of a commit: while the relay is at its bound, each finished delivery claims the next', async () => {
    const productId = await stockedProduct(app, 10);
    await requestReservations(
      app,
      Array.from({ length: 5 }, () => ({ orderId: newId(), lines: [{ productId, quantity: 1 }] })),
    );
    await app.eventually(async () => expect(await stockOf(app, productId)).toMatchObject({ onHand: 10, reserved: 5 }));
  });
});

/**
 * Holds the relay's hand-outs of ReserveStock for `orderId` until `release()`; records which orders'
 * ReserveStock each hand-out carried. `restore()` puts the transport back.
 */
function holdDeliveryOf(app: TestApp, orderId: string) {
  const transport = app.nest.get<MessageTransport>(MESSAGE_TRANSPORT);
  const publishBatch = transport.publishBatch.bind(transport);
  let release = () => {};
  // Released by the test, or after 30 s so that a failing test never hangs.
  const held = new Promise<void>((resolve) => {
    release = resolve;
    setTimeout(resolve, 30_000).unref();
  });
  const handOuts: string[][] = [];
  const spy = jest.spyOn(transport, 'publishBatch').mockImplementation(async (envelopes, onHandedOver) => {
    const requests = envelopes.filter((envelope) => envelope.type === ReserveStockV1.definition.type).map((envelope) => envelope.aggregateId);
    if (requests.length > 0) handOuts.push(requests);
    if (requests.includes(orderId)) await held;
    return publishBatch(envelopes, onHandedOver);
  });
  return { handOuts, release: () => release(), restore: () => spy.mockRestore() };
}

describe('Rows their writer hands to the relay, with the poller out of reach', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ OUTBOX_POLL_MS: '3600000' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('delivers the rows a commit wrote leased to the relay without claiming them from the table', async () => {
    const productId = await stockedProduct(app, 10);
    await drained(app);
    const queries = jest.spyOn(app.nest.get(DataSource), 'query');
    try {
      await requestReservations(
        app,
        Array.from({ length: 3 }, () => ({ orderId: newId(), lines: [{ productId, quantity: 1 }] })),
      );
      await app.eventually(async () => expect(await stockOf(app, productId)).toMatchObject({ onHand: 10, reserved: 3 }));
      await drained(app);
      expect(queries.mock.calls.filter(([query]) => query.includes('claim_outbox'))).toEqual([]);
    } finally {
      queries.mockRestore();
    }
  });
});

/** A test app with `env` and the poller out of reach, started for the describe block and closed after it. */
function appWith(env: Record<string, string>, before?: () => Promise<Record<string, string>>): () => TestApp {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await startTestApp({ ...env, ...(await before?.()), OUTBOX_POLL_MS: '3600000' });
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => app!;
}

/**
 * A test app whose relay delivers a row at a time and has room for two (one under delivery, one
 * waiting, or two waiting), whose claims wait for the latest delivery, and whose poller and leases
 * are out of reach.
 */
function appWithRoomForTwo(): () => TestApp {
  return appWith({
    OUTBOX_MAX_IN_FLIGHT: '2',
    OUTBOX_BATCH_SIZE: '1',
    OUTBOX_CLAIM_WAIT_MS: '60000',
    // Longer than the test: a row still leased was not given back.
    OUTBOX_LEASE_MS: '600000',
    SHUTDOWN_DRAIN_MS: '0',
  });
}

/**
 * A stocked product, a reservation whose delivery is held (as holdDeliveryOf), and two more
 * committed together, which wait for the relay in memory; `leases(orderIds)` tells which of the
 * orders' undelivered requests are leased, in seq order.
 */
async function holdOneAndQueueTwo(app: TestApp) {
  const productId = await stockedProduct(app, 10);
  await drained(app);
  const [held, ...waiting] = [newId(), newId(), newId()];
  const hold = holdDeliveryOf(app, held);
  const reserve = (orderIds: string[]) => requestReservations(app, orderIds.map((orderId) => ({ orderId, lines: [{ productId, quantity: 1 }] })));
  const leases = async (orderIds: string[]) =>
    (
      await sql<{ leased: boolean }>(
        app,
        `SELECT coalesce(locked_until > now(), false) AS leased FROM messaging.outbox
         WHERE aggregate_id = ANY($1::text[]) AND published_at IS NULL ORDER BY seq`,
        [orderIds],
      )
    ).map((row) => row.leased);
  await reserve([held]);
  await app.eventually(() => Promise.resolve(expect(hold.handOuts).toEqual([[held]])));
  await reserve(waiting);
  expect(await leases([held, ...waiting])).toEqual([true, true, true]);
  return { productId, held, waiting, reserve, leases, ...hold };
}

describe('A relay with more rows handed to it than it delivers at once', () => {
  const app = appWithRoomForTwo();

  it('gives the waiting rows back to the table, writes the next unleased, and delivers them all in order', async () => {
    const { productId, held, waiting, reserve, leases, handOuts, release, restore } = await holdOneAndQueueTwo(app());
    try {
      const pastTheBound = newId();
      await reserve([pastTheBound]);
      await app().eventually(async () => expect(await leases([held, ...waiting, pastTheBound])).toEqual([true, false, false, false]));
      release();
      await app().eventually(async () => expect(await stockOf(app(), productId)).toMatchObject({ onHand: 10, reserved: 4 }));
      expect(handOuts).toEqual([[held], ...waiting.map((orderId) => [orderId]), [pastTheBound]]);

      // The table drained, rows are written leased again.
      await app().eventually(() => Promise.resolve(expect(app().nest.get(OutboxRelay).accepts(1)).toBe(true)));
      const afterwards = [newId(), newId()];
      await reserve(afterwards);
      await app().eventually(async () => expect(await stockOf(app(), productId)).toMatchObject({ onHand: 10, reserved: 6 }));
    } finally {
      release();
      restore();
    }
  });
});

describe('A relay that stops with rows handed to it', () => {
  const app = appWithRoomForTwo();

  it('gives up the leases of the rows waiting for it, and the rows written after it stopped are not leased', async () => {
    const { held, waiting, reserve, leases, handOuts, release, restore } = await holdOneAndQueueTwo(app());
    try {
      await app().nest.get(OutboxRelay).beforeApplicationShutdown();
      const afterStop = newId();
      await reserve([afterStop]);

      expect(await leases([held, ...waiting, afterStop])).toEqual([true, false, false, false]);
      expect(handOuts).toEqual([[held]]);
    } finally {
      release();
      restore();
    }
  });
});

describe('Claims while the latest delivery is under way, with the poller out of reach', () => {
  /** A stocked product and the first reservation of it, whose delivery is held; as holdDeliveryOf. */
  async function holdFirstReservation(app: TestApp) {
    const productId = await stockedProduct(app, 10);
    const first = newId();
    const hold = holdDeliveryOf(app, first);
    await requestReservations(app, [{ orderId: first, lines: [{ productId, quantity: 1 }] }]);
    await app.eventually(() => Promise.resolve(expect(hold.handOuts).toEqual([[first]])));
    return { productId, first, ...hold };
  }

  /** Commits a reservation request for each of `count` new orders, each in a transaction of its own. */
  async function requestOneByOne(app: TestApp, productId: string, count: number): Promise<string[]> {
    const orderIds = Array.from({ length: count }, () => newId());
    for (const orderId of orderIds) await requestReservations(app, [{ orderId, lines: [{ productId, quantity: 1 }] }]);
    return orderIds;
  }

  describe('with a wait longer than the test', () => {
    const app = appWith({ OUTBOX_CLAIM_WAIT_MS: '60000' });

    it('claims the rows committed meanwhile together once that delivery is done, not one claim a commit', async () => {
      const { productId, first, handOuts, release, restore } = await holdFirstReservation(app());
      try {
        const later = await requestOneByOne(app(), productId, 5);
        expect(handOuts).toEqual([[first]]);
        release();
        await app().eventually(async () => expect(await stockOf(app(), productId)).toMatchObject({ onHand: 10, reserved: 6 }));
        expect(handOuts).toEqual([[first], later]);
      } finally {
        release();
        restore();
      }
    });
  });

  describe('with a wait longer than the test, and a payment provider that holds its calls', () => {
    let simulator: RunningProviderSimulator | undefined;
    const app = appWith(
      {
        PAYMENT_TIMEOUT_MS: '60000',
        OUTBOX_CLAIM_WAIT_MS: '60000',
        // The held call is left to its lease when the app closes.
        SHUTDOWN_DRAIN_MS: '0',
      },
      async () => {
        simulator = await startProviderSimulator({ port: 0 });
        const held = await fetch(`${simulator.url}/control`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ provider: 'card', latencyMs: 60_000 }),
        });
        expect(held.status).toBe(200);
        return { PAYMENT_PROVIDER_URL: simulator.url };
      },
    );

    afterAll(async () => {
      await simulator?.close();
    });

    it('claims the next rows while the latest delivery waits only on a handler that commits around a remote call', async () => {
      const productId = await stockedProduct(app(), 10);
      const cardCallsInFlight = async () => ((await (await fetch(`${simulator!.url}/control/stats`)).json()) as { card: { inFlight: number } }).card.inFlight;
      const orderId = newId();
      await commitMessages(app(), [{ message: authorizationRequest(orderId), aggregateId: orderId }]);
      await app().eventually(async () => expect(await cardCallsInFlight()).toBe(1));
      await requestReservations(app(), [{ orderId: newId(), lines: [{ productId, quantity: 1 }] }]);
      await app().eventually(async () => expect(await stockOf(app(), productId)).toMatchObject({ onHand: 10, reserved: 1 }));
      expect(await cardCallsInFlight()).toBe(1);
    });
  });

  // Holding the search table takes a connection of its own: a PostgreSQL server, not the one session of PGlite.
  const describeOnServer = process.env.TEST_DATABASE_URL ? describe : describe.skip;
  describeOnServer('with a wait longer than the test, and search indexing held up (PostgreSQL server)', () => {
    // Indexing waits for the lock as long as the test runs, not failing at a query timeout meanwhile.
    const app = appWith({ OUTBOX_CLAIM_WAIT_MS: '60000', DATABASE_QUERY_TIMEOUT_MS: '60000' });

    it("claims the next rows while the latest delivery waits only on indexing the catalog's events", async () => {
      const productId = await stockedProduct(app(), 10);
      const indexingOf = (id: string) => sql(app(), 'SELECT indexing_status FROM catalog.product WHERE id = $1', [id]);
      const holder = app().nest.get(DataSource).createQueryRunner();
      await holder.connect();
      try {
        await holder.startTransaction();
        await holder.query('LOCK TABLE catalog.product_search IN EXCLUSIVE MODE');
        const held = await catalogProduct(app());
        // Ordering learned of the new product: the catalog event's delivery was handed over.
        await app().eventually(async () => expect(await sql(app(), 'SELECT 1 FROM ordering.product_price WHERE product_id = $1', [held])).toHaveLength(1));
        await requestReservations(app(), [{ orderId: newId(), lines: [{ productId, quantity: 1 }] }]);
        await app().eventually(async () => expect(await stockOf(app(), productId)).toMatchObject({ onHand: 10, reserved: 1 }));
        expect(await indexingOf(held)).toEqual([{ indexing_status: 'pending' }]);
        await holder.rollbackTransaction();
        await app().eventually(async () => expect(await indexingOf(held)).toEqual([{ indexing_status: 'indexed' }]));
      } finally {
        if (holder.isTransactionActive) await holder.rollbackTransaction();
        await holder.release();
      }
    });
  });

  describe('with a short wait', () => {
    const app = appWith({ OUTBOX_CLAIM_WAIT_MS: '100' });

    it('claims again once the wait runs out, while a slow delivery is still under way', async () => {
      const { productId, first, handOuts, release, restore } = await holdFirstReservation(app());
      try {
        const [later] = await requestOneByOne(app(), productId, 1);
        await app().eventually(async () => expect(await stockOf(app(), productId)).toMatchObject({ onHand: 10, reserved: 1 }));
        expect(handOuts).toEqual([[first], [later]]);
        release();
        await app().eventually(async () => expect(await stockOf(app(), productId)).toMatchObject({ onHand: 10, reserved: 2 }));
      } finally {
        release();
        restore();
      }
    });
  });
});

describe('A delivery slower than the outbox lease', () => {
  // Renewed every third of it: a second of lease leaves a loaded machine two more chances to renew in time.
  const LEASE_MS = 1000;
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ OUTBOX_LEASE_MS: String(LEASE_MS) });
  });

  afterAll(async () => {
    await app?.close();
  });

  /**
   * Requests a reservation of two units for a new order, with `beforeDelivery(n)` awaited by the
   * relay's transport before its n-th hand-out of the request; resolves once the outbox is drained
   * with how often the request was handed out, and the product.
   */
  async function reserveThrough(beforeDelivery: (handOut: number) => Promise<void>): Promise<{ handedOut: number; productId: string }> {
    const productId = await stockedProduct(app, 10);
    const orderId = newId();
    const transport = app.nest.get<MessageTransport>(MESSAGE_TRANSPORT);
    const publishBatch = transport.publishBatch.bind(transport);
    let handedOut = 0;
    const spy = jest.spyOn(transport, 'publishBatch').mockImplementation(async (envelopes) => {
      if (envelopes.some((envelope) => envelope.aggregateId === orderId && envelope.type === ReserveStockV1.definition.type)) {
        await beforeDelivery(++handedOut);
      }
      return publishBatch(envelopes);
    });
    try {
      await requestReservations(app, [{ orderId, lines: [{ productId, quantity: 2 }] }]);
      // Past a hung delivery's ten leases, with room for a loaded machine.
      await app.eventually(async () => expect(await stockOf(app, productId)).toMatchObject({ onHand: 10, reserved: 2 }), 30_000);
      await drained(app);
    } finally {
      spy.mockRestore();
    }
    return { handedOut, productId };
  }

  it('keeps its rows: their leases are renewed while it runs, so no other claim hands them out again', async () => {
    // Three leases, as a slow mint or provider call would take; the poller claims every 100 ms meanwhile.
    const { handedOut } = await reserveThrough(() => sleep(3 * LEASE_MS));
    expect(handedOut).toBe(1);
  });

  it('lets the rows of a delivery that hung go after ten leases: another claim delivers them, with one effect', async () => {
    let unhang = () => {};
    // The first delivery hangs until the request is handed out again (or 30 s, so the test itself never hangs).
    const hung = new Promise<void>((resolve) => {
      unhang = resolve;
      setTimeout(resolve, 30_000).unref();
    });
    const { handedOut, productId } = await reserveThrough(async (handOut) => {
      if (handOut === 1) await hung;
      else unhang();
    });
    expect(handedOut).toBeGreaterThanOrEqual(2);
    expect(await stockOf(app, productId)).toMatchObject({ onHand: 10, reserved: 2 });
  });
});
