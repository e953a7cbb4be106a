import { AuthorizePaymentV2, VoidPaymentV1 } from '../../libs/contracts/payments';
import { newId } from '../../libs/persistence';
import { asAdmin } from '../support/auth';
import { sql } from '../support/shop';
import { sealPaymentMethod } from '../support/payment-requests';
import { startTestApp, TestApp } from '../support/test-app';

describe('Payments: an authorization that arrives after the void', () => {
  let app: TestApp;

  beforeAll(async () => {
    // The provider takes long enough for the void to overtake it on a loaded machine, yet answers within the timeout.
    app = await startTestApp({ PAYMENT_LATENCY_MS: '3000', PAYMENT_TIMEOUT_MS: '10000' });
  });

  afterAll(async () => {
    await app?.close();
  });

  async function payment(orderId: string): Promise<Record<string, unknown>> {
    const { body } = await (await asAdmin(app)).get('/api/v1/payments').query({ orderId }).expect(200);
    expect(body.items).toHaveLength(1);
    return body.items[0];
  }

  it('keeps the payment voided and tells the order the late authorization was voided too', async () => {
    const orderId = newId();
    const { ref, expiresAt } = sealPaymentMethod(orderId, 'tok_visa');
    await app.publish(
      new AuthorizePaymentV2({
        orderId,
        customerId: 'cus_late',
        amount: { amount: 990, currency: 'EUR' },
        method: 'card',
        paymentMethodRef: ref,
        paymentMethodRefExpiresAt: expiresAt.toISOString(),
      }),
      orderId,
    );
    await app.eventually(async () => expect(await payment(orderId)).toMatchObject({ status: 'PENDING', attempts: 0 }));

    await app.publish(new VoidPaymentV1({ orderId }), orderId);
    await app.eventually(async () => expect(await payment(orderId)).toMatchObject({ status: 'VOIDED', attempts: 0 }));

    // The provider's approval lands on the voided payment.
    await app.eventually(async () => expect(await payment(orderId)).toMatchObject({ status: 'VOIDED', attempts: 1 }));
    const replies = await app.eventually(async () => {
      const rows = await sql(
        app,
        `SELECT type, envelope->'payload' AS payload FROM messaging.outbox
         WHERE aggregate_id = $1 AND type LIKE 'payments.payment.%ed' ORDER BY seq`,
        [orderId],
      );
      expect(rows).toHaveLength(2);
      return rows;
    });
    expect(replies).toEqual([
      { type: 'payments.payment.voided', payload: { orderId } },
      { type: 'payments.payment.voided', payload: { orderId } },
    ]);
  });
});
