import { DataSource } from 'typeorm';

/**
 * An undelivered outbox row that no delivery has tried yet. A row that failed has a last_error,
 * also one whose failures were not counted in its attempts (it waits for a dependency known to be
 * down): it waits for a retry, not behind other messages.
 */
function neverTried(alias = ''): string {
  return `${alias}attempts = 0 AND ${alias}last_error IS NULL`;
}

/** Messages not yet delivered, by what holds them back: for a diagnosis when work does not finish. */
export interface OutboxBacklog {
  /** Due, or soon due, for a first delivery. */
  waiting: number;
  /** Leased to a relay (written for it, or claimed by it) whose lease has not run out: it is delivering them or about to, or died doing so. */
  leased: number;
  /** Failed at least once; waiting for their next attempt. */
  retrying: number;
  /** Gave up on: in the dead-letter store, replayable from the admin API. */
  dead: number;
}

/** The backlog of messages whose type starts with `typePrefix` (e.g. `catalog.`). */
export async function outboxBacklog(dataSource: DataSource, typePrefix: string): Promise<OutboxBacklog> {
  const [row]: Record<keyof OutboxBacklog, number>[] = await dataSource.query(
    `SELECT
       count(*) FILTER (WHERE undelivered AND NOT leased AND never_tried)::int AS waiting,
       count(*) FILTER (WHERE undelivered AND leased)::int AS leased,
       count(*) FILTER (WHERE undelivered AND NOT leased AND NOT never_tried)::int AS retrying,
       count(*) FILTER (WHERE dead_at IS NOT NULL)::int AS dead
     FROM (SELECT dead_at, published_at IS NULL AND dead_at IS NULL AS undelivered, (${neverTried()}) AS never_tried,
                  coalesce(locked_until > now(), false) AS leased
           FROM messaging.outbox WHERE starts_with(type, $1)) AS message`,
    [typePrefix],
  );
  return row;
}

/** `12 waiting, 0 leased, 3 retrying, 1 dead` */
export function describeBacklog(backlog: OutboxBacklog): string {
  return `${backlog.waiting} waiting, ${backlog.leased} leased, ${backlog.retrying} retrying, ${backlog.dead} dead`;
}

/**
 * How long the first message in delivery order still waiting for its first delivery has waited,
 * in ms (0 when none waits): how far delivery is behind. Messages waiting for a retry are not
 * counted, since a failing consumer is not a backlog. Read from the head of the undelivered rows
 * (migrations/1767000003900-outbox-undelivered-in-order.ts), so a backlog of thousands costs no more.
 */
export async function outboxDeliveryLagMs(dataSource: DataSource): Promise<number> {
  const [row]: { lag_ms: number }[] = await dataSource.query('SELECT messaging.outbox_delivery_lag_ms() AS lag_ms');
  return Math.max(0, Number(row.lag_ms));
}

/**
 * How many messages are not delivered yet (queued, leased or retrying; not dead). Counted on the
 * index of undelivered rows (migrations/1767000004400-outbox-undelivered-count.ts), so rows
 * delivered since the last vacuum are not read at every count.
 */
export async function outboxUndeliveredCount(dataSource: DataSource): Promise<number> {
  const [row]: { n: number }[] = await dataSource.query('SELECT messaging.outbox_undelivered_count()::int AS n');
  return row.n;
}

/**
 * A condition (SQL) true when the aggregate in `aggregateIdColumn` has messages queued in the
 * outbox for their first delivery (behind others), not failed ones waiting for a retry.
 */
export function hasQueuedMessages(aggregateIdColumn: string): string {
  return undeliveredOf(aggregateIdColumn, ` AND ${neverTried('o.')}`);
}

/** A condition (SQL) true when the aggregate in `aggregateIdColumn` has messages in the outbox not delivered yet, queued or retrying. */
export function hasUndeliveredMessages(aggregateIdColumn: string): string {
  return undeliveredOf(aggregateIdColumn, '');
}

/**
 * A condition (SQL) true when the aggregate in `aggregateIdColumn` has a message published and
 * not yet handled by its consumer: queued at the broker behind others, or being handled. Only the
 * messages of `addressees` count, each handled by one context: `typesParam` and `consumersParam`
 * are placeholders of two text[] parameters, a message type and the context that consumes it at
 * the same index. Handled means an inbox entry under the key InboundDispatcher gives that consumer
 * (`consumerKey`); a message the consumer dead-lettered is not on its way any more. Entries and
 * rows are pruned after the same retention from times moments apart, so only a saga still open a
 * whole retention later can see a row whose entry went first, until the next prune takes the row.
 */
export function hasUnhandledPublishedMessages(aggregateIdColumn: string, typesParam: string, consumersParam: string): string {
  return `EXISTS (SELECT 1 FROM messaging.outbox o
                  JOIN unnest(${typesParam}::text[], ${consumersParam}::text[]) AS addressee(type, consumer) ON addressee.type = o.type
                  WHERE o.aggregate_id = ${aggregateIdColumn}::text AND o.published_at IS NOT NULL AND o.dead_at IS NULL
                    AND NOT EXISTS (SELECT 1 FROM messaging.inbox i
                                    WHERE i.consumer = addressee.consumer || '/' || o.type || '@' || o.version AND i.message_id = o.message_id)
                    AND NOT EXISTS (SELECT 1 FROM messaging.dead_letter d WHERE d.message_id = o.message_id))`;
}

function undeliveredOf(aggregateIdColumn: string, condition: string): string {
  return `EXISTS (SELECT 1 FROM messaging.outbox o
                  WHERE o.aggregate_id = ${aggregateIdColumn}::text AND o.published_at IS NULL AND o.dead_at IS NULL${condition})`;
}
