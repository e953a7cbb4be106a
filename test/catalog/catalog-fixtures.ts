import { newId } from '../../libs/persistence';
import { asAdmin } from '../support/auth';
import { TestApp } from '../support/test-app';

/** A word no other product of the run contains: letters only, so the text parser keeps it whole. */
export function uniqueWord(): string {
  const hex = newId().replace(/-/g, '').slice(-12);
  return `q${[...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('')}`;
}

export function newProduct(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sku: `SKU-${newId()}`,
    name: 'Canvas tote bag',
    description: 'Heavy cotton canvas, 10 l',
    category: 'bags',
    price: { amount: 1599, currency: 'EUR' },
    ...overrides,
  };
}

export function fieldsOf(body: { errors?: { field: string }[] }): string[] {
  return (body.errors ?? []).map((e) => e.field);
}

export interface Hit {
  id: string;
  name: string;
  category: string;
  price: { amount: number; currency: string };
  popularity: number;
  version: number;
  createdAt: string;
}

/** Every hit of a search, following nextCursor page by page. */
export async function allPages(app: TestApp, query: Record<string, string | number>): Promise<Hit[]> {
  const hits: Hit[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const { body } = await app
      .http()
      .get('/api/v1/products')
      .query({ ...query, ...(cursor ? { cursor } : {}) })
      .expect(200);
    hits.push(...body.items);
    cursor = body.nextCursor ?? undefined;
    if (!cursor) return hits;
  }
  throw new Error('more than 1000 pages');
}

export async function createProducts(app: TestApp, products: Record<string, unknown>[]): Promise<string[]> {
  const { body } = await (await asAdmin(app)).post('/api/v1/products/bulk').send({ products }).expect(201);
  return body.ids;
}

/** Resolves once search returns exactly `ids` (in any order) for the query. */
export async function searchable(app: TestApp, query: Record<string, string | number>, ids: string[]): Promise<Hit[]> {
  return app.eventually(async () => {
    const hits = await allPages(app, { limit: 100, ...query });
    expect(hits.map((h) => h.id).sort()).toEqual([...ids].sort());
    return hits;
  }, 30_000);
}
