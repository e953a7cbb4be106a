import { CommandBus } from '@nestjs/cqrs';
import { DEMO_PRODUCTS } from '../../libs/demo';
import { newId } from '../../libs/persistence';
import { ReserveStockCommand } from '../../src/modules/inventory/application/reserve-stock/reserve-stock.command';
import { startTestApp, TestApp } from '../support/test-app';

describe('inventory HTTP API', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('creates stock with PUT and reads it back with GET', async () => {
    const productId = newId();
    const expected = { productId, onHand: 20, reserved: 0, available: 20 };

    const put = await app.http().put(`/api/v1/inventory/${productId}`).send({ onHand: 20 }).expect(200);
    expect(put.body).toEqual(expected);

    const get = await app.http().get(`/api/v1/inventory/${productId}`).expect(200);
    expect(get.body).toEqual(expected);
  });

  it('corrects the on-hand count of existing stock', async () => {
    const productId = newId();
    await app.http().put(`/api/v1/inventory/${productId}`).send({ onHand: 20 }).expect(200);

    await app.http().put(`/api/v1/inventory/${productId}`).send({ onHand: 0 }).expect(200);

    const { body } = await app.http().get(`/api/v1/inventory/${productId}`).expect(200);
    expect(body).toEqual({ productId, onHand: 0, reserved: 0, available: 0 });
  });

  it('answers 404 for a product that was never stocked', async () => {
    const response = await app.http().get(`/api/v1/inventory/${newId()}`).expect(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('does not stock the demo products unless asked to', async () => {
    await app.http().get(`/api/v1/inventory/${DEMO_PRODUCTS[0].productId}`).expect(404);
  });

  it.each([
    ['GET', 'get'],
    ['PUT', 'put'],
  ] as const)('%s names productId when it is not a UUID', async (_verb, method) => {
    const response = await app.http()[method]('/api/v1/inventory/not-a-uuid').send({ onHand: 1 }).expect(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual(['productId']);
  });

  it.each([
    ['negative', { onHand: -1 }, 'onHand'],
    ['fractional', { onHand: 1.5 }, 'onHand'],
    ['a string', { onHand: '10' }, 'onHand'],
    ['above the maximum', { onHand: 1_000_000_001 }, 'onHand'],
    ['missing', {}, 'onHand'],
    ['sent with an unknown field', { onHand: 1, reserved: 0 }, 'reserved'],
  ])('rejects a body whose onHand is %s with 400 naming the field', async (_case, body, field) => {
    const productId = newId();
    const response = await app.http().put(`/api/v1/inventory/${productId}`).send(body).expect(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    await app.http().get(`/api/v1/inventory/${productId}`).expect(404);
  });

  it('accepts the maximum on-hand count', async () => {
    await app.http().put(`/api/v1/inventory/${newId()}`).send({ onHand: 1_000_000_000 }).expect(200);
  });

  it('refuses with 409 to set on-hand below the reserved units, and allows exactly the reserved units', async () => {
    const productId = newId();
    await app.http().put(`/api/v1/inventory/${productId}`).send({ onHand: 10 }).expect(200);
    await app.nest.get(CommandBus).execute(new ReserveStockCommand(newId(), [{ productId, quantity: 4 }]));

    const conflict = await app.http().put(`/api/v1/inventory/${productId}`).send({ onHand: 3 }).expect(409);
    expect(conflict.headers['content-type']).toContain('application/problem+json');
    expect(conflict.body.detail).toContain('4 units reserved');

    const { body } = await app.http().put(`/api/v1/inventory/${productId}`).send({ onHand: 4 }).expect(200);
    expect(body).toEqual({ productId, onHand: 4, reserved: 4, available: 0 });
  });
});
