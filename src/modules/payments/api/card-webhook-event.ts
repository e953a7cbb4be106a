import type { ProviderChange, ProviderEvent } from '../application/apply-provider-event/apply-provider-event.command';
import { EVENT_TYPE, isObject, isResourceId, oursIn } from './webhook-event-fields';

/** The card provider's event types that say what happened to a payment intent. */
const CHANGES: Readonly<Record<string, ProviderChange>> = {
  'payment_intent.amount_capturable_updated': 'authorized',
  'payment_intent.succeeded': 'captured',
  'payment_intent.canceled': 'voided',
};

const EVENT_ID = /^evt_[A-Za-z0-9]{1,64}$/;

/**
 * Reads a card provider (Stripe-like) event, `{ id: "evt_…", type, data: { object } }`, whose
 * object is the resource as it is now; a payment intent made by us carries our order and payment
 * ids in its metadata, and is the payment's reference. Fields we do not use are left alone: the
 * provider may add more. Undefined when the body is not such an event.
 */
export function cardEventOf(body: unknown): ProviderEvent | undefined {
  if (!isObject(body) || !isObject(body.data) || !isObject(body.data.object)) return undefined;
  const { id, type } = body;
  const resource = body.data.object;
  if (typeof id !== 'string' || !EVENT_ID.test(id) || typeof type !== 'string' || !EVENT_TYPE.test(type)) return undefined;
  if (!isResourceId(resource.id)) return undefined;
  const isIntent = resource.object === 'payment_intent';
  return {
    provider: 'card',
    id,
    type,
    resourceId: resource.id,
    references: [resource.id],
    ours: isIntent ? oursIn(resource.metadata) : undefined,
    change: (isIntent && CHANGES[type]) || 'other',
  };
}
