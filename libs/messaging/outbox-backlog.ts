import { DataSource } from 'typeorm';

/** Messages not yet delivered, by what holds them back: for a diagnosis when work does not finish. */
export interface OutboxBacklog {
  /** Due, or soon due, for a first delivery. */
  waiting: number;
  /** Claimed by a relay whose lease has not run out (it is delivering them, or died doing so). */
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
       count(*) FILTER (WHERE undelivered AND NOT leased AND attempts = 0)::int AS waiting,
       count(*) FILTER (WHERE undelivered AND leased)::int AS leased,
       count(*) FILTER (WHERE undelivered AND NOT leased AND attempts > 0)::int AS retrying,
       count(*) FILTER (WHERE dead_at IS NOT NULL)::int AS dead
     FROM (SELECT attempts, dead_at, published_at IS NULL AND dead_at IS NULL AS undelivered,
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

