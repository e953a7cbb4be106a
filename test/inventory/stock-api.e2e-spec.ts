import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ProductUpdatedV1 } from '../../libs/contracts/catalog';
import { DEMO_PRODUCTS } from '../../libs/demo';
import { UnitOfWork } from '../../libs/messaging';
import { newId } from '../../libs/persistence';
import { InventoryProducts1767000000900 } from '../../migrations/1767000000900-inventory-products';
import { ReserveStockCommand } from '../../src/modules/inventory/application/reserve-stock/reserve-stock.command';
import { asAdmin, newCustomer } from '../support/auth';
import { catalogProduct, setStockOnceKnown, sql, stockedProduct } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import { HttpRoutes } from '../support/test-env';

describe('inventory HTTP API', () => {
  let app: TestApp;
  let staff: HttpRoutes;

  beforeAll(async () => {
    app = await startTestApp();
    staff = await asAdmin(app);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('creates stock with PUT for a product the catalog created, and reads it back with GET', async () => {
    const productId = await catalogProduct(app);
    const expected = { productId, onHand: 20, reserved: 0, available: 20 };

    expect(await setStockOnceKnown(app, productId, 20)).toEqual(expected);

    const get = await app.http().get(`/api/v1/inventory/${productId}`).expect(200);
    expect(get.body).toEqual(expected);
  });

  it('refuses with 404 to stock a product the catalog never had, and stocks nothing', async () => {
    const productId = newId();

    const response = await staff.put(`/api/v1/inventory/${productId}`).send({ onHand: 20 }).expect(404);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, detail: `the catalog has no product ${productId}` });
    await app.http().get(`/api/v1/inventory/${productId}`).expect(404);
    expect(await sql(app, 'SELECT 1 FROM inventory.stock WHERE product_id = $1', [productId])).toEqual([]);
  });

  it('learns of a product from its catalog update too', async () => {
    const productId = newId();
    const update = new ProductUpdatedV1({
      productId,
      sku: `SKU-${productId}`,
      name: 'Made before inventory recorded products',
      category: 'test',
      price: { amount: 500, currency: 'EUR' },
      version: 2,
    });
    await staff.put(`/api/v1/inventory/${productId}`).send({ onHand: 3 }).expect(404);

    await app.nest.get(UnitOfWork).run((tx) => Promise.resolve(tx.publish(update, productId)));

    expect(await setStockOnceKnown(app, productId, 3)).toEqual({ productId, onHand: 3, reserved: 0, available: 3 });
  });

  it('corrects the on-hand count of existing stock', async () => {
    const productId = await stockedProduct(app, 20);

    await staff.put(`/api/v1/inventory/${productId}`).send({ onHand: 0 }).expect(200);

    const { body } = await app.http().get(`/api/v1/inventory/${productId}`).expect(200);
    expect(body).toEqual({ productId, onHand: 0, reserved: 0, available: 0 });
  });

  it('lets only a caller with inventory:write set stock, which anyone may read', async () => {
    const productId = await stockedProduct(app, 20);
    const customer = await newCustomer(app);

    await app.http().put(`/api/v1/inventory/${productId}`).send({ onHand: 0 }).expect(401);
    await customer.http().put(`/api/v1/inventory/${productId}`).send({ onHand: 0 }).expect(403);

    const { body } = await customer.http().get(`/api/v1/inventory/${productId}`).expect(200);
    expect(body).toEqual({ productId, onHand: 20, reserved: 0, available: 20 });
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
    const response = await staff[method]('/api/v1/inventory/not-a-uuid').send({ onHand: 1 }).expect(400);
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
    const response = await staff.put(`/api/v1/inventory/${productId}`).send(body).expect(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    await app.http().get(`/api/v1/inventory/${productId}`).expect(404);
  });

  it('accepts the maximum on-hand count', async () => {
    const productId = await catalogProduct(app);
    expect(await setStockOnceKnown(app, productId, 1_000_000_000)).toMatchObject({ onHand: 1_000_000_000 });
  });

  it('refuses with 409 to set on-hand below the reserved units, and allows exactly the reserved units', async () => {
    const productId = await stockedProduct(app, 10);
    await app.nest.get(CommandBus).execute(new ReserveStockCommand(newId(), [{ productId, quantity: 4 }]));

    const conflict = await staff.put(`/api/v1/inventory/${productId}`).send({ onHand: 3 }).expect(409);
    expect(conflict.headers['content-type']).toContain('application/problem+json');
    expect(conflict.body.detail).toContain('4 units reserved');

    const { body } = await staff.put(`/api/v1/inventory/${productId}`).send({ onHand: 4 }).expect(200);
    expect(body).toEqual({ productId, onHand: 4, reserved: 4, available: 0 });
  });

  // Last: it takes the table of known products down and up again, as on an upgraded database.
  it('knows, after the upgrade that added the record of products, every product that had stock', async () => {
    const stockedBefore = newId();
    const migration = new InventoryProducts1767000000900();
    const queryRunner = app.nest.get(DataSource).createQueryRunner();
    try {
      await migration.down(queryRunner);
      await queryRunner.query('INSERT INTO inventory.stock (product_id, on_hand) VALUES ($1, 7)', [stockedBefore]);
      await migration.up(queryRunner);
    } finally {
      await queryRunner.release();
    }

    const { body } = await staff.put(`/api/v1/inventory/${stockedBefore}`).send({ onHand: 9 }).expect(200);
    expect(body).toEqual({ productId: stockedBefore, onHand: 9, reserved: 0, available: 9 });
    await staff.put(`/api/v1/inventory/${newId()}`).send({ onHand: 9 }).expect(404);
  });
});
