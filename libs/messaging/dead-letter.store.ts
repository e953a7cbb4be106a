import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Counter } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { newId } from '../persistence/ids';
import { rowsOf } from '../persistence/sql';
import { ContextName } from '../contracts/message';
import { Envelope } from './envelope';
import { ReceivedKafkaRecord } from './kafka-envelope';
import { DeliveryError, describeError } from './messaging.errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ConsumerDeadLetter {
  context: ContextName;
  /** e.g. `kafka:inventory.commands` */
  source: string;
  record: ReceivedKafkaRecord;
  /** Absent when the record could not even be decoded. */
  envelope?: Envelope;
  error: unknown;
  attempts: number;
}

/**
 * Work a context gave up on that is not a message (an e-mail no server would take): kept
 * beside the messages for operations to see, but not replayable, since there is no message
 * to deliver again; the context that owns it offers its own way to retry.
 */
export interface DeliveryDeadLetter {
  /** e.g. `notifications:email` */
  source: string;
  /** Id of what failed, e.g. the notification's. */
  subjectId: string;
  /** What failed, e.g. `notifications.email.order-confirmed`. */
  type: string;
  /** Who gave up, e.g. `notifications/email`. */
  consumer: string;
  error: string;
  attempts: number;
  /** What operations need to find it; no secrets. */
  details: Record<string, unknown>;
}

export interface DeadLetter {
  id: string;
  messageId: string;
  type: string;
  version: number;
  consumers: string[];
  error: string;
  attempts: number;
  source: string;
  envelope: Envelope;
  createdAt: string;
  replayedAt: string | null;
}

interface DeadLetterRow {
  id: string;
  message_id: string;
  type: string;
  version: number;
  consumers: string[];
  error: string;
  attempts: number;
  source: string;
  envelope: Envelope;
  created_at: Date;
  replayed_at: Date | null;
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    messageId: row.message_id,
    type: row.type,
    version: row.version,
    consumers: row.consumers,
    error: row.error,
    attempts: row.attempts,
    source: row.source,
    envelope: row.envelope,
    createdAt: new Date(row.created_at).toISOString(),
    replayedAt: row.replayed_at ? new Date(row.replayed_at).toISOString() : null,
  };
}

/** Messages that failed every attempt, kept for an admin to inspect and replay. */
@Injectable()
export class DeadLetterStore {
  constructor(
    private readonly dataSource: DataSource,
    @InjectMetric('messages_dead_lettered_total') private readonly deadLettered: Counter,
  ) {}

  /**
   * Gives up on outbox row `seq`, unless it is already dead or published: a delivery that outlived
   * its lease runs beside the one that claimed the row again, and the message is dead once. True
   * when this call recorded it.
   */
  async fromOutbox(seq: string, envelope: Envelope, error: unknown, attempts: number): Promise<boolean> {
    const reason = describeError(error);
    const recorded = await this.dataSource.transaction(async (manager) => {
      const dead = rowsOf(
        await manager.query(
          `UPDATE messaging.outbox SET dead_at = now(), attempts = $2, last_error = $3, locked_until = NULL
           WHERE seq = $1 AND dead_at IS NULL AND published_at IS NULL RETURNING seq`,
          [seq, attempts, reason],
        ),
      );
      if (dead.length === 0) return false;
      await manager.query(
        `INSERT INTO messaging.dead_letter (id, message_id, type, version, consumers, error, attempts, source, envelope)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'outbox', $8::jsonb)`,
        [
          newId(),
          envelope.id,
          envelope.type,
          envelope.version,
          error instanceof DeliveryError ? error.consumers : [],
          reason,
          attempts,
          JSON.stringify(envelope),
        ],
      );
      return true;
    });
    if (recorded) this.deadLettered.inc({ type: envelope.type });
    return recorded;
  }

  /**
   * Records a failed delivery in `manager`'s transaction, so it commits with the owner marking
   * its work failed. Its `envelope` is `{ delivery: details }`; its version 0, as no contract has it.
   */
  async fromDelivery(manager: EntityManager, letter: DeliveryDeadLetter): Promise<void> {
    await manager.query(
      `INSERT INTO messaging.dead_letter (id, message_id, type, version, consumers, error, attempts, source, envelope)
       VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8::jsonb)`,
      [newId(), letter.subjectId, letter.type, [letter.consumer], letter.error, letter.attempts, letter.source, JSON.stringify({ delivery: letter.details })],
    );
    this.deadLettered.inc({ type: letter.type });
  }

  /**
   * A record a Kafka consumer gave up on. An undecodable record is kept as received (headers and
   * value) so it can be inspected; only decoded envelopes can be replayed.
   */
  async fromConsumer(letter: ConsumerDeadLetter): Promise<void> {
    const { envelope, record, error } = letter;
    const headers = record.headers ?? {};
    const header = (name: string): string | undefined => (typeof headers[name] === 'string' ? (headers[name]) : undefined);
    const headerId = header('message-id');
    const consumers =
      error instanceof DeliveryError ? error.consumers : [`${letter.context}/${envelope?.type ?? header('message-type') ?? 'unknown'}`];
    await this.dataSource.query(
      `INSERT INTO messaging.dead_letter (id, message_id, type, version, consumers, error, attempts, source, envelope)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
      [
        newId(),
        envelope?.id ?? (headerId && UUID.test(headerId) ? headerId : newId()),
        envelope?.type ?? header('message-type') ?? 'unknown',
        envelope?.version ?? (Number(header('message-version')) || 0),
        consumers,
        describeError(error),
        letter.attempts,
        letter.source,
        JSON.stringify(envelope ?? { undecodable: { headers, value: record.value } }),
      ],
    );
    this.deadLettered.inc({ type: envelope?.type ?? 'undecodable' });
  }

  /** Dead letters not replayed, per context of the consumers that gave up on them (a consumer is `<context>/…`). */
  async countsByContext(): Promise<Map<string, number>> {
    const rows: { context: string; n: number }[] = await this.dataSource.query(
      `SELECT split_part(consumer, '/', 1) AS context, count(DISTINCT d.id)::int AS n
       FROM messaging.dead_letter d, unnest(d.consumers) AS consumer WHERE d.replayed_at IS NULL GROUP BY 1`,
    );
    return new Map(rows.map((row) => [row.context, row.n]));
  }

  async list(options: { includeReplayed: boolean; limit: number }): Promise<DeadLetter[]> {
    const rows: DeadLetterRow[] = await this.dataSource.query(
      `SELECT * FROM messaging.dead_letter WHERE $1 OR replayed_at IS NULL ORDER BY id DESC LIMIT $2`,
      [options.includeReplayed, options.limit],
    );
    return rows.map(toDeadLetter);
  }

  /**
   * Puts the message back in the outbox with its original id: consumers that handled it
   * before skip it through their inbox, the ones that failed get it again.
   */
  async replay(id: string): Promise<DeadLetter> {
    return this.dataSource.transaction(async (manager) => {
      const [row]: DeadLetterRow[] = await manager.query(
        'SELECT * FROM messaging.dead_letter WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (!row) throw new NotFoundException(`dead letter ${id} does not exist`);
      if ('delivery' in row.envelope) {
        throw new ConflictException(`dead letter ${id} is a failed ${row.source} delivery, not a message: its owner sends it again`);
      }
      if (row.replayed_at) throw new ConflictException(`dead letter ${id} was already replayed`);
      if (typeof row.envelope.id !== 'string') {
        throw new ConflictException(`dead letter ${id} could not be decoded when received, so it cannot be replayed`);
      }
      const [replayed] = rowsOf<DeadLetterRow>(
        await manager.query('UPDATE messaging.dead_letter SET replayed_at = now() WHERE id = $1 RETURNING *', [id]),
      );
      await manager.query(
        `INSERT INTO messaging.outbox (message_id, type, version, aggregate_id, envelope)
         VALUES ($1, $2, $3, $4, $5::jsonb)`,
        [row.envelope.id, row.envelope.type, row.envelope.version, row.envelope.aggregateId, JSON.stringify(row.envelope)],
      );
      return toDeadLetter(replayed);
    });
  }
}
