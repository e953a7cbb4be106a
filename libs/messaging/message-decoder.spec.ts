import { ReserveStockV1 } from '../contracts/inventory';
import { defineMessage, MessageClass } from '../contracts/message';
import { contractKey, CONTRACTS } from '../contracts/registry';
import { object, PayloadSchema, text } from '../contracts/schema';
import { createEnvelope, Envelope } from './envelope';
import { MalformedMessageError, MessageDecoder } from './message-decoder';
import { isRetryable } from './messaging.errors';

const ORDER = '01a20000-0000-7000-8000-0000000000a1';
const PRODUCT = '0190a000-0000-7000-8000-000000000001';

/** A ReserveStock envelope as it arrives: parsed JSON, nothing shared with the sender. */
function reserveStock(): Envelope & { payload: Record<string, unknown> & { lines: Record<string, unknown>[] } } {
  const message = new ReserveStockV1({ orderId: ORDER, lines: [{ productId: PRODUCT, quantity: 2 }] });
  return JSON.parse(JSON.stringify(createEnvelope(message, ORDER, { correlationId: 'c-1', causationId: null, traceparent: null })));
}

describe(MessageDecoder.name, () => {
  const decoder = new MessageDecoder(CONTRACTS);

  function reasonFor(envelope: unknown): string {
    try {
      decoder.decode(envelope as Envelope);
    } catch (error) {
      expect(error).toBeInstanceOf(MalformedMessageError);
      expect(isRetryable(error)).toBe(false);
      return (error as Error).message;
    }
    throw new Error('decoded');
  }

  it('decodes a well-formed envelope into an instance of its contract', () => {
    const envelope = reserveStock();
    const message = decoder.decode(envelope);
    expect(message).toBeInstanceOf(ReserveStockV1);
    expect(message.payload).toEqual({ orderId: ORDER, lines: [{ productId: PRODUCT, quantity: 2 }] });
    expect(decoder.problemOf(envelope)).toBeUndefined();
  });

  it.each<[string, (envelope: ReturnType<typeof reserveStock>) => unknown, string]>([
    ['a missing field', (e) => Reflect.deleteProperty(e.payload, 'lines'), 'payload.lines is missing'],
    ['a field of the wrong type', (e) => (e.payload.lines[0].quantity = '2'), 'payload.lines[0].quantity must be an integer'],
    ['a quantity that is not positive', (e) => (e.payload.lines[0].quantity = 0), 'payload.lines[0].quantity must be at least 1'],
    ['a fraction where an integer belongs', (e) => (e.payload.lines[0].quantity = 1.5), 'payload.lines[0].quantity must be an integer'],
    ['an id that is not a UUID', (e) => (e.payload.orderId = 'order-1'), 'payload.orderId must be a UUID'],
    ['nested garbage', (e) => (e.payload.lines[0].where = { $gt: '' }), 'payload.lines[0].where is not allowed'],
    ['an extra field', (e) => (e.payload.admin = true), 'payload.admin is not allowed'],
    ['no lines', (e) => (e.payload.lines = []), 'payload.lines must have at least 1 item'],
    [
      'too many lines',
      (e) => (e.payload.lines = Array.from({ length: 1001 }, () => ({ productId: PRODUCT, quantity: 1 }))),
      'payload.lines must have at most 1000 items',
    ],
    ['a payload that is not an object', (e) => (e.payload = [] as never), 'payload must be an object'],
    ['an unknown version', (e) => (e.version = 2), 'unknown message inventory.stock.reserve@2'],
    ['an unknown type', (e) => (e.type = 'inventory.stock.steal'), 'unknown message inventory.stock.steal@1'],
    ['a kind its contract does not have', (e) => (e.kind = 'event'), 'kind must be command'],
    ['a context its contract does not have', (e) => (e.context = 'payments'), 'context must be inventory'],
    ['an oversized correlation id', (e) => (e.correlationId = 'x'.repeat(201)), 'correlationId must be at most 200 characters long'],
    ['a message id that is not a UUID', (e) => (e.id = 'm-1'), 'id must be a UUID'],
  ])('refuses %s, saying which field', (_, spoil, reason) => {
    const envelope = reserveStock();
    spoil(envelope);
    expect(reasonFor(envelope)).toBe(reason);
    expect(decoder.problemOf(envelope)).toBe(reason);
  });

  it('refuses what is not an envelope', () => {
    expect(reasonFor(null)).toBe('the envelope is not an object');
    expect(reasonFor({ type: 'inventory.stock.reserve', version: '1' })).toBe('the envelope has no string type and integer version');
  });

  it('quotes a bounded part of an unknown type', () => {
    const envelope = { ...reserveStock(), type: 'x'.repeat(10_000) };
    expect(reasonFor(envelope)).toBe(`unknown message ${'x'.repeat(100)}@1`);
  });

  it('decodes no message of a contract whose schema it cannot use', () => {
    const noSchema = defineMessage<{ note: string }>(
      { type: 'test.note.written', version: 1, kind: 'event', context: 'catalog' },
      undefined as unknown as PayloadSchema<{ note: string }>,
    );
    const invalid = defineMessage<{ note: string }>(
      { type: 'test.note.kept', version: 1, kind: 'event', context: 'catalog' },
      { ...object<{ note: string }>({ note: text(10) }), required: 'note' } as unknown as PayloadSchema<{ note: string }>,
    );
    const contracts = new Map<string, MessageClass>([
      [contractKey('test.note.written', 1), noSchema as MessageClass],
      [contractKey('test.note.kept', 1), invalid as MessageClass],
    ]);
    const local = new MessageDecoder(contracts);
    const envelopeOf = (type: string): Envelope => ({ ...reserveStock(), type, kind: 'event', context: 'catalog', payload: { note: 'hi' } });
    expect(() => local.decode(envelopeOf('test.note.written'))).toThrow(new MalformedMessageError('test.note.written@1 has no schema'));
    expect(() => local.decode(envelopeOf('test.note.kept'))).toThrow(/^the schema of test\.note\.kept@1 is invalid: /);
    expect(() => local.compileAll()).toThrow(MalformedMessageError);
  });
});
