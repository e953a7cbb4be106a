import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { crc32 } from 'node:zlib';
import { BoundedLog } from './bounded-log';
import { resourceMissing } from './provider-error';
import type { PaymentProviderName } from './provider-names';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the endpoint's secret>`, as Stripe signs: the card provider's. */
export const SIGNATURE_HEADER = 'simulator-signature';

export interface WebhookEndpoint {
  url: string;
  secret: string;
  /** PayPal's: the id of the endpoint's subscription, which every transmission's signature covers. */
  webhookId?: string;
}

/** An event as a provider emits it: its id (the receiver's deduplication key), its type and its JSON body. */
export interface WebhookEvent {
  id: string;
  type: string;
  body: object;
}

interface DeliveryAttempt {
  at: string;
  /** The receiver's HTTP status, absent when it could not be reached. */
  status?: number;
  error?: string;
}

interface EventRecord {
  id: string;
  provider: PaymentProviderName;
  type: string;
  payload: string;
  deliveries: DeliveryAttempt[];
}

export type EventSummary = Omit<EventRecord, 'payload'>;

export function webhookSignature(secret: string, payload: string, timestampSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${payload}`).digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

/**
 * PayPal's transmission headers: its signature covers `<transmission id>|<transmission time>|<webhook
 * id>|<CRC32 of the raw body, in decimal>`, as PayPal's does; PayPal signs that with its certificate's
 * private key (SHA256withRSA), the simulator with the endpoint's secret (HMAC-SHA256, base64), and
 * says so in `paypal-auth-algo`.
 */
export function paypalTransmissionHeaders(
  secret: string,
  webhookId: string,
  payload: string,
  transmission: { id: string; time: string } = { id: randomUUID(), time: new Date().toISOString() },
): Record<string, string> {
  const signed = `${transmission.id}|${transmission.time}|${webhookId}|${crc32(payload)}`;
  return {
    'paypal-transmission-id': transmission.id,
    'paypal-transmission-time': transmission.time,
    'paypal-transmission-sig': createHmac('sha256', secret).update(signed).digest('base64'),
    'paypal-auth-algo': 'HMACSHA256',
  };
}

/** Coinbase Commerce's `x-cc-webhook-signature`: the hex HMAC-SHA256 of the raw body, keyed by the endpoint's secret. */
export function coinbaseSignature(secret: string, body: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * Coinbase Commerce's delivery: the event wrapped with the delivery's own id, attempt and time
 * (`scheduled_for`), all covered by the signature, so a receiver can refuse a stale delivery.
 */
export function coinbaseDelivery(eventPayload: string, attempt: number, scheduledFor = new Date()): string {
  return `{"id":"${randomUUID()}","scheduled_for":"${scheduledFor.toISOString()}","attempt_number":${attempt},"event":${eventPayload}}`;
}

/** Stripe's event envelope, which the card provider sends. */
export function stripeStyleEvent(type: string, object: object): WebhookEvent {
  const id = `evt_${randomBytes(12).toString('hex')}`;
  return { id, type, body: { id, object: 'event', type, created: Math.floor(Date.now() / 1000), data: { object } } };
}

/** Coinbase Commerce's event, which the crypto provider sends inside each delivery. */
export function coinbaseStyleEvent(type: string, data: object): WebhookEvent {
  const id = randomUUID();
  return { id, type, body: { id, resource: 'event', type, api_version: '2018-03-22', created_at: new Date().toISOString(), data } };
}

/** What one attempt sends: the body and its signature headers, each provider its own way. */
function signedDelivery(provider: PaymentProviderName, endpoint: WebhookEndpoint, record: EventRecord, at: Date): { body: string; headers: Record<string, string> } {
  switch (provider) {
    case 'card':
      return { body: record.payload, headers: { [SIGNATURE_HEADER]: webhookSignature(endpoint.secret, record.payload, Math.floor(at.getTime() / 1000)) } };
    case 'paypal':
      return {
        body: record.payload,
        // The simulator refuses to start a PayPal endpoint without its webhook id.
        headers: paypalTransmissionHeaders(endpoint.secret, endpoint.webhookId!, record.payload, { id: randomUUID(), time: at.toISOString() }),
      };
    case 'crypto': {
      const body = coinbaseDelivery(record.payload, record.deliveries.length + 1, at);
      return { body, headers: { 'x-cc-webhook-signature': coinbaseSignature(endpoint.secret, body) } };
    }
  }
}

const EVENTS_KEPT = 10_000;
const DELIVERY_TIMEOUT_MS = 5_000;
/** An event is sent up to this many times, while the receiver answers other than 2xx or not at all. */
const DELIVERY_ATTEMPTS = 3;
const RETRY_BASE_MS = 250;

/**
 * Sends each payment provider's events to its endpoint, signed, in the background of the call
 * that caused them. For receivers' tests it can hold events and release them in reverse order,
 * and send any event again (a duplicate, with the same id and body and a fresh signature).
 */
export class WebhookDispatcher {
  private readonly events = new BoundedLog<EventRecord>(EVENTS_KEPT);
  /** Ids of events held back since `hold()`, in the order they were emitted. */
  private held?: string[];

  constructor(
    private readonly endpoints: Partial<Record<PaymentProviderName, WebhookEndpoint>>,
    private readonly closing: AbortSignal,
  ) {}

  /** Records and sends an event; a provider without an endpoint emits nothing. */
  emit(provider: PaymentProviderName, event: WebhookEvent): void {
    if (!this.endpoints[provider]) return;
    const record: EventRecord = { id: event.id, provider, type: event.type, payload: JSON.stringify(event.body), deliveries: [] };
    this.events.add(record.id, record);
    if (this.held) this.held.push(record.id);
    else void this.deliver(record);
  }

  hold(): void {
    this.held ??= [];
  }

  /** Sends what was held, one after the other, in the order emitted or the reverse, and stops holding. */
  async release(order: 'emitted' | 'reverse'): Promise<EventSummary[]> {
    const ids = this.held ?? [];
    this.held = undefined;
    return this.sendInTurn(order === 'reverse' ? [...ids].reverse() : ids);
  }

  /** Sends the events again in the order given, each once its predecessor was answered. */
  async resend(ids: string[]): Promise<EventSummary[]> {
    const missing = ids.find((id) => !this.events.get(id));
    if (missing) throw resourceMissing('event', missing);
    return this.sendInTurn(ids);
  }

  list(): EventSummary[] {
    return this.events.values().map(summary);
  }

  clear(): void {
    this.events.clear();
    this.held = undefined;
  }

  private async sendInTurn(ids: string[]): Promise<EventSummary[]> {
    const sent: EventSummary[] = [];
    for (const id of ids) {
      const record = this.events.get(id);
      if (!record) continue;
      await this.deliver(record);
      sent.push(summary(record));
    }
    return sent;
  }

  private async deliver(record: EventRecord): Promise<void> {
    const endpoint = this.endpoints[record.provider]!;
    for (let attempt = 1; !this.closing.aborted; attempt += 1) {
      if ((await this.attempt(endpoint, record)) || attempt === DELIVERY_ATTEMPTS) return;
      try {
        await sleep(RETRY_BASE_MS * 2 ** (attempt - 1), undefined, { signal: this.closing });
      } catch {
        return;
      }
    }
  }

  private async attempt(endpoint: WebhookEndpoint, record: EventRecord): Promise<boolean> {
    const at = new Date();
    const { body, headers } = signedDelivery(record.provider, endpoint, record, at);
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        signal: AbortSignal.any([this.closing, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
      });
      await response.body?.cancel();
      record.deliveries.push({ at: at.toISOString(), status: response.status });
      return response.ok;
    } catch (error) {
      record.deliveries.push({ at: at.toISOString(), error: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }
}

function summary({ payload: _payload, ...rest }: EventRecord): EventSummary {
  return { ...rest, deliveries: [...rest.deliveries] };
}
