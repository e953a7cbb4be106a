/**
 * What both levels store: the value as JSON text (so every reader gets its own copy, and L1 and
 * L2 answer with the same shape), the namespace generation it was loaded under, and when it expires.
 */
export interface CacheEntry {
  json: string;
  generation: number;
  expiresAt: number;
}

export function isCacheEntry(value: unknown): value is CacheEntry {
  const entry = value as Partial<CacheEntry> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.json === 'string' &&
    typeof entry.generation === 'number' &&
    typeof entry.expiresAt === 'number'
  );
}

/** Tells the other instances which L1 entries to drop. */
export type InvalidationMessage =
  | { origin: string; namespace: string; key: string }
  | { origin: string; namespace: string; generation: number };

export function parseInvalidation(text: string): InvalidationMessage | undefined {
  let message: Partial<{ origin: unknown; namespace: unknown; key: unknown; generation: unknown }>;
  try {
    message = JSON.parse(text) as typeof message;
  } catch {
    return undefined;
  }
  if (typeof message?.origin !== 'string' || typeof message.namespace !== 'string') return undefined;
  const { origin, namespace } = message;
  if (typeof message.key === 'string') return { origin, namespace, key: message.key };
  if (typeof message.generation === 'number') return { origin, namespace, generation: message.generation };
  return undefined;
}
