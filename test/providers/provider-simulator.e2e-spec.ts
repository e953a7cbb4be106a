import { spawn } from 'node:child_process';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { RunningProviderSimulator, startProviderSimulator } from '../../src/simulators/providers';
import { eventually } from '../support/test-env';

const SECRET = 'whsec_simulator_test';
const PAYPAL_WEBHOOK_ID = 'WHSIMULATORTEST';
/** How far a signature's timestamp may lie from the receiver's clock, as Stripe's libraries allow. */
const TOLERANCE_SECONDS = 300;
const ETHEREUM_ADDRESS = '0x52908400098527886E0F7030069857D2E4169EE7';
const REFUND_ADDRESS = '0x8617E340B3D01FA5F11F306F4090FD50E238070D';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted, not typed
type Json = any;

interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

interface Delivery {
  path: string;
  eventId: string;
  type: string;
  payload: string;
  signature: string;
}

/** Checks a `Simulator-Signature` header as docs/providers-simulator.md tells a receiver to. */
function verifySignature(header: string, payload: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > TOLERANCE_SECONDS || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function isRecent(time: string | undefined): boolean {
  return time !== undefined && Math.abs(Date.now() - Date.parse(time)) <= TOLERANCE_SECONDS * 1000;
}

/** Checks a delivery to `path` (`/card`, `/paypal`, `/crypto`) the way docs/providers-simulator.md tells that provider's receiver to. */
function verifyDelivery(path: string, headers: IncomingMessage['headers'], payload: string): boolean {
  const header = (name: string): string | undefined => {
    const value = headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const matches = (given: Buffer, expected: Buffer): boolean => given.length === expected.length && timingSafeEqual(given, expected);
  if (path === '/paypal') {
    const [id, time, signature] = ['paypal-transmission-id', 'paypal-transmission-time', 'paypal-transmission-sig'].map(header);
    if (header('paypal-auth-algo') !== 'HMACSHA256' || !id || !signature || !isRecent(time)) return false;
    const expected = createHmac('sha256', SECRET).update(`${id}|${time}|${PAYPAL_WEBHOOK_ID}|${crc32(payload)}`).digest();
    return matches(Buffer.from(signature, 'base64'), expected);
  }
  if (path === '/crypto') {
    const expected = createHmac('sha256', SECRET).update(payload).digest();
    return matches(Buffer.from(header('x-cc-webhook-signature') ?? '', 'hex'), expected) && isRecent(JSON.parse(payload).scheduled_for);
  }
  return verifySignature(header('simulator-signature') ?? '', payload, SECRET);
}

/** A tiny webhook endpoint: verifies each delivery, records it, and can refuse the first attempts. */
class WebhookReceiver {
  readonly deliveries: Delivery[] = [];
  readonly rejected: string[] = [];
  /** Event ids to answer 500 once, so the simulator has to send them again. */
  readonly failOnce = new Set<string>();
  private readonly server: Server = createServer((request, response) => void this.receive(request, response));

  async start(): Promise<void> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  clear(): void {
    this.deliveries.length = 0;
    this.rejected.length = 0;
    this.failOnce.clear();
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async receive(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const payload = Buffer.concat(chunks).toString('utf8');
    const signature = String(request.headers['simulator-signature'] ?? '');
    if (!verifyDelivery(request.url ?? '', request.headers, payload)) {
      this.rejected.push(payload);
      response.writeHead(400).end();
      return;
    }
    // A crypto delivery wraps its event.
    const body = JSON.parse(payload);
    const event = body.event ?? body;
    const eventId: string = event.id;
    if (this.failOnce.delete(eventId)) {
      response.writeHead(500).end();
      return;
    }
    this.deliveries.push({ path: request.url ?? '', eventId, type: event.type ?? event.event_type, payload, signature });
    response.writeHead(200).end();
  }
}

async function waitFor<T>(read: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('provider simulator', () => {
  let simulator: RunningProviderSimulator;
  const receiver = new WebhookReceiver();

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Answer> {
    const response = await fetch(`${simulator.url}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal,
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  }

  /** A mutating call with a fresh idempotency key unless one is given. */
  function post(path: string, body?: unknown, key: string = randomUUID(), header = 'Idempotency-Key', signal?: AbortSignal): Promise<Answer> {
    return call('POST', path, body, { [header]: key }, signal);
  }

  const control = (body: object) => call('POST', '/control', body);
  const stats = async () => (await call('GET', '/control/stats')).body;

  async function authorizedIntent(amount = 1000, extra: object = {}): Promise<Json> {
    const { status, body } = await post('/card/v1/payment_intents', { amount, currency: 'eur', payment_method: 'tok_visa', ...extra });
    expect(status).toBe(200);
    return body;
  }

  async function capturedIntent(amount: number): Promise<Json> {
    const intent = await authorizedIntent(amount);
    expect((await post(`/card/v1/payment_intents/${intent.id}/capture`)).status).toBe(200);
    return intent;
  }

  beforeAll(async () => {
    await receiver.start();
    simulator = await startProviderSimulator({
      seed: 42,
      webhooks: {
        card: { url: receiver.url('/card'), secret: SECRET },
        paypal: { url: receiver.url('/paypal'), secret: SECRET, webhookId: PAYPAL_WEBHOOK_ID },
        crypto: { url: receiver.url('/crypto'), secret: SECRET },
      },
    });
  });

  afterAll(async () => {
    await simulator.close();
    await receiver.close();
  });

  beforeEach(async () => {
    // Events of the last test still on their way would land among this test's.
    await waitFor(async () => {
      const { data } = (await call('GET', '/control/webhooks')).body;
      return data.every((event: Json) => event.deliveries.some((attempt: Json) => attempt.status === 200)) || undefined;
    }, 'the last test\'s events to be delivered');
    expect((await control({ failureRate: 0, latencyMs: 0 })).status).toBe(200);
    expect((await call('POST', '/control/reset', { state: true })).status).toBe(204);
    receiver.clear();
  });

  describe('card (Stripe-like)', () => {
    it('authorizes, captures part of the authorization and refunds in parts up to what was captured', async () => {
      const intent = await authorizedIntent(1000, { metadata: { orderId: 'ord_1' } });
      expect(intent).toMatchObject({ object: 'payment_intent', status: 'requires_capture', amount_capturable: 1000, capture_method: 'manual' });

      const over = await post(`/card/v1/payment_intents/${intent.id}/capture`, { amount_to_capture: 1001 });
      expect(over.status).toBe(400);
      expect(over.body.error).toMatchObject({ code: 'amount_too_large', retryable: false });

      const captured = await post(`/card/v1/payment_intents/${intent.id}/capture`, { amount_to_capture: 600 });
      expect(captured.status).toBe(200);
      expect(captured.body).toMatchObject({ status: 'succeeded', amount_received: 600, amount_capturable: 0 });

      const first = await post('/card/v1/refunds', { payment_intent: intent.id, amount: 200, reason: 'requested_by_customer' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ object: 'refund', amount: 200, payment_intent: intent.id, status: 'succeeded' });
      const tooMuch = await post('/card/v1/refunds', { payment_intent: intent.id, amount: 401 });
      expect(tooMuch.status).toBe(400);
      expect(tooMuch.body.error).toMatchObject({ type: 'invalid_request_error', code: 'amount_too_large', retryable: false });
      const rest = await post('/card/v1/refunds', { payment_intent: intent.id });
      expect(rest.body).toMatchObject({ amount: 400 });
      const again = await post('/card/v1/refunds', { payment_intent: intent.id, amount: 1 });
      expect(again.body.error).toMatchObject({ code: 'charge_already_refunded', retryable: false });

      expect((await call('GET', `/card/v1/payment_intents/${intent.id}`)).body).toMatchObject({ amount_received: 600, amount_refunded: 600 });
      expect((await call('GET', `/card/v1/refunds/${first.body.id}`)).body).toEqual(first.body);
    });

    it('captures the whole authorization without an amount, and at once with automatic capture', async () => {
      const intent = await authorizedIntent(750);
      expect((await post(`/card/v1/payment_intents/${intent.id}/capture`)).body).toMatchObject({ status: 'succeeded', amount_received: 750 });
      const automatic = await authorizedIntent(300, { capture_method: 'automatic' });
      expect(automatic).toMatchObject({ status: 'succeeded', amount_received: 300 });
    });

    it('voids an authorization before capture only; a voided one cannot be captured', async () => {
      const intent = await authorizedIntent();
      const cancelled = await post(`/card/v1/payment_intents/${intent.id}/cancel`, { cancellation_reason: 'abandoned' });
      expect(cancelled.body).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned', amount_capturable: 0 });
      const capture = await post(`/card/v1/payment_intents/${intent.id}/capture`);
      expect(capture.status).toBe(400);
      expect(capture.body.error).toMatchObject({ code: 'payment_intent_unexpected_state', retryable: false });
      expect((await post('/card/v1/refunds', { payment_intent: intent.id })).body.error.code).toBe('payment_intent_unexpected_state');

      const captured = await capturedIntent(500);
      const lateVoid = await post(`/card/v1/payment_intents/${captured.id}/cancel`);
      expect(lateVoid.status).toBe(400);
      expect(lateVoid.body.error.code).toBe('payment_intent_unexpected_state');
    });

    it.each([
      ['tok_chargeDeclined', 'card_declined'],
      ['tok_insufficientFunds', 'insufficient_funds'],
      ['pm_not_a_test_token', 'invalid_token'],
    ])('declines %s finally with 402 %s, leaving the intent without a payment method', async (token, code) => {
      const { status, body } = await post('/card/v1/payment_intents', { amount: 1000, currency: 'eur', payment_method: token });
      expect(status).toBe(402);
      expect(body.error).toMatchObject({ type: 'card_error', code, retryable: false });
      expect(body.error.payment_intent).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code } });
      expect((await call('GET', `/card/v1/payment_intents/${body.error.payment_intent.id}`)).body.status).toBe('requires_payment_method');
    });

    it('fails tok_processingError with a retryable 500 every time, and approves Json other tok_ token', async () => {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const { status, body } = await post('/card/v1/payment_intents', { amount: 1000, currency: 'eur', payment_method: 'tok_processingError' });
        expect(status).toBe(500);
        expect(body.error).toMatchObject({ type: 'api_error', code: 'processing_error', retryable: true });
      }
      expect((await authorizedIntent(1000, { payment_method: 'tok_mastercard' })).status).toBe('requires_capture');
    });

    it('never answers tok_timeout, while other calls are answered', async () => {
      const held = post('/card/v1/payment_intents', { amount: 1000, currency: 'eur', payment_method: 'tok_timeout' }, randomUUID(), 'Idempotency-Key', AbortSignal.timeout(300));
      await expect(held).rejects.toThrow();
      expect((await authorizedIntent()).status).toBe('requires_capture');
      expect((await stats()).card.operations['POST /card/v1/payment_intents']).toBe(2);
    });

    it('never refunds more than was captured, however many refunds arrive at once', async () => {
      const intent = await capturedIntent(500);
      await control({ provider: 'card', latencyMs: 20 });
      const parts = await Promise.all(Array.from({ length: 20 }, () => post('/card/v1/refunds', { payment_intent: intent.id, amount: 30 })));
      expect(parts.filter((answer) => answer.status === 200)).toHaveLength(16);
      expect(parts.filter((answer) => answer.status !== 200).map((answer) => answer.body.error.code)).toEqual(Array(4).fill('amount_too_large'));
      expect((await call('GET', `/card/v1/payment_intents/${intent.id}`)).body.amount_refunded).toBe(480);

      const other = await capturedIntent(500);
      const whole = await Promise.all(Array.from({ length: 5 }, () => post('/card/v1/refunds', { payment_intent: other.id })));
      expect(whole.filter((answer) => answer.status === 200).map((answer) => answer.body.amount)).toEqual([500]);
      expect((await call('GET', `/card/v1/payment_intents/${other.id}`)).body.amount_refunded).toBe(500);
    });

    it('answers 404 resource_missing for an unknown intent', async () => {
      const { status, body } = await call('GET', '/card/v1/payment_intents/pi_unknown');
      expect(status).toBe(404);
      expect(body.error).toMatchObject({ code: 'resource_missing', retryable: false });
    });
  });

  describe('idempotency', () => {
    it('replays the first answer to the same key and body, status and body, without a second effect', async () => {
      const intent = await capturedIntent(900);
      const key = randomUUID();
      const first = await post('/card/v1/refunds', { payment_intent: intent.id, amount: 300 }, key);
      const replay = await post('/card/v1/refunds', { amount: 300, payment_intent: intent.id }, key);
      expect(replay.status).toBe(first.status);
      expect(replay.body).toEqual(first.body);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect((await call('GET', `/card/v1/payment_intents/${intent.id}`)).body.amount_refunded).toBe(300);
    });

    it('replays a final error as it was first answered', async () => {
      const key = randomUUID();
      const body = { amount: 1000, currency: 'eur', payment_method: 'tok_chargeDeclined' };
      const first = await post('/card/v1/payment_intents', body, key);
      const replay = await post('/card/v1/payment_intents', body, key);
      expect(first.status).toBe(402);
      expect(replay.status).toBe(402);
      expect(replay.body).toEqual(first.body);
    });

    it('refuses a key sent again with another body, or to another route, with a final 422', async () => {
      const key = randomUUID();
      await post('/card/v1/payment_intents', { amount: 1000, currency: 'eur', payment_method: 'tok_visa' }, key);
      for (const [path, body] of [
        ['/card/v1/payment_intents', { amount: 1001, currency: 'eur', payment_method: 'tok_visa' }],
        ['/card/v1/refunds', { payment_intent: 'pi_1' }],
      ] as const) {
        const reuse = await post(path, body, key);
        expect(reuse.status).toBe(422);
        expect(reuse.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_reused', retryable: false });
      }
    });

    it('answers a retryable 409 to a key whose first call is still running', async () => {
      const key = randomUUID();
      const body = { amount: 1000, currency: 'eur', payment_method: 'tok_timeout' };
      const clients = [new AbortController(), new AbortController()];
      const calls = clients.map((client) => post('/card/v1/payment_intents', body, key, 'Idempotency-Key', client.signal));
      // Whichever arrives first holds the key without an answer; the other is refused.
      const answered = await Promise.any(calls);
      for (const client of clients) client.abort();
      await Promise.allSettled(calls);
      expect(answered.status).toBe(409);
      expect(answered.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_in_use', retryable: true });
    });

    it('runs a call again under its key after a retryable failure', async () => {
      const key = randomUUID();
      const body = { amount: 1000, currency: 'eur', payment_method: 'tok_visa' };
      await control({ provider: 'card', failureRate: 1 });
      expect((await post('/card/v1/payment_intents', body, key)).status).toBe(503);
      await control({ provider: 'card', failureRate: 0 });
      const retry = await post('/card/v1/payment_intents', body, key);
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
    });

    it('needs a key on every mutating call, in the header each provider reads', async () => {
      const missing = await call('POST', '/card/v1/payment_intents', { amount: 1000, currency: 'eur', payment_method: 'tok_visa' });
      expect(missing.status).toBe(400);
      expect(missing.body.error).toMatchObject({ code: 'idempotency_key_missing', retryable: false });
      const stripeHeaderOnPaypal = await post('/paypal/v2/checkout/orders', paypalOrder('tok_visa'));
      expect(stripeHeaderOnPaypal.body.error.code).toBe('idempotency_key_missing');
      expect((await post('/sms/v1/messages', { to: '+15551234567', body: 'x' }, 'k'.repeat(256))).status).toBe(400);
    });
  });

  describe('request validation', () => {
    it('refuses bodies out of their schema with 400, naming the parameter', async () => {
      const negative = await post('/card/v1/payment_intents', { amount: -5, currency: 'eur', payment_method: 'tok_visa' });
      expect(negative.status).toBe(400);
      expect(negative.body.error).toMatchObject({ type: 'invalid_request_error', code: 'parameter_invalid', param: 'amount', retryable: false });
      const unknown = await post('/card/v1/payment_intents', { amount: 5, currency: 'eur', payment_method: 'tok_visa', confirm: true });
      expect(unknown.body.error).toMatchObject({ code: 'parameter_invalid', param: 'confirm' });
      expect(unknown.body.error.message).toContain("unknown parameter 'confirm'");
      const wrongType = await post('/card/v1/payment_intents', { amount: '5', currency: 'eur', payment_method: 'tok_visa' });
      expect(wrongType.body.error.param).toBe('amount');
      const fraction = await post('/card/v1/payment_intents', { amount: 5.5, currency: 'EUR', payment_method: 'tok_visa' });
      expect(fraction.status).toBe(400);
    });

    it('refuses a body too large (413), not JSON (415) or malformed (400), and an unknown route (404)', async () => {
      const large = await post('/sms/v1/messages', { to: '+15551234567', body: 'x'.repeat(20_000) });
      expect(large.status).toBe(413);
      expect(large.body.error).toMatchObject({ code: 'body_too_large', retryable: false });
      const text = await call('POST', '/sms/v1/messages', 'hello', { 'content-type': 'text/plain', 'Idempotency-Key': randomUUID() });
      expect(text.status).toBe(415);
      expect(text.body.error.code).toBe('unsupported_media_type');
      const malformed = await post('/sms/v1/messages', '{"to":');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('invalid_json');
      const unknown = await call('GET', '/card/v1/charges');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ code: 'route_not_found', retryable: false });
    });
  });

  function paypalOrder(token: string, value = '100.00'): object {
    return {
      intent: 'AUTHORIZE',
      purchase_units: [{ reference_id: 'ord_1', amount: { currency_code: 'EUR', value } }],
      payment_source: { token: { id: token, type: 'BILLING_AGREEMENT' } },
    };
  }

  describe('PayPal-like', () => {
    const paypal = (path: string, body?: unknown, key?: string) => post(`/paypal/v2${path}`, body, key, 'PayPal-Request-Id');

    async function authorization(value = '100.00'): Promise<Json> {
      const order = await paypal('/checkout/orders', paypalOrder('tok_visa', value));
      expect(order.status).toBe(201);
      expect(order.body.status).toBe('APPROVED');
      const authorized = await paypal(`/checkout/orders/${order.body.id}/authorize`);
      expect(authorized.status).toBe(201);
      expect(authorized.body.status).toBe('COMPLETED');
      return authorized.body.purchase_units[0].payments.authorizations[0];
    }

    it('authorizes an order, captures it in parts and refunds a capture in parts', async () => {
      const auth = await authorization('100.00');
      expect(auth).toMatchObject({ status: 'CREATED', amount: { currency_code: 'EUR', value: '100.00' } });
      const first = await paypal(`/payments/authorizations/${auth.id}/capture`, { amount: { currency_code: 'EUR', value: '30.00' }, final_capture: false });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ status: 'COMPLETED', amount: { value: '30.00' }, final_capture: false });
      expect((await call('GET', `/paypal/v2/payments/authorizations/${auth.id}`)).body.status).toBe('PARTIALLY_CAPTURED');
      const over = await paypal(`/payments/authorizations/${auth.id}/capture`, { amount: { currency_code: 'EUR', value: '70.01' } });
      expect(over.status).toBe(422);
      expect(over.body.error).toMatchObject({ code: 'max_capture_amount_exceeded', retryable: false });
      const rest = await paypal(`/payments/authorizations/${auth.id}/capture`, {});
      expect(rest.body.amount.value).toBe('70.00');
      expect((await call('GET', `/paypal/v2/payments/authorizations/${auth.id}`)).body.status).toBe('CAPTURED');

      const refund = await paypal(`/payments/captures/${rest.body.id}/refund`, { amount: { currency_code: 'EUR', value: '20.00' } });
      expect(refund.status).toBe(201);
      expect(refund.body).toMatchObject({ status: 'COMPLETED', amount: { value: '20.00' } });
      const tooMuch = await paypal(`/payments/captures/${rest.body.id}/refund`, { amount: { currency_code: 'EUR', value: '50.01' } });
      expect(tooMuch.body.error).toMatchObject({ code: 'refund_amount_exceeded', retryable: false });
      const wrongCurrency = await paypal(`/payments/captures/${rest.body.id}/refund`, { amount: { currency_code: 'USD', value: '1.00' } });
      expect(wrongCurrency.body.error.code).toBe('currency_mismatch');
      expect((await paypal(`/payments/captures/${rest.body.id}/refund`)).body.amount.value).toBe('50.00');
      expect((await call('GET', `/paypal/v2/payments/captures/${rest.body.id}`)).body.status).toBe('REFUNDED');
      expect((await paypal(`/payments/captures/${rest.body.id}/refund`)).body.error.code).toBe('capture_fully_refunded');
      expect((await call('GET', `/paypal/v2/payments/refunds/${refund.body.id}`)).body).toMatchObject({ amount: { value: '20.00' } });
    });

    it('voids an authorization before Json capture only', async () => {
      const auth = await authorization();
      const voided = await paypal(`/payments/authorizations/${auth.id}/void`);
      expect(voided.status).toBe(200);
      expect(voided.body.status).toBe('VOIDED');
      const capture = await paypal(`/payments/authorizations/${auth.id}/capture`, {});
      expect(capture.status).toBe(422);
      expect(capture.body.error).toMatchObject({ code: 'authorization_voided', retryable: false });

      const captured = await authorization();
      await paypal(`/payments/authorizations/${captured.id}/capture`, {});
      expect((await paypal(`/payments/authorizations/${captured.id}/void`)).body.error.code).toBe('previously_captured');
    });

    it('declines by test token at authorization, finally or retryably, and authorizes an order once', async () => {
      const declined = await paypal('/checkout/orders', paypalOrder('tok_insufficientFunds'));
      const refusal = await paypal(`/checkout/orders/${declined.body.id}/authorize`);
      expect(refusal.status).toBe(402);
      expect(refusal.body.error).toMatchObject({ code: 'insufficient_funds', retryable: false });
      const failing = await paypal('/checkout/orders', paypalOrder('tok_processingError'));
      expect((await paypal(`/checkout/orders/${failing.body.id}/authorize`)).body.error).toMatchObject({ code: 'processing_error', retryable: true });

      const order = await paypal('/checkout/orders', paypalOrder('tok_visa'));
      await paypal(`/checkout/orders/${order.body.id}/authorize`);
      const twice = await paypal(`/checkout/orders/${order.body.id}/authorize`);
      expect(twice.status).toBe(422);
      expect(twice.body.error.code).toBe('order_already_authorized');
      expect((await paypal('/checkout/orders', paypalOrder('tok_visa', '0.00'))).status).toBe(400);
    });
  });

  describe('crypto', () => {
    const paymentRequest = (payment_method: string, extra: object = {}) =>
      post('/crypto/v1/payment_requests', { chain: 'ethereum', asset: 'USDC', amount: 25_000_000, receiving_address: ETHEREUM_ADDRESS, payment_method, ...extra });

    it('settles at once by an on-chain transfer, then refunds in parts up to what was received', async () => {
      const { status, body } = await paymentRequest('tok_visa');
      expect(status).toBe(201);
      expect(body).toMatchObject({ status: 'settled', amount_received: 25_000_000, transfers: [{ direction: 'in', amount: 25_000_000 }] });
      expect(body.transfers[0].hash).toMatch(/^0x[0-9a-f]{64}$/);
      const part = await post(`/crypto/v1/payment_requests/${body.id}/refunds`, { amount: 5_000_000, refund_address: REFUND_ADDRESS });
      expect(part.status).toBe(201);
      expect(part.body).toMatchObject({ amount_refunded: 5_000_000 });
      const over = await post(`/crypto/v1/payment_requests/${body.id}/refunds`, { amount: 20_000_001, refund_address: REFUND_ADDRESS });
      expect(over.body.error).toMatchObject({ code: 'amount_too_large', retryable: false });
      expect((await post(`/crypto/v1/payment_requests/${body.id}/refunds`, { refund_address: REFUND_ADDRESS })).body.amount_refunded).toBe(25_000_000);
      expect((await post(`/crypto/v1/payment_requests/${body.id}/cancel`)).body.error.code).toBe('payment_request_unexpected_state');
    });

    it('waits for the transfer the control API sends, and cancels a request still waiting', async () => {
      const waiting = await paymentRequest('tok_awaitTransfer');
      expect(waiting.body).toMatchObject({ status: 'awaiting_transfer', amount_received: 0 });
      const settled = await call('POST', `/control/crypto/payment_requests/${waiting.body.id}/transfer`);
      expect(settled.body).toMatchObject({ status: 'settled', amount_received: 25_000_000 });
      expect((await call('POST', `/control/crypto/payment_requests/${waiting.body.id}/transfer`)).status).toBe(400);

      const abandoned = await paymentRequest('tok_awaitTransfer');
      expect((await post(`/crypto/v1/payment_requests/${abandoned.body.id}/cancel`)).body.status).toBe('cancelled');
      expect((await call('GET', `/crypto/v1/payment_requests/${abandoned.body.id}`)).body.status).toBe('cancelled');
    });

    it('refuses an address of another chain and declines by test token', async () => {
      const bad = await paymentRequest('tok_visa', { chain: 'bitcoin' });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'invalid_address', retryable: false });
      const short = await paymentRequest('tok_insufficientFunds');
      expect(short.status).toBe(402);
      expect(short.body.error).toMatchObject({ code: 'insufficient_funds', retryable: false });
    });
  });

  describe('SMS and push', () => {
    it('accepts SMS to E.164 numbers, records them once per key, and refuses other numbers', async () => {
      const key = randomUUID();
      const sent = await post('/sms/v1/messages', { to: '+4915112345678', body: 'Your order shipped' }, key);
      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({ status: 'queued', to: '+4915112345678' });
      expect((await post('/sms/v1/messages', { to: '+4915112345678', body: 'Your order shipped' }, key)).body).toEqual(sent.body);
      await post('/sms/v1/messages', { to: '+15551230000', body: 'Another' });
      expect((await call('GET', '/control/sms/messages?to=%2B4915112345678')).body.data).toEqual([sent.body]);
      expect((await call('GET', '/control/sms/messages')).body.data).toHaveLength(2);

      for (const to of ['015112345678', '+0151', '+1234567890123456']) {
        expect((await post('/sms/v1/messages', { to, body: 'x' })).body.error).toMatchObject({ code: 'parameter_invalid', param: 'to' });
      }
      const unreachable = await post('/sms/v1/messages', { to: '+15005550009', body: 'x' });
      expect(unreachable.status).toBe(400);
      expect(unreachable.body.error).toMatchObject({ code: 'unreachable_destination', retryable: false });
    });

    it('sends push notifications to device tokens and refuses an unregistered one finally', async () => {
      const sent = await post('/push/v1/send', { token: 'device_abc', title: 'Shipped', body: 'Your order shipped', data: { orderId: 'ord_1' } });
      expect(sent.status).toBe(200);
      expect(sent.body).toMatchObject({ status: 'sent', token: 'device_abc', data: { orderId: 'ord_1' } });
      expect((await call('GET', '/control/push/messages?token=device_abc')).body.data).toEqual([sent.body]);
      const gone = await post('/push/v1/send', { token: 'device_unregistered', title: 'x', body: 'y' });
      expect(gone.status).toBe(404);
      expect(gone.body.error).toMatchObject({ code: 'unregistered', retryable: false });
      expect((await post('/push/v1/send', { token: 'device_abc', title: '', body: 'y' })).body.error.param).toBe('title');
    });
  });

  describe('control and fault injection', () => {
    it('fails one provider on purpose with retryable 503s and counts every call per provider and route', async () => {
      expect((await control({ provider: 'sms', failureRate: 1 })).body.sms).toEqual({ failureRate: 1, latencyMs: 0 });
      const failed = await post('/sms/v1/messages', { to: '+15551234567', body: 'x' });
      expect(failed.status).toBe(503);
      expect(failed.headers.get('retry-after')).toBe('1');
      expect(failed.body.error).toMatchObject({ type: 'api_error', code: 'service_unavailable', retryable: true });
      expect((await post('/push/v1/send', { token: 'd', title: 't', body: 'b' })).status).toBe(200);
      await authorizedIntent();
      await call('GET', '/card/v1/payment_intents/pi_unknown');

      const counted = await stats();
      expect(counted.sms).toMatchObject({ calls: 1, injectedFailures: 1, operations: { 'POST /sms/v1/messages': 1 }, maxInFlight: 1 });
      expect(counted.push.calls).toBe(1);
      expect(counted.card).toMatchObject({
        calls: 2,
        injectedFailures: 0,
        operations: { 'POST /card/v1/payment_intents': 1, 'GET /card/v1/payment_intents/:id': 1 },
        // One call after the other.
        maxInFlight: 1,
      });
      expect(counted.paypal.calls).toBe(0);

      await call('POST', '/control/reset');
      expect((await stats()).card.calls).toBe(0);
    });

    it('counts the calls under way at once: the most since the last reset, and none once all are answered', async () => {
      await call('POST', '/control/reset');
      await control({ provider: 'card', latencyMs: 300 });
      await Promise.all([authorizedIntent(), authorizedIntent(), authorizedIntent()]);
      await control({ provider: 'card', latencyMs: 0 });
      const counted = await eventually(async () => {
        const card = (await stats()).card;
        expect(card.inFlight).toBe(0);
        return card;
      });
      expect(counted).toMatchObject({ calls: 3, maxInFlight: 3, abandoned: 0 });
    });

    it('counts a call whose client gave up before the answer as abandoned, and it has no effect', async () => {
      await call('POST', '/control/reset');
      await control({ provider: 'card', latencyMs: 5000 });
      const key = randomUUID();
      const body = { amount: 1000, currency: 'eur', payment_method: 'tok_visa' };
      await expect(post('/card/v1/payment_intents', body, key, 'Idempotency-Key', AbortSignal.timeout(200))).rejects.toThrow();
      const counted = await eventually(async () => {
        const card = (await stats()).card;
        expect(card.inFlight).toBe(0);
        return card;
      });
      await control({ provider: 'card', latencyMs: 0 });
      expect(counted).toMatchObject({ calls: 1, abandoned: 1 });
      // Nothing was kept under the key: the same call runs afresh.
      const again = await post('/card/v1/payment_intents', body, key);
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBeNull();
    });

    it('sets every provider at once when no provider is named, and refuses settings out of range', async () => {
      const all = await control({ failureRate: 0.25, latencyMs: 5 });
      expect(Object.values(all.body)).toEqual(Array(5).fill({ failureRate: 0.25, latencyMs: 5 }));
      expect((await call('GET', '/control')).body).toEqual(all.body);
      for (const body of [{ failureRate: 1.5 }, { latencyMs: -1 }, { provider: 'bank', failureRate: 0 }, {}, { provider: 'card' }]) {
        const refused = await control(body);
        expect(refused.status).toBe(400);
        expect(refused.body.error.code).toBe('parameter_invalid');
      }
    });

    it('fails the same calls for the same seed, again after a reset', async () => {
      const pattern = async (): Promise<number[]> => {
        const statuses: number[] = [];
        for (let i = 0; i < 20; i += 1) statuses.push((await post('/push/v1/send', { token: 'd', title: 't', body: 'b' })).status);
        return statuses;
      };
      await control({ provider: 'push', failureRate: 0.5 });
      const first = await pattern();
      expect(first).toContain(503);
      expect(first).toContain(200);
      await call('POST', '/control/reset');
      expect(await pattern()).toEqual(first);

      const twin = await startProviderSimulator({ seed: 42, providers: { push: { failureRate: 0.5 } } });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 20; i += 1) {
          const response = await fetch(`${twin.url}/push/v1/send`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
            body: JSON.stringify({ token: 'd', title: 't', body: 'b' }),
          });
          statuses.push(response.status);
        }
        expect(statuses).toEqual(first);
      } finally {
        await twin.close();
      }
    });

    it('delays one provider by its latency while the others answer', async () => {
      await control({ provider: 'push', latencyMs: 60_000 });
      const delayed = post('/push/v1/send', { token: 'd', title: 't', body: 'b' }, randomUUID(), 'Idempotency-Key', AbortSignal.timeout(300));
      expect((await post('/sms/v1/messages', { to: '+15551234567', body: 'x' })).status).toBe(201);
      await expect(delayed).rejects.toThrow();
    });

    it('forgets resources, keys and messages on a reset with state', async () => {
      const key = randomUUID();
      const intent = (await post('/card/v1/payment_intents', { amount: 1000, currency: 'eur', payment_method: 'tok_visa' }, key)).body;
      await post('/sms/v1/messages', { to: '+15551234567', body: 'x' });
      await call('POST', '/control/reset', { state: true });
      expect((await call('GET', `/card/v1/payment_intents/${intent.id}`)).status).toBe(404);
      expect((await call('GET', '/control/sms/messages')).body.data).toEqual([]);
      expect((await post('/card/v1/payment_intents', { amount: 5, currency: 'eur', payment_method: 'tok_visa' }, key)).status).toBe(200);
      expect((await stats()).card.calls).toBe(2);
    });
  });

  describe('webhooks', () => {
    const deliveredTypes = (path: string) => receiver.deliveries.filter((d) => d.path === path).map((d) => d.type);

    it('sends each change as an event with an id, signed with HMAC-SHA256 over the timestamp and raw body', async () => {
      const intent = await capturedIntent(800);
      await post('/card/v1/refunds', { payment_intent: intent.id, amount: 100 });
      await waitFor(() => receiver.deliveries.length >= 3 || undefined, 'three card events');
      expect(deliveredTypes('/card')).toEqual(['payment_intent.amount_capturable_updated', 'payment_intent.succeeded', 'refund.created']);
      expect(receiver.rejected).toEqual([]);
      const ids = receiver.deliveries.map((d) => d.eventId);
      expect(new Set(ids).size).toBe(3);
      expect(ids.every((id) => id.startsWith('evt_'))).toBe(true);
      const captured = JSON.parse(receiver.deliveries[1].payload);
      expect(captured).toMatchObject({ object: 'event', type: 'payment_intent.succeeded', data: { object: { id: intent.id, amount_received: 800 } } });

      const { payload, signature } = receiver.deliveries[1];
      expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifySignature(signature, payload, SECRET)).toBe(true);
      expect(verifySignature(signature, payload.replace('800', '801'), SECRET)).toBe(false);
      expect(verifySignature(signature, payload, 'whsec_other')).toBe(false);
      expect(verifySignature(signature, payload, SECRET, Math.floor(Date.now() / 1000) + TOLERANCE_SECONDS + 60)).toBe(false);
    });

    it('sends an event again on demand: the same id and body under a fresh valid signature', async () => {
      await authorizedIntent();
      const original = await waitFor(() => receiver.deliveries[0], 'the authorization event');
      const resent = await call('POST', '/control/webhooks/resend', { eventIds: [original.eventId, original.eventId] });
      expect(resent.status).toBe(200);
      expect(receiver.deliveries.map((d) => d.eventId)).toEqual([original.eventId, original.eventId, original.eventId]);
      expect(new Set(receiver.deliveries.map((d) => d.payload)).size).toBe(1);
      expect((await call('POST', '/control/webhooks/resend', { eventIds: ['evt_unknown'] })).status).toBe(404);
    });

    it('holds events and releases them in reverse order, so a receiver sees them out of order', async () => {
      expect((await call('POST', '/control/webhooks/hold')).status).toBe(204);
      const intent = await capturedIntent(400);
      expect(receiver.deliveries).toEqual([]);
      const released = await call('POST', '/control/webhooks/release', { order: 'reverse' });
      expect(released.body.data.map((event: Json) => event.type)).toEqual(['payment_intent.succeeded', 'payment_intent.amount_capturable_updated']);
      expect(deliveredTypes('/card')).toEqual(['payment_intent.succeeded', 'payment_intent.amount_capturable_updated']);
      expect(JSON.parse(receiver.deliveries[1].payload).data.object).toMatchObject({ id: intent.id, status: 'requires_capture' });

      await authorizedIntent();
      await waitFor(() => receiver.deliveries.length === 3 || undefined, 'events sent at once after the release');
    });

    it('sends an event again, with the same id, after the receiver failed it', async () => {
      await call('POST', '/control/webhooks/hold');
      await authorizedIntent();
      const [held] = (await call('GET', '/control/webhooks')).body.data;
      receiver.failOnce.add(held.id);
      await call('POST', '/control/webhooks/release');
      expect(receiver.deliveries.map((d) => d.eventId)).toEqual([held.id]);
      const [record] = (await call('GET', '/control/webhooks')).body.data;
      expect(record.deliveries.map((attempt: Json) => attempt.status)).toEqual([500, 200]);
    });

    it('refuses to start a PayPal endpoint without the webhook id its signatures cover', async () => {
      await expect(startProviderSimulator({ webhooks: { paypal: { url: receiver.url('/paypal'), secret: SECRET } } })).rejects.toThrow(
        'the paypal webhook needs its webhook id',
      );
    });

    it('sends PayPal events in its envelope, signed over its transmission headers, and crypto events in Coinbase Commerce’s deliveries', async () => {
      const order = await post('/paypal/v2/checkout/orders', paypalOrder('tok_visa'), randomUUID(), 'PayPal-Request-Id');
      await post(`/paypal/v2/checkout/orders/${order.body.id}/authorize`, undefined, randomUUID(), 'PayPal-Request-Id');
      await post('/crypto/v1/payment_requests', { chain: 'ethereum', asset: 'ETH', amount: 1_000_000, receiving_address: ETHEREUM_ADDRESS, payment_method: 'tok_visa' });
      await waitFor(() => receiver.deliveries.length >= 2 || undefined, 'the PayPal and crypto events');
      const paypalEvent = JSON.parse(receiver.deliveries.find((d) => d.path === '/paypal')!.payload);
      expect(paypalEvent).toMatchObject({ event_type: 'PAYMENT.AUTHORIZATION.CREATED', resource_type: 'authorization', resource: { status: 'CREATED' } });
      expect(paypalEvent.id).toMatch(/^WH-/);
      expect(deliveredTypes('/crypto')).toEqual(['payment_request.settled']);
      const cryptoDelivery = JSON.parse(receiver.deliveries.find((d) => d.path === '/crypto')!.payload);
      expect(cryptoDelivery).toMatchObject({ attempt_number: 1, event: { resource: 'event', type: 'payment_request.settled', data: { status: 'settled' } } });
      expect(cryptoDelivery.event.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(receiver.rejected).toEqual([]);
    });
  });

  describe('as its own process', () => {
    const entry = join(process.cwd(), 'dist', 'src', 'providers.js');


    it('starts from the compiled entry on a free port, prints its URL, serves, and stops on SIGTERM', async () => {
      const child = spawn(process.execPath, [entry, '--port', '0', '--seed', '1', '--card-failure-rate', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = once(child, 'exit');
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      try {
        const url = await waitFor(() => /listening on (http:\/\/\S+)/.exec(output)?.[1], 'the simulator to print its URL');
        expect(output).toContain('(seed 1)');
        expect((await fetch(`${url}/health`)).status).toBe(200);
        const refused = await fetch(`${url}/card/v1/payment_intents`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          body: JSON.stringify({ amount: 100, currency: 'eur', payment_method: 'tok_visa' }),
        });
        expect(refused.status).toBe(503);
        const counted: Json = await (await fetch(`${url}/control/stats`)).json();
        expect(counted.card.injectedFailures).toBe(1);
      } finally {
        process.kill(child.pid!, 'SIGTERM');
      }
      expect(await exited).toEqual([0, null]);
    });

    it('refuses an option out of range with one line naming it and exit status 1', async () => {
      const child = spawn(process.execPath, [entry, '--port', '0', '--paypal-failure-rate', '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let errors = '';
      child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      const [code] = await once(child, 'exit');
      expect(code).toBe(1);
      expect(errors.trim()).toBe('paypal failureRate must be a number from 0 to 1, got 2');
    });
  });
});
