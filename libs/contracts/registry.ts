import * as catalog from './catalog';
import * as identity from './identity';
import * as inventory from './inventory';
import * as ordering from './ordering';
import * as payments from './payments';
import * as receipts from './receipts';
import { MessageClass } from './message';

function messageClasses(namespace: Record<string, unknown>): MessageClass[] {
  return Object.values(namespace).filter(
    (value): value is MessageClass => typeof value === 'function' && 'definition' in value,
  );
}

/** Every published contract, keyed by `type@version`, for decoding envelopes off the wire. */
export const CONTRACTS: ReadonlyMap<string, MessageClass> = new Map(
  [catalog, inventory, ordering, payments, identity, receipts]
    .flatMap(messageClasses)
    .map((cls) => [contractKey(cls.definition.type, cls.definition.version), cls]),
);

export function contractKey(type: string, version: number): string {
  return `${type}@${version}`;
}
