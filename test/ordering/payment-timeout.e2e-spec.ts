import { drained, finalOrder, paymentOf, placeOrder, stockedProduct, stockOf } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';

describe('A payment provider that never answers', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ SAGA_DEADLINE_MS: '3000', PAYMENT_TIMEOUT_MS: '500' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('counts a payment that never answers as a rejection at the saga deadline and voids it', async () => {
    const productId = await stockedProduct(app, 5);
    const orderId = await placeOrder(app, [{ productId, quantity: 1 }], 'tok_timeout');
    const order = await finalOrder(app, orderId);
    await drained(app);
    expect(order.status).toBe('ROLLED_BACK');
    expect(order.reasons).toEqual(['payment: no reply within 3000 ms']);
    expect((await paymentOf(app, orderId)).status).toBe('VOIDED');
    expect(await stockOf(app, productId)).toEqual({ productId, onHand: 5, reserved: 0, available: 5 });
  });
});
