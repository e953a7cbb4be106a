import { ReserveStockV1 } from '../contracts/inventory';
import { createEnvelope } from './envelope';
import { fromKafkaRecord, toKafkaRecord } from './kafka-envelope';
import { PoisonMessageError } from './messaging.errors';

describe('Kafka records of envelopes', () => {
  const envelope = createEnvelope(
    new ReserveStockV1({ orderId: 'order-1', lines: [{ productId: 'product-1', quantity: 2 }] }),
    'order-1',
    { correlationId: 'correlation-1', causationId: 'cause-1', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
  );

  /** What Nest's Kafka parser hands a consumer: headers as text, a JSON value parsed. */
  const received = (record: ReturnType<typeof toKafkaRecord>) => ({ ...record, value: JSON.parse(record.value) as unknown });

  it('keys by aggregate and carries the envelope in headers, the payload as the value', () => {
    const record = toKafkaRecord(envelope);
    expect(record.key).toBe('order-1');
    expect(JSON.parse(record.value)).toEqual(envelope.payload);
    expect(record.headers).toMatchObject({
      'message-id': envelope.id,
      'message-type': 'inventory.stock.reserve',
      'message-version': '1',
      'correlation-id': 'correlation-1',
      'causation-id': 'cause-1',
      traceparent: envelope.traceparent,
    });
    expect(fromKafkaRecord(received(record))).toEqual(envelope);
  });

  it('leaves out the headers of absent causation and trace', () => {
    const root = { ...envelope, causationId: null, traceparent: null };
    const record = toKafkaRecord(root);
    expect(Object.keys(record.headers)).not.toEqual(expect.arrayContaining(['causation-id']));
    expect(record.headers.traceparent).toBeUndefined();
    expect(fromKafkaRecord(received(record))).toEqual(root);
  });

  it.each([
    ['no headers', { value: { orderId: 'x' } }],
    ['a value that is not JSON', { ...received(toKafkaRecord(envelope)), value: 'not json' }],
    ['an unknown kind', { ...received(toKafkaRecord(envelope)), headers: { ...toKafkaRecord(envelope).headers, 'message-kind': 'query' } }],
    ['an unknown context', { ...received(toKafkaRecord(envelope)), headers: { ...toKafkaRecord(envelope).headers, 'message-context': 'shipping' } }],
    ['a version that is no number', { ...received(toKafkaRecord(envelope)), headers: { ...toKafkaRecord(envelope).headers, 'message-version': 'v1' } }],
  ])('rejects a record with %s as poison', (_, record) => {
    expect(() => fromKafkaRecord(record)).toThrow(PoisonMessageError);
  });
});
