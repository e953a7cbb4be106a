import type { ProviderChange, ProviderEvent } from '../application/apply-provider-event/apply-provider-event.command';
import { EVENT_TYPE, isObject, isResourceId, oursIn, UUID } from './webhook-event-fields';

/**
 * What a payment request's event means for the payment it settles. A settled request is an
 * authorization (our call records it); one given back in full is what a void of a settled transfer
 * is (docs/decisions/0037). A partial refund, or a request cancelled while it awaited its transfer
 * (our call declines its payment), moves nothing.
 */
function changeOf(type: string, request: Record<string, unknown>): ProviderChange {
  if (type === 'payment_request.settled') return 'authorized';
  const { amount_received: received, amount_refunded: refunded } = request;
  const givenBackInFull = Number.isSafeInteger(received) && (received as number) > 0 && refunded === received;
  return type === 'payment_request.refunded' && givenBackInFull ? 'voided' : 'other';
}

/**
 * Reads a Coinbase-Commerce-like delivery, `{ id, scheduled_for, attempt_number, event: { id, type,
 * data } }`: the event (its id a UUID, the deduplication key) carries the payment request as it is
 * now, whose metadata holds our order and payment ids and which is the payment's reference.
 * Undefined when the body is not such a delivery.
 */
export function cryptoEventOf(body: unknown): ProviderEvent | undefined {
  if (!isObject(body) || !isObject(body.event) || !isObject(body.event.data)) return undefined;
  const { id, type, data: request } = body.event;
  if (typeof id !== 'string' || !UUID.test(id) || typeof type !== 'string' || !EVENT_TYPE.test(type)) return undefined;
  if (!isResourceId(request.id)) return undefined;
  const isRequest = request.object === 'crypto_payment_request';
  return {
    provider: 'crypto',
    id: id.toLowerCase(),
    type,
    resourceId: request.id,
    references: [request.id],
    ours: isRequest ? oursIn(request.metadata) : undefined,
    change: isRequest ? changeOf(type, request) : 'other',
  };
}
