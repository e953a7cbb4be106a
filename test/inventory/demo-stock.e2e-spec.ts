import { DEMO_PRODUCTS } from '../../libs/demo';
import { startTestApp, TestApp } from '../support/test-app';

describe('inventory demo stock', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ SEED_DEMO: 'true' });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('stocks every demo product in an empty database', async () => {
    for (const product of DEMO_PRODUCTS) {
      const { body } = await app.http().get(`/api/v1/inventory/${product.productId}`).expect(200);
      expect(body).toEqual({ productId: product.productId, onHand: product.onHand, reserved: 0, available: product.onHand });
    }
  });
});
