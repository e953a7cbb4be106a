import { CONTEXT_NAMES, ContextName, MessageKind } from '../contracts/message';
import { Envelope } from './envelope';
import { PoisonMessageError } from './messaging.errors';

/** A record as kafkajs sends it. */
export interface KafkaRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** A record as Nest's Kafka parser hands it over: headers as text, value parsed when JSON. */
export interface ReceivedKafkaRecord {
  key?: unknown;
  value: unknown;
  headers?: Record<string, unknown>;
}

const KINDS: readonly MessageKind[] = ['command', 'event'];

/**
 * The envelope's metadata travels in headers and the contract payload is the value, so brokers,
 * tools and other languages can route and inspect messages without parsing bodies. The key is
 * the aggregate id: one order's messages land on one partition, in order.
 */
export function toKafkaRecord(envelope: Envelope): KafkaRecord {
  const headers: Record<string, string> = {
    'message-id': envelope.id,
    'message-type': envelope.type,
    'message-version': String(envelope.version),
    'message-kind': envelope.kind,
    'message-context': envelope.context,
    'occurred-at': envelope.occurredAt,
    'correlation-id': envelope.correlationId,
    'aggregate-id': envelope.aggregateId,
  };
  if (envelope.causationId) headers['causation-id'] = envelope.causationId;
  if (envelope.traceparent) headers.traceparent = envelope.traceparent;
  return { key: envelope.aggregateId, value: JSON.stringify(envelope.payload), headers };
}

export function fromKafkaRecord(record: ReceivedKafkaRecord): Envelope {
  const headers = record.headers ?? {};
  const text = (name: string): string => {
    const value = headers[name];
    if (typeof value !== 'string' || value === '') throw new PoisonMessageError(`header ${name} is missing`);
    return value;
  };
  const optional = (name: string): string | null => (typeof headers[name] === 'string' ? (headers[name]) : null);
  const version = Number(text('message-version'));
  const kind = text('message-kind') as MessageKind;
  const context = text('message-context') as ContextName;
  if (!Number.isInteger(version)) throw new PoisonMessageError('header message-version is not an integer');
  if (!KINDS.includes(kind)) throw new PoisonMessageError(`header message-kind is "${kind}"`);
  if (!CONTEXT_NAMES.includes(context)) throw new PoisonMessageError(`header message-context is "${context}"`);
  if (typeof record.value !== 'object' || record.value === null || Array.isArray(record.value)) {
    throw new PoisonMessageError('the value is not a JSON object');
  }
  return {
    id: text('message-id'),
    type: text('message-type'),
    version,
    kind,
    context,
    occurredAt: text('occurred-at'),
    correlationId: text('correlation-id'),
    causationId: optional('causation-id'),
    aggregateId: text('aggregate-id'),
    traceparent: optional('traceparent'),
    payload: record.value,
  };
}
