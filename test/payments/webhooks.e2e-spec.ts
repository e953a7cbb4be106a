import { randomBytes } from 'node:crypto';
import { webhookSignature } from '../../src/simulators/providers/webhooks';
import { requestAuthorization } from '../support/payment-requests';
import { Json, startWebhookHarness, WebhookHarness } from '../support/provider-webhooks';
import { sql } from '../support/shop';
import { TestApp } from '../support/test-app';

const SECRET = `whsec_${randomBytes(24).toString('hex')}`;

/** The card provider's webhooks as the service receives them: signed, repeated, out of order, or forged. */
describe('Card provider webhooks', () => {
  let harness: WebhookHarness;
  let app: TestApp;
  const control = (path: string, body?: object): Promise<Json> => harness.control(path, body);
  const statusOf = (orderId: string): Promise<string> => harness.statusOf(orderId);
  const published = (orderId: string, type: string): Promise<number> => harness.published(orderId, type);
  const recorded = (intentId: string): Promise<{ type: string; outcome: string }[]> => harness.recorded(intentId);

  /** Calls the provider as someone other than payments would (or as its call that timed out did): the service is not told. */
  async function atProvider(intentId: string, operation: 'capture' | 'cancel'): Promise<void> {
    await harness.atProvider(`/card/v1/payment_intents/${intentId}/${operation}`);
  }

  /** An authorized payment; unless events are held, once the service has received the authorization's event. */
  async function authorized(held = false): Promise<{ orderId: string; intentId: string }> {
    const { orderId, status, providerRef } = await requestAuthorization(app);
    expect(status).toBe('AUTHORIZED');
    if (!held) {
      await app.eventually(async () => expect(await recorded(providerRef!)).toEqual([{ type: 'payment_intent.amount_capturable_updated', outcome: 'unchanged' }]));
    }
    return { orderId, intentId: providerRef! };
  }

  /** The simulator's event of `type` about the intent. */
  async function emitted(intentId: string, type: string): Promise<Json> {
    const intents = await sql<{ event_id: string }>(app, 'SELECT event_id FROM payments.webhook_event WHERE resource_id = $1 AND type = $2', [intentId, type]);
    expect(intents).toHaveLength(1);
    return (await control('/control/webhooks')).data.find((event: Json) => event.id === intents[0].event_id);
  }

  /** An event as the card provider makes it, about the intent as it stands at the provider now. */
  async function cardEvent(intentId: string, type: string): Promise<string> {
    const intent = await (await fetch(`${harness.simulator.url}/card/v1/payment_intents/${intentId}`)).json();
    const id = `evt_${randomBytes(12).toString('hex')}`;
    return JSON.stringify({ id, object: 'event', type, created: Math.floor(Date.now() / 1000), data: { object: intent } });
  }

  function deliver(payload: string, signature = webhookSignature(SECRET, payload, Math.floor(Date.now() / 1000)), provider = 'card') {
    return harness.deliver(provider, payload, { 'simulator-signature': signature });
  }

  beforeAll(async () => {
    harness = await startWebhookHarness({ card: { secret: SECRET } });
    ({ app } = harness);
  });

  afterAll(() => harness?.close());

  it('captures a payment the provider captured while our call timed out, once however often the event comes', async () => {
    const { orderId, intentId } = await authorized();

    await atProvider(intentId, 'capture');

    await app.eventually(async () => expect(await statusOf(orderId)).toBe('CAPTURED'));
    expect(await published(orderId, 'payments.payment.captured')).toBe(1);
    const event = await emitted(intentId, 'payment_intent.succeeded');
    const { data: sent } = await control('/control/webhooks/resend', { eventIds: [event.id, event.id] });
    const again = sent[sent.length - 1];
    expect(again.deliveries.map((delivery: Json) => delivery.status)).toEqual([200, 200, 200]);
    expect(await published(orderId, 'payments.payment.captured')).toBe(1);
    expect(await recorded(intentId)).toEqual([
      { type: 'payment_intent.amount_capturable_updated', outcome: 'unchanged' },
      { type: 'payment_intent.succeeded', outcome: 'captured' },
    ]);
  });

  it('voids an authorization the provider released, once when the event arrives twice at the same time', async () => {
    const { orderId, intentId } = await authorized();
    await control('/control/webhooks/hold', {});
    await atProvider(intentId, 'cancel');
    const payload = await cardEvent(intentId, 'payment_intent.canceled');

    const answers = await Promise.all([deliver(payload), deliver(payload)]);

    expect(answers.map(({ status }) => status)).toEqual([200, 200]);
    expect(answers.map(({ body }) => body.outcome).sort()).toEqual(['duplicate', 'voided']);
    expect(await statusOf(orderId)).toBe('VOIDED');
    expect(await published(orderId, 'payments.payment.voided')).toBe(1);
    await control('/control/webhooks/release', {});
  });

  it('keeps a captured payment captured when the authorization event arrives after the capture event', async () => {
    await control('/control/webhooks/hold', {});
    const { orderId, intentId } = await authorized(true);
    await atProvider(intentId, 'capture');

    await control('/control/webhooks/release', { order: 'reverse' });

    await app.eventually(async () => expect(await recorded(intentId)).toHaveLength(2));
    expect(await recorded(intentId)).toEqual([
      { type: 'payment_intent.succeeded', outcome: 'captured' },
      { type: 'payment_intent.amount_capturable_updated', outcome: 'unchanged' },
    ]);
    expect(await statusOf(orderId)).toBe('CAPTURED');
  });

  it('records and acknowledges an event about a payment it does not know', async () => {
    const intent: Json = await (
      await fetch(`${harness.simulator.url}/card/v1/payment_intents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `not-ours-${randomBytes(8).toString('hex')}` },
        body: JSON.stringify({ amount: 500, currency: 'eur', payment_method: 'tok_visa', capture_method: 'automatic' }),
      })
    ).json();

    await app.eventually(async () => expect(await recorded(intent.id)).toHaveLength(2));
    expect(await recorded(intent.id)).toEqual(
      expect.arrayContaining([
        { type: 'payment_intent.amount_capturable_updated', outcome: 'unknown-payment' },
        { type: 'payment_intent.succeeded', outcome: 'unknown-payment' },
      ]),
    );
  });

  it('records an event that moves no payment, such as a refund, and changes nothing', async () => {
    const { orderId, intentId } = await authorized();
    const refund = { id: `re_${randomBytes(8).toString('hex')}`, object: 'refund', amount: 1500, payment_intent: intentId };
    const payload = JSON.stringify({ id: `evt_${randomBytes(12).toString('hex')}`, object: 'event', type: 'refund.created', data: { object: refund } });

    const { body } = await deliver(payload).expect(200);

    expect(body.outcome).toBe('unchanged');
    expect(await recorded(refund.id)).toEqual([{ type: 'refund.created', outcome: 'unchanged' }]);
    expect(await statusOf(orderId)).toBe('AUTHORIZED');
  });

  describe('refuses, changing nothing', () => {
    let orderId: string;
    let intentId: string;
    let payload: string;

    beforeAll(async () => {
      ({ orderId, intentId } = await authorized());
      await control('/control/webhooks/hold', {});
      await atProvider(intentId, 'capture');
      payload = await cardEvent(intentId, 'payment_intent.succeeded');
    });

    afterEach(async () => {
      expect(await statusOf(orderId)).toBe('AUTHORIZED');
      expect(await recorded(intentId)).toEqual([{ type: 'payment_intent.amount_capturable_updated', outcome: 'unchanged' }]);
    });

    afterAll(() => control('/control/webhooks/release', {}));

    const now = (): number => Math.floor(Date.now() / 1000);

    it('a signature made with another secret', async () => {
      const { body } = await deliver(payload, webhookSignature(`${SECRET}-not`, payload, now())).expect(400);
      expect(body.detail).toBe('the signature does not match the body');
    });

    it('a signature of another body', async () => {
      await deliver(payload, webhookSignature(SECRET, payload.replace('succeeded', 'canceled'), now())).expect(400);
    });

    it('a signature older than the tolerance, or from the future', async () => {
      const { body } = await deliver(payload, webhookSignature(SECRET, payload, now() - 301)).expect(400);
      expect(body.detail).toBe("the signature's timestamp is more than 300 s from now");
      // Far enough ahead that the request's own time on a loaded machine does not bring it within the tolerance.
      await deliver(payload, webhookSignature(SECRET, payload, now() + 330)).expect(400);
    });

    it('no signature, or one of another shape', async () => {
      await harness.deliver('card', payload, {}).expect(400);
      await deliver(payload, `t=${now()}`).expect(400);
      await deliver(payload, `t=${now()},v1=xyz`).expect(400);
      await deliver(payload, 'x'.repeat(2000)).expect(400);
    });

    it('a body over 32 KiB, before reading it', async () => {
      const padded = JSON.stringify({ ...JSON.parse(payload), padding: 'x'.repeat(33 * 1024) });
      await deliver(padded).expect(413);
    });

    it('a signed body that is not an event', async () => {
      const { body } = await deliver(JSON.stringify({ id: 'evt_1', data: {} })).expect(400);
      expect(body.detail).toBe('the body is not a card event');
    });

    it('a provider without a webhook endpoint', async () => {
      await deliver(payload, undefined, 'paypal').expect(404);
      await deliver(payload, undefined, 'nope').expect(404);
    });
  });
});
