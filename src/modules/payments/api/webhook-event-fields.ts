import { UUID_PATTERN } from '../../../../libs/http';
import type { ProviderEvent } from '../application/apply-provider-event/apply-provider-event.command';

/** A provider's id of a resource: letters, digits, `_` and `-`, as every provider here writes them. */
export const RESOURCE_ID = /^[A-Za-z0-9_-]{1,255}$/;
/** A dotted event type, `payment_intent.succeeded`, `PAYMENT.CAPTURE.COMPLETED`. */
export const EVENT_TYPE = /^[A-Za-z_]{1,50}(\.[A-Za-z_]{1,50}){1,3}$/;
export const UUID = new RegExp(UUID_PATTERN);

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isResourceId(value: unknown): value is string {
  return typeof value === 'string' && RESOURCE_ID.test(value);
}

/** A metadata value of ours: a UUID, or nothing when it is not one. */
function uuidIn(metadata: Record<string, unknown>, key: string): string | undefined {
  const value = metadata[key];
  return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined;
}

/** Our order and payment ids, as our call put them in the provider resource's metadata; none unless both are there. */
export function oursIn(metadata: unknown): ProviderEvent['ours'] {
  if (!isObject(metadata)) return undefined;
  const orderId = uuidIn(metadata, 'order_id');
  const paymentId = uuidIn(metadata, 'payment_id');
  return orderId && paymentId ? { orderId, paymentId } : undefined;
}
