import type { ProviderEvent } from '../application/apply-provider-event/apply-provider-event.command';
import { EVENT_TYPE, isObject, isResourceId } from './webhook-event-fields';

/** PayPal's event ids: `WH-` and letters, digits and dashes. */
const EVENT_ID = /^WH-[A-Za-z0-9-]{1,80}$/;

/** The id of a related resource, in PayPal's `supplementary_data.related_ids`. */
function relatedId(resource: Record<string, unknown>, key: string): string | undefined {
  const supplementary = resource.supplementary_data;
  const related = isObject(supplementary) && isObject(supplementary.related_ids) ? supplementary.related_ids[key] : undefined;
  return isResourceId(related) ? related : undefined;
}

/** What an event about an authorization or a capture says, and which of the provider's ids may name our payment. */
function changeOf(type: string, resource: Record<string, unknown> & { id: string }): Pick<ProviderEvent, 'change' | 'references' | 'captureReference'> {
  switch (type) {
    case 'PAYMENT.AUTHORIZATION.CREATED':
      return { change: 'authorized', references: [resource.id] };
    case 'PAYMENT.AUTHORIZATION.VOIDED':
      return { change: 'voided', references: [resource.id] };
    case 'PAYMENT.CAPTURE.COMPLETED': {
      // Our payment holds the authorization's id until our own capture call stores the capture's.
      const authorizationId = relatedId(resource, 'authorization_id');
      return authorizationId
        ? { change: 'captured', references: [authorizationId, resource.id], captureReference: resource.id }
        : { change: 'other', references: [resource.id] };
    }
    default:
      // A refund (PAYMENT.CAPTURE.REFUNDED) is recorded only: our refund call records each refund, and the
      // sweep asks again for one whose answer was lost (docs/decisions/0039).
      return { change: 'other', references: [resource.id] };
  }
}

/**
 * Reads a PayPal-like event, `{ id: "WH-…", event_type, resource_type, resource }`, whose resource
 * is the authorization, capture or refund as it is now. PayPal echoes none of our ids: the payment
 * is the one whose stored reference is the authorization (or, once captured, the capture).
 * Undefined when the body is not such an event.
 */
export function paypalEventOf(body: unknown): ProviderEvent | undefined {
  if (!isObject(body) || !isObject(body.resource)) return undefined;
  const { id, event_type: type, resource } = body;
  if (typeof id !== 'string' || !EVENT_ID.test(id) || typeof type !== 'string' || !EVENT_TYPE.test(type)) return undefined;
  if (!isResourceId(resource.id)) return undefined;
  return { provider: 'paypal', id, type, resourceId: resource.id, ...changeOf(type, { ...resource, id: resource.id }) };
}
