import { newId } from '../../libs/persistence';
import { startTestApp, TestApp } from '../support/test-app';

const database = process.env.TEST_DATABASE_URL ? 'PostgreSQL server' : 'embedded PGlite';

const numberedKeys = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));

/**
 * Attributes, and whether `catalog.product` takes them: the domain's rules
 * (src/modules/catalog/domain/product.ts), with lengths in characters.
 */
const CASES: [string, unknown, boolean][] = [
  ['none', {}, true],
  ['a string, a number and a boolean', { colour: 'blue', litres: 0.3, dishwasher: true }, true],
  ['letters, digits, underscores and hyphens in a key', { 'Size_2-b': 'XL' }, true],
  ['a key of 64 characters', { ['k'.repeat(64)]: 1 }, true],
  ['a text of 500 characters, some of them two bytes long', { note: 'é'.repeat(500) }, true],
  ['50 keys', numberedKeys(50), true],
  ['an array instead of an object', ['blue'], false],
  ['a string instead of an object', 'blue', false],
  ['null instead of an object', null, false],
  ['51 keys', numberedKeys(51), false],
  ['an empty key', { '': 1 }, false],
  ['a key of 65 characters', { ['k'.repeat(65)]: 1 }, false],
  ['a space in a key', { 'glaze colour': 'blue' }, false],
  ['a letter outside A to Z in a key', { 'colör': 'blue' }, false],
  ['a line break ending a key', { 'colour\n': 'blue' }, false],
  ['a text of 501 characters', { note: 'é'.repeat(501) }, false],
  ['a null value', { colour: null }, false],
  ['an array value', { colours: ['blue'] }, false],
  ['an object value', { size: { width: 2 } }, false],
  ['a bad key after good ones', { ...numberedKeys(3), 'bad key': 1 }, false],
];

// The database's own check behind the domain's rules: writes that bypass the domain meet it too.
describe(`The attribute check of catalog.product (${database})`, () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Inserts a product with `attributes` straight into the table; answers its id. */
  async function insertWith(attributes: unknown): Promise<string> {
    const id = newId();
    await app.sql(
      `INSERT INTO catalog.product (id, sku, name, description, category, price_amount, currency, version, attributes)
       VALUES ($1, $2, 'Checked mug', '', 'kitchen', 900, 'EUR', 1, $3::jsonb)`,
      [id, `SKU-${id}`, JSON.stringify(attributes)],
    );
    return id;
  }

  it.each(CASES.map(([name, attributes, taken]) => [`${name}: ${taken ? 'taken' : 'refused'}`, attributes, taken] as const))(
    '%s',
    async (_, attributes, taken) => {
    if (taken) await expect(insertWith(attributes)).resolves.toBeDefined();
    else await expect(insertWith(attributes)).rejects.toThrow(/product_attributes_valid/);
    },
  );

  it('refuses an update to attributes that break a rule, and takes updates of other columns', async () => {
    const id = await insertWith({ colour: 'blue' });
    await expect(app.sql(`UPDATE catalog.product SET attributes = '{"colour": null}' WHERE id = $1`, [id])).rejects.toThrow(
      /product_attributes_valid/,
    );
    await app.sql(`UPDATE catalog.product SET indexing_status = 'indexed', indexed_at = now() WHERE id = $1`, [id]);
    expect(await app.sql('SELECT attributes, indexing_status FROM catalog.product WHERE id = $1', [id])).toEqual([
      { attributes: { colour: 'blue' }, indexing_status: 'indexed' },
    ]);
  });
});
