import { definitionOf, IntegrationMessage } from '../../libs/contracts/message';
import { contractKey, CONTRACTS } from '../../libs/contracts/registry';
import { OrderConfirmedV1 } from '../../libs/contracts/ordering';
import { JsonSchema } from '../../libs/contracts/schema';
import { createEnvelope } from '../../libs/messaging';
import { MessageDecoder } from '../../libs/messaging/message-decoder';
import { CONTRACT_EXAMPLES } from './contract-examples';

function keyOf(message: IntegrationMessage): string {
  const { type, version } = definitionOf(message);
  return contractKey(type, version);
}

const examples = new Map(CONTRACT_EXAMPLES.map((message) => [keyOf(message), message]));

/** Where a schema lets a payload grow without limit or carry fields nobody declared. */
function unboundedIn(schema: JsonSchema, path: string): string[] {
  switch (schema.type) {
    case 'string':
      return 'enum' in schema || Number.isSafeInteger(schema.maxLength) ? [] : [path];
    case 'integer':
      return Number.isSafeInteger(schema.minimum) && Number.isSafeInteger(schema.maximum) ? [] : [path];
    case 'array':
      return [...(Number.isSafeInteger(schema.maxItems) ? [] : [path]), ...unboundedIn(schema.items, `${path}[]`)];
    case 'object': {
      const undeclared = schema.required.filter((name) => !(name in schema.properties)).map((name) => `${path}.${name}`);
      return [
        ...(schema.additionalProperties === false ? [] : [path]),
        ...undeclared,
        ...Object.entries(schema.properties).flatMap(([name, property]) => unboundedIn(property, `${path}.${name}`)),
      ];
    }
    default:
      return [path];
  }
}

describe('Contract schemas', () => {
  it('exist for every registered contract, and the validator accepts each of them', () => {
    const missing = [...CONTRACTS].filter(([, message]) => typeof message.schema !== 'object' || message.schema === null);
    expect(missing.map(([key]) => key)).toEqual([]);
    expect(() => new MessageDecoder(CONTRACTS).compileAll()).not.toThrow();
  });

  it('bound every string, integer and array, and close every object', () => {
    const unbounded = [...CONTRACTS].flatMap(([key, message]) => unboundedIn(message.schema, `${key} payload`));
    expect(unbounded).toEqual([]);
  });

  it('are checked by a test that finds an unbounded or open schema', () => {
    const open = { type: 'object', properties: { note: { type: 'string' } }, required: ['note', 'extra'] } as unknown as JsonSchema;
    expect(unboundedIn(open, 'p')).toEqual(['p', 'p.extra', 'p.note']);
  });
});

/**
 * The wire shape of every `type@version`, committed as snapshots: a change to a contract's JSON
 * or schema shows in review as a changed snapshot, and needs `jest -u` to pass.
 */
describe('Contract wire shapes', () => {
  const decoder = new MessageDecoder(CONTRACTS);

  it('have one example for every registered contract', () => {
    expect([...examples.keys()].sort()).toEqual([...CONTRACTS.keys()].sort());
    expect(examples.size).toBe(CONTRACT_EXAMPLES.length);
  });

  describe.each([...CONTRACTS.keys()].sort())('%s', (key) => {
    it('serialises its example as committed', () => {
      const message = examples.get(key)!;
      const { type, version, kind, context } = definitionOf(message);
      expect(JSON.stringify({ type, version, kind, context, payload: message.payload }, null, 2)).toMatchSnapshot();
    });

    it('keeps its schema as committed', () => {
      expect(JSON.stringify(CONTRACTS.get(key)!.schema, null, 2)).toMatchSnapshot();
    });

    it('decodes its example off the wire', () => {
      const message = examples.get(key)!;
      const envelope = createEnvelope(message, 'aggregate-1', { correlationId: 'correlation-1', causationId: null, traceparent: null });
      const decoded = decoder.decode(JSON.parse(JSON.stringify(envelope)));
      expect(decoded).toBeInstanceOf(CONTRACTS.get(key)!);
      expect(decoded.payload).toEqual(message.payload);
    });
  });
});

describe('Additive contract changes', () => {
  const decoder = new MessageDecoder(CONTRACTS);

  it('still decode an OrderConfirmedV1 sent before it carried its lines', () => {
    const before = new OrderConfirmedV1({ orderId: '01a20000-0000-7000-8000-0000000000a1', customerId: 'cus_42', total: { amount: 5997, currency: 'EUR' } });
    const envelope = createEnvelope(before, before.payload.orderId, { correlationId: 'correlation-1', causationId: null, traceparent: null });
    expect(decoder.decode(JSON.parse(JSON.stringify(envelope))).payload).toEqual(before.payload);
  });
});
