import { UUID_PATTERN } from '../../../../libs/http';
import type { ProviderChange, ProviderEvent } from '../application/apply-provider-event/apply-provider-event.command';

/** The card provider's event types that say what happened to a payment intent. */
const CHANGES: Readonly<Record<string, ProviderChange>> = {
  'payment_intent.amount_capturable_updated': 'authorized',
  'payment_intent.succeeded': 'captured',
  'payment_intent.canceled': 'voided',
};

const EVENT_ID = /^evt_[A-Za-z0-9]{1,64}$/;
const EVENT_TYPE = /^[a-z_]{1,50}(\.[a-z_]{1,50}){1,3}$/;
const RESOURCE_ID = /^[A-Za-z0-9_]{1,255}$/;
const UUID = new RegExp(UUID_PATTERN);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A metadata value of ours: a UUID, or nothing when it is not one. */
function uuidIn(metadata: unknown, key: string): string | undefined {
  const value = isObject(metadata) ? metadata[key] : undefined;
  return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined;
}

/**
 * Reads a card provider (Stripe-like) event, `{ id: "evt_…", type, data: { object } }`, whose
 * object is the resource as it is now; a payment intent made by us carries our order and payment
 * ids in its metadata. Fields we do not use are left alone: the provider may add more. Undefined
 * when the body is not such an event.
 */
export function cardEventOf(body: unknown): ProviderEvent | undefined {
  if (!isObject(body) || !isObject(body.data) || !isObject(body.data.object)) return undefined;
  const { id, type } = body;
  const resource = body.data.object;
  if (typeof id !== 'string' || !EVENT_ID.test(id) || typeof type !== 'string' || !EVENT_TYPE.test(type)) return undefined;
  if (typeof resource.id !== 'string' || !RESOURCE_ID.test(resource.id)) return undefined;
  const isIntent = resource.object === 'payment_intent';
  return {
    provider: 'card',
    id,
    type,
    resourceId: resource.id,
    orderId: isIntent ? uuidIn(resource.metadata, 'order_id') : undefined,
    paymentId: isIntent ? uuidIn(resource.metadata, 'payment_id') : undefined,
    change: (isIntent && CHANGES[type]) || 'other',
  };
}
