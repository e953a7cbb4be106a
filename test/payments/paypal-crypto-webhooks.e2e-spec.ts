import { randomBytes, randomUUID } from 'node:crypto';
import { CapturePaymentV1 } from '../../libs/contracts/payments';
import { coinbaseDelivery, coinbaseSignature, paypalTransmissionHeaders } from '../../src/simulators/providers/webhooks';
import { requestAuthorization, sendToPayments } from '../support/payment-requests';
import { Json, startWebhookHarness, WebhookHarness } from '../support/provider-webhooks';
import { sql } from '../support/shop';
import { TestApp } from '../support/test-app';

const PAYPAL = { secret: `paypal_${randomBytes(24).toString('hex')}`, webhookId: `WH${randomBytes(8).toString('hex').toUpperCase()}` };
const CRYPTO = { secret: `crypto_${randomBytes(24).toString('hex')}` };
/** Where the service sends crypto refunds by default, an address the simulator accepts. */
const REFUND_ADDRESS = '0x5e7a1c0ffee0000000000000000000000000fee5';

/**
 * The PayPal-like and crypto providers' webhooks as the service receives them, each signed its
 * provider's way by the simulator: delivered, repeated, out of order, or forged.
 */
describe('PayPal-like and crypto provider webhooks', () => {
  let harness: WebhookHarness;
  let app: TestApp;

  beforeAll(async () => {
    harness = await startWebhookHarness({ paypal: PAYPAL, crypto: CRYPTO });
    ({ app } = harness);
  });

  afterAll(() => harness?.close());

  /** The id of the one event of `type` recorded about the resource. */
  async function recordedEventId(resourceId: string, type: string): Promise<string> {
    const events = await sql<{ event_id: string }>(app, 'SELECT event_id FROM payments.webhook_event WHERE resource_id = $1 AND type = $2', [resourceId, type]);
    expect(events).toHaveLength(1);
    return events[0].event_id;
  }

  /** Sends a recorded event again, twice: each delivery is acknowledged and does nothing more. */
  async function resendTwice(eventId: string): Promise<void> {
    const { data: sent } = await harness.control('/control/webhooks/resend', { eventIds: [eventId, eventId] });
    expect(sent[sent.length - 1].deliveries.map((delivery: Json) => delivery.status)).toEqual([200, 200, 200]);
  }

  /** A problem+json 4xx, and what it says. */
  async function refused(response: PromiseLike<{ status: number; headers: Record<string, string>; body: Json }>, status: number): Promise<string> {
    const answer = await response;
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    return answer.body.detail;
  }

  const now = (): number => Date.now();

  describe('PayPal-like', () => {
    const signed = (payload: string, time = new Date(now()).toISOString(), settings = PAYPAL): Record<string, string> =>
      paypalTransmissionHeaders(settings.secret, settings.webhookId, payload, { id: randomUUID(), time });
    const deliver = (payload: string, headers = signed(payload)) => harness.deliver('paypal', payload, headers);

    /** An authorized PayPal payment, whose reference is its authorization; unless events are held, once its event is recorded. */
    async function authorized(held = false): Promise<{ orderId: string; authorizationId: string }> {
      const { orderId, status, providerRef } = await requestAuthorization(app, 1500, 'paypal');
      expect(status).toBe('AUTHORIZED');
      if (!held) await app.eventually(async () => expect(await harness.recorded(providerRef!)).toHaveLength(1));
      return { orderId, authorizationId: providerRef! };
    }

    /** An event as PayPal makes it, about the resource as it stands at the provider now. */
    async function paypalEvent(type: string, resourceType: string, path: string): Promise<string> {
      const resource = await (await fetch(`${harness.simulator.url}/paypal/v2/${path}`)).json();
      return JSON.stringify({ id: `WH-${randomBytes(9).toString('hex').toUpperCase()}`, event_version: '1.0', create_time: new Date().toISOString(), resource_type: resourceType, event_type: type, resource });
    }

    it('captures a payment PayPal captured while our call timed out, found by its authorization, once however often the event comes', async () => {
      const { orderId, authorizationId } = await authorized();

      const capture = await harness.atProvider(`/paypal/v2/payments/authorizations/${authorizationId}/capture`, { final_capture: true });

      await app.eventually(async () => expect(await harness.statusOf(orderId)).toBe('CAPTURED'));
      // Refunds name the capture, as after our own capture call.
      expect(await harness.providerRefOf(orderId)).toBe(capture.id);
      await resendTwice(await recordedEventId(capture.id, 'PAYMENT.CAPTURE.COMPLETED'));
      expect(await harness.published(orderId, 'payments.payment.captured')).toBe(1);
      expect(await harness.recorded(capture.id)).toEqual([{ type: 'PAYMENT.CAPTURE.COMPLETED', outcome: 'captured' }]);
    });

    it('voids an authorization PayPal released, once when the event arrives twice at the same time', async () => {
      const { orderId, authorizationId } = await authorized();
      await harness.control('/control/webhooks/hold', {});
      await harness.atProvider(`/paypal/v2/payments/authorizations/${authorizationId}/void`);
      const payload = await paypalEvent('PAYMENT.AUTHORIZATION.VOIDED', 'authorization', `payments/authorizations/${authorizationId}`);

      const answers = await Promise.all([deliver(payload), deliver(payload)]);

      expect(answers.map(({ status }) => status)).toEqual([200, 200]);
      expect(answers.map(({ body }) => body.outcome).sort()).toEqual(['duplicate', 'voided']);
      expect(await harness.statusOf(orderId)).toBe('VOIDED');
      expect(await harness.published(orderId, 'payments.payment.voided')).toBe(1);
      await harness.control('/control/webhooks/release', {});
    });

    it('keeps a captured payment captured when the authorization event arrives after the capture event', async () => {
      await harness.control('/control/webhooks/hold', {});
      const { orderId, authorizationId } = await authorized(true);
      const capture = await harness.atProvider(`/paypal/v2/payments/authorizations/${authorizationId}/capture`, { final_capture: true });

      await harness.control('/control/webhooks/release', { order: 'reverse' });

      await app.eventually(async () => expect(await harness.recorded(authorizationId, capture.id)).toHaveLength(2));
      expect(await harness.recorded(authorizationId, capture.id)).toEqual([
        { type: 'PAYMENT.CAPTURE.COMPLETED', outcome: 'captured' },
        // Once captured, the payment's reference is the capture's: the authorization's id alone names no payment of ours.
        { type: 'PAYMENT.AUTHORIZATION.CREATED', outcome: 'unknown-payment' },
      ]);
      expect(await harness.statusOf(orderId)).toBe('CAPTURED');
      expect(await harness.published(orderId, 'payments.payment.captured')).toBe(1);
    });

    it('records a refund of the capture and changes nothing: refunds are recorded by our own calls', async () => {
      const { orderId, authorizationId } = await authorized();
      const capture = await harness.atProvider(`/paypal/v2/payments/authorizations/${authorizationId}/capture`, { final_capture: true });
      await app.eventually(async () => expect(await harness.statusOf(orderId)).toBe('CAPTURED'));

      const refund = await harness.atProvider(`/paypal/v2/payments/captures/${capture.id}/refund`, { amount: { currency_code: 'EUR', value: '5.00' } });

      await app.eventually(async () => expect(await harness.recorded(refund.id)).toEqual([{ type: 'PAYMENT.CAPTURE.REFUNDED', outcome: 'unchanged' }]));
      expect(await harness.statusOf(orderId)).toBe('CAPTURED');
    });

    describe('refuses, changing nothing', () => {
      let orderId: string;
      let captureId: string;
      let payload: string;

      beforeAll(async () => {
        let authorizationId: string;
        ({ orderId, authorizationId } = await authorized());
        await harness.control('/control/webhooks/hold', {});
        captureId = (await harness.atProvider(`/paypal/v2/payments/authorizations/${authorizationId}/capture`, { final_capture: true })).id;
        payload = await paypalEvent('PAYMENT.CAPTURE.COMPLETED', 'capture', `payments/captures/${captureId}`);
      });

      afterEach(async () => {
        expect(await harness.statusOf(orderId)).toBe('AUTHORIZED');
        expect(await harness.recorded(captureId)).toEqual([]);
      });

      afterAll(() => harness.control('/control/webhooks/release', {}));

      it('a signature made with another secret, for another webhook id, or of another body', async () => {
        expect(await refused(deliver(payload, signed(payload, undefined, { ...PAYPAL, secret: `${PAYPAL.secret}-not` })), 400)).toBe('the signature does not match the body');
        expect(await refused(deliver(payload, signed(payload, undefined, { ...PAYPAL, webhookId: 'WHOTHER' })), 400)).toBe('the signature does not match the body');
        await refused(deliver(payload, signed(payload.replace('COMPLETED', 'DENIED'))), 400);
      });

      it('a transmission older than the tolerance, or from the future', async () => {
        const stale = signed(payload, new Date(now() - 301_000).toISOString());
        expect(await refused(deliver(payload, stale), 400)).toBe('the transmission time is more than 300 s from now');
        await refused(deliver(payload, signed(payload, new Date(now() + 330_000).toISOString())), 400);
      });

      it('no transmission headers, malformed ones, or a signature by another algorithm', async () => {
        await refused(harness.deliver('paypal', payload, {}), 400);
        await refused(deliver(payload, { ...signed(payload), 'paypal-transmission-time': 'yesterday' }), 400);
        await refused(deliver(payload, { ...signed(payload), 'paypal-transmission-sig': 'x'.repeat(2000) }), 400);
        expect(await refused(deliver(payload, { ...signed(payload), 'paypal-auth-algo': 'SHA256withRSA' }), 400)).toBe('paypal-auth-algo must be HMACSHA256');
      });

      it('a body over 32 KiB before reading it, a body that is not JSON, and a signed body that is not an event', async () => {
        const padded = JSON.stringify({ ...JSON.parse(payload), padding: 'x'.repeat(33 * 1024) });
        await refused(deliver(padded), 413);
        await refused(deliver('{"id": "WH-1", '), 400);
        expect(await refused(deliver(JSON.stringify({ id: 'WH-1', resource: {} })), 400)).toBe('the body is not a paypal event');
      });
    });
  });

  describe('crypto', () => {
    const sign = (body: string, secret = CRYPTO.secret): Record<string, string> => ({ 'x-cc-webhook-signature': coinbaseSignature(secret, body) });
    const deliver = (body: string, headers = sign(body)) => harness.deliver('crypto', body, headers);

    /** A settled crypto payment, whose reference is its payment request; unless events are held, once its settlement is recorded. */
    async function authorized(held = false): Promise<{ orderId: string; requestId: string }> {
      const { orderId, status, providerRef } = await requestAuthorization(app, 1500, 'crypto');
      expect(status).toBe('AUTHORIZED');
      if (!held) {
        await app.eventually(async () => expect(await harness.recorded(providerRef!)).toEqual([{ type: 'payment_request.settled', outcome: 'unchanged' }]));
      }
      return { orderId, requestId: providerRef! };
    }

    /** A delivery as the crypto provider makes it, about the request as it stands at the provider now. */
    async function cryptoDelivery(type: string, requestId: string, scheduledFor = new Date()): Promise<string> {
      const data = await (await fetch(`${harness.simulator.url}/crypto/v1/payment_requests/${requestId}`)).json();
      const event = JSON.stringify({ id: randomUUID(), resource: 'event', type, api_version: '2018-03-22', created_at: new Date().toISOString(), data });
      return coinbaseDelivery(event, 1, scheduledFor);
    }

    const giveBack = (requestId: string, amount?: number): Promise<Json> =>
      harness.atProvider(`/crypto/v1/payment_requests/${requestId}/refunds`, { refund_address: REFUND_ADDRESS, ...(amount && { amount }) });

    it('voids a payment whose transfer the provider gave back in full while our call timed out, once however often the event comes', async () => {
      const { orderId, requestId } = await authorized();

      await giveBack(requestId);

      await app.eventually(async () => expect(await harness.statusOf(orderId)).toBe('VOIDED'));
      await resendTwice(await recordedEventId(requestId, 'payment_request.refunded'));
      expect(await harness.published(orderId, 'payments.payment.voided')).toBe(1);
      expect(await harness.recorded(requestId)).toEqual([
        { type: 'payment_request.settled', outcome: 'unchanged' },
        { type: 'payment_request.refunded', outcome: 'voided' },
      ]);
    });

    it('voids once when the same event arrives twice at the same time', async () => {
      const { orderId, requestId } = await authorized();
      await harness.control('/control/webhooks/hold', {});
      await giveBack(requestId);
      const body = await cryptoDelivery('payment_request.refunded', requestId);

      const answers = await Promise.all([deliver(body), deliver(body)]);

      expect(answers.map(({ status }) => status)).toEqual([200, 200]);
      expect(answers.map(({ body: answer }) => answer.outcome).sort()).toEqual(['duplicate', 'voided']);
      expect(await harness.published(orderId, 'payments.payment.voided')).toBe(1);
      await harness.control('/control/webhooks/release', {});
    });

    it('keeps a captured payment captured when its settlement arrives late, and a partial refund moves nothing', async () => {
      await harness.control('/control/webhooks/hold', {});
      const { orderId, requestId } = await authorized(true);
      await sendToPayments(app, new CapturePaymentV1({ orderId }), orderId);
      await app.eventually(async () => expect(await harness.statusOf(orderId)).toBe('CAPTURED'));

      await harness.control('/control/webhooks/release', {});
      await giveBack(requestId, 500 * 10_000);

      await app.eventually(async () =>
        expect(await harness.recorded(requestId)).toEqual([
          { type: 'payment_request.settled', outcome: 'unchanged' },
          { type: 'payment_request.refunded', outcome: 'unchanged' },
        ]),
      );
      expect(await harness.statusOf(orderId)).toBe('CAPTURED');
      expect(await harness.published(orderId, 'payments.payment.voided')).toBe(0);
    });

    describe('refuses, changing nothing', () => {
      let orderId: string;
      let requestId: string;
      let body: string;

      beforeAll(async () => {
        ({ orderId, requestId } = await authorized());
        await harness.control('/control/webhooks/hold', {});
        await giveBack(requestId);
        body = await cryptoDelivery('payment_request.refunded', requestId);
      });

      afterEach(async () => {
        expect(await harness.statusOf(orderId)).toBe('AUTHORIZED');
        expect(await harness.recorded(requestId)).toEqual([{ type: 'payment_request.settled', outcome: 'unchanged' }]);
      });

      afterAll(() => harness.control('/control/webhooks/release', {}));

      it('a signature made with another secret, or of another body', async () => {
        expect(await refused(deliver(body, sign(body, `${CRYPTO.secret}-not`)), 400)).toBe('the signature does not match the body');
        await refused(deliver(body, sign(body.replace('refunded', 'settled'))), 400);
      });

      it('a delivery scheduled longer ago than the tolerance, or ahead of it, signed as it is', async () => {
        const stale = await cryptoDelivery('payment_request.refunded', requestId, new Date(now() - 301_000));
        expect(await refused(deliver(stale), 400)).toBe("the delivery's scheduled_for is more than 300 s from now");
        await refused(deliver(await cryptoDelivery('payment_request.refunded', requestId, new Date(now() + 330_000))), 400);
      });

      it('no signature, or one of another shape', async () => {
        await refused(harness.deliver('crypto', body, {}), 400);
        await refused(deliver(body, { 'x-cc-webhook-signature': 'xyz' }), 400);
      });

      it('a body over 32 KiB before reading it, a body that is not JSON, and a signed body that is not an event', async () => {
        const padded = JSON.stringify({ ...JSON.parse(body), padding: 'x'.repeat(33 * 1024) });
        await refused(deliver(padded), 413);
        await refused(deliver('{"event": '), 400);
        const notAnEvent = JSON.stringify({ id: randomUUID(), scheduled_for: new Date().toISOString(), event: { id: 'evt_1' } });
        expect(await refused(deliver(notAnEvent), 400)).toBe('the body is not a crypto event');
      });
    });
  });
});
