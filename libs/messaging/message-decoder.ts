import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { IntegrationMessage, MessageClass } from '../contracts/message';
import { contractKey } from '../contracts/registry';
import { Envelope } from './envelope';
import { PoisonMessageError } from './messaging.errors';

/** Any RFC 9562 UUID in either case, as the databases' `uuid` columns accept it. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIMESTAMP = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$';
/** How much of an unknown type a reason repeats. */
const QUOTED_TYPE_LENGTH = 100;

/** A message that does not match its contract (or has none): no retry can fix it. */
export class MalformedMessageError extends PoisonMessageError {
  override readonly name = 'MalformedMessageError';
}

interface Contract {
  message: MessageClass;
  validate: ValidateFunction;
}

/**
 * Turns envelopes into contract messages, checking each against the schema of its `type@version`
 * (see docs/decisions/0021). The envelope's own fields are checked with it, in one compiled
 * validator per contract, compiled when a contract is first met.
 */
export class MessageDecoder {
  private readonly ajv = new Ajv({ strict: true, allowUnionTypes: true }).addFormat('uuid', UUID);
  private readonly compiled = new Map<string, Contract>();

  constructor(private readonly contracts: ReadonlyMap<string, MessageClass>) {}

  /** The envelope's message; throws MalformedMessageError naming what is wrong with it. */
  decode(envelope: Envelope): IntegrationMessage {
    const contract = this.contractOf(envelope);
    if (!contract.validate(envelope)) throw new MalformedMessageError(reasonOf(contract.validate.errors));
    return new contract.message(envelope.payload);
  }

  /** Why the envelope cannot be decoded, or undefined when it can. */
  problemOf(envelope: Envelope): string | undefined {
    try {
      this.decode(envelope);
      return undefined;
    } catch (error) {
      if (error instanceof MalformedMessageError) return error.message;
      throw error;
    }
  }

  /** Compiles the validator of every contract now: a schema the validator refuses throws here. */
  compileAll(): void {
    for (const key of this.contracts.keys()) this.compile(key);
  }

  private contractOf(envelope: Envelope): Contract {
    if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
      throw new MalformedMessageError('the envelope is not an object');
    }
    const { type, version } = envelope as Partial<Envelope>;
    if (typeof type !== 'string' || !Number.isInteger(version)) {
      throw new MalformedMessageError('the envelope has no string type and integer version');
    }
    const key = contractKey(type, version!);
    const contract = this.compiled.get(key) ?? (this.contracts.has(key) ? this.compile(key) : undefined);
    if (!contract) throw new MalformedMessageError(`unknown message ${type.slice(0, QUOTED_TYPE_LENGTH)}@${version}`);
    return contract;
  }

  /** A contract without a usable schema cannot be checked, so none of its messages is decoded. */
  private compile(key: string): Contract {
    const message = this.contracts.get(key)!;
    if (typeof message.schema !== 'object' || message.schema === null) throw new MalformedMessageError(`${key} has no schema`);
    let validate: ValidateFunction;
    try {
      validate = this.ajv.compile(envelopeSchemaOf(message));
    } catch (error) {
      throw new MalformedMessageError(`the schema of ${key} is invalid: ${error instanceof Error ? error.message : String(error)}`);
    }
    const contract = { message, validate };
    this.compiled.set(key, contract);
    return contract;
  }
}

/** The envelope of one contract: its routing fields, bounded, and the contract's payload. */
function envelopeSchemaOf(message: MessageClass): object {
  const { kind, context } = message.definition;
  const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength });
  const properties = {
    id: { type: 'string', format: 'uuid' },
    type: { type: 'string' },
    version: { type: 'integer' },
    kind: { type: 'string', enum: [kind] },
    context: { type: 'string', enum: [context] },
    occurredAt: { type: 'string', maxLength: 40, pattern: ISO_TIMESTAMP },
    correlationId: text(200),
    causationId: { type: ['string', 'null'], maxLength: 200 },
    aggregateId: text(200),
    traceparent: { type: ['string', 'null'], maxLength: 512 },
    payload: message.schema,
  };
  return { type: 'object', properties, required: Object.keys(properties) };
}

/** The first error, as a sentence about the field: `payload.lines[0].quantity must be at least 1`. */
function reasonOf(errors: ErrorObject[] | null | undefined): string {
  const [error] = errors ?? [];
  if (!error) return 'does not match its schema';
  const at = pathOf(error.instancePath);
  const field = (name: string) => (at ? `${at}.${name}` : name);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${field(String(params.missingProperty))} is missing`;
    case 'additionalProperties':
      return `${field(String(params.additionalProperty))} is not allowed`;
    default:
      return `${at || 'the envelope'} ${phraseOf(error)}`;
  }
}

function phraseOf({ keyword, params, message }: ErrorObject): string {
  const p = params as Record<string, unknown>;
  switch (keyword) {
    case 'type':
      return `must be ${String(p.type)
        .split(',')
        .map((type) => (type === 'null' ? 'null' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`))
        .join(' or ')}`;
    case 'minimum':
      return `must be at least ${String(p.limit)}`;
    case 'maximum':
      return `must be at most ${String(p.limit)}`;
    case 'minLength':
      return `must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters long`;
    case 'minItems':
      return `must have at least ${items(p.limit)}`;
    case 'maxItems':
      return `must have at most ${items(p.limit)}`;
    case 'enum': {
      const allowed = p.allowedValues as unknown[];
      return allowed.length === 1 ? `must be ${String(allowed[0])}` : `must be one of ${allowed.join(', ')}`;
    }
    case 'format':
      return `must be a ${String(p.format).toUpperCase()}`;
    case 'pattern':
      return `must match ${String(p.pattern)}`;
    default:
      return message ?? `breaks ${keyword}`;
  }
}

function items(count: unknown): string {
  return count === 1 ? '1 item' : `${String(count)} items`;
}

/** `/payload/lines/0/quantity` as `payload.lines[0].quantity`. */
function pathOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}
