import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, getJson, query, sendJson } from '../api';
import { TableHead } from '../components/table-head';
import { majorUnitsOf, minorUnitsOf, type Money, money } from '../format';

interface Hit {
  id: string;
  sku: string;
  name: string;
  category: string;
  price: Money;
  version: number;
}

interface SearchPage {
  items: Hit[];
  nextCursor: string | null;
  facets?: { total: number; categories: { value: string; count: number }[]; priceBuckets: { from: number; to: number | null; count: number }[] };
  degraded?: boolean;
}

interface Product extends Hit {
  indexing: { status: 'pending' | 'indexed' | 'failed'; error: string | null };
}

interface Stock {
  onHand: number;
  reserved: number;
  available: number;
}

interface Search {
  q: string;
  category: string;
}

/** What the search index takes, as GET /api/v1/products validates it. */
const MAX_QUERY_LENGTH = 200;
const MAX_ON_HAND = 1_000_000_000;
/** Search follows a change moments after it commits; this is how long the editor waits to see it. */
const INDEXING_WAIT_MS = 60_000;

function searchPath({ q, category }: Search): string {
  return `/api/v1/products${query({ q: q.trim(), category, facets: true, limit: 20 })}`;
}

function Facets({ page, search, onCategory }: { page: SearchPage; search: Search; onCategory: (category: string) => void }) {
  if (!page.facets) return null;
  const currency = page.items[0]?.price.currency ?? 'EUR';
  return (
    <aside className="facets" aria-labelledby="facets-heading">
      <h2 id="facets-heading">
        {page.facets.total} {page.facets.total === 1 ? 'product' : 'products'}
      </h2>
      <h3>Category</h3>
      <ul>
        {search.category !== '' && (
          <li>
            <button type="button" className="link" onClick={() => onCategory('')}>
              Any category
            </button>
          </li>
        )}
        {page.facets.categories.map(({ value, count }) => (
          <li key={value}>
            <button type="button" className="link" aria-pressed={search.category === value} onClick={() => onCategory(value)}>
              {value} ({count})
            </button>
          </li>
        ))}
      </ul>
      <h3>Price</h3>
      <ul>
        {page.facets.priceBuckets.map(({ from, to, count }) => (
          <li key={from}>
            {money({ amount: from, currency })}
            {to === null ? ' and more' : ` to ${money({ amount: to, currency })}`}: {count}
          </li>
        ))}
      </ul>
    </aside>
  );
}

/** Price and stock of one product; a saved price is followed until search shows it. */
function Editor({ productId, search, onSearched }: { productId: string; search: Search; onSearched: (page: SearchPage) => void }) {
  const [product, setProduct] = useState<Product>();
  const [stock, setStock] = useState<Stock | null>();
  const [price, setPrice] = useState('');
  const [onHand, setOnHand] = useState('');
  const [message, setMessage] = useState<{ text: string; failed: boolean }>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let active = true;
    void (async () => {
      try {
        const loaded = await getJson<Product>(`/api/v1/products/${productId}`);
        // A product never stocked has no stock record yet: 404 from inventory.
        const level = await getJson<Stock>(`/api/v1/inventory/${productId}`).catch((error: unknown) => {
          if (error instanceof ApiError && error.status === 404) return null;
          throw error;
        });
        if (!active) return;
        setProduct(loaded);
        setPrice(majorUnitsOf(loaded.price.amount, loaded.price.currency));
        setStock(level);
        setOnHand(level ? String(level.onHand) : '0');
        heading.current?.focus();
      } catch (error) {
        if (active) setMessage({ text: (error as Error).message, failed: true });
      }
    })();
    return () => {
      active = false;
    };
  }, [productId]);

  /** Until the index holds `version` and the search page shows it (search pages lag the index by up to a second). */
  const awaitSearch = async (version: number): Promise<void> => {
    const deadline = Date.now() + INDEXING_WAIT_MS;
    while (Date.now() < deadline) {
      const current = await getJson<Product>(`/api/v1/products/${productId}`);
      const { indexing } = current;
      if (indexing.status === 'failed') throw new Error(`indexing failed: ${indexing.error ?? 'no reason given'}`);
      if (indexing.status === 'indexed' && current.version >= version) {
        const page = await getJson<SearchPage>(searchPath(search));
        const hit = page.items.find((item) => item.id === productId);
        if (!hit || hit.version >= version) {
          setProduct(current);
          onSearched(page);
          return;
        }
      }
      await new Promise((resolve) => window.setTimeout(resolve, 1000));
    }
    throw new Error(`search did not show version ${version} within ${INDEXING_WAIT_MS / 1000} s`);
  };

  const savePrice = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const amount = minorUnitsOf(price, product!.price.currency);
    if (amount === undefined) {
      setMessage({ text: `The price must be an amount like ${majorUnitsOf(1999, product!.price.currency)}.`, failed: true });
      return;
    }
    setBusy(true);
    try {
      // If-Match: a change someone else made since this form loaded is not overwritten (412).
      const saved = await sendJson<Product>('PATCH', `/api/v1/products/${productId}`, { price: { amount, currency: product!.price.currency } }, {
        'if-match': `"${product!.version}"`,
      });
      setProduct(saved);
      setMessage({ text: `Saved ${money(saved.price)} (version ${saved.version}). Waiting for search to show it…`, failed: false });
      await awaitSearch(saved.version);
      setMessage({ text: `Search shows ${saved.name} at ${money(saved.price)}.`, failed: false });
    } catch (error) {
      const text = error instanceof ApiError && error.status === 412 ? 'Someone changed this product meanwhile: reopen it and try again.' : (error as Error).message;
      setMessage({ text, failed: true });
    } finally {
      setBusy(false);
    }
  };

  const saveStock = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    try {
      const level = await sendJson<Stock>('PUT', `/api/v1/inventory/${productId}`, { onHand: Number(onHand) });
      setStock(level);
      setMessage({ text: `Stock set: ${level.onHand} on hand, ${level.reserved} reserved, ${level.available} available.`, failed: false });
    } catch (error) {
      setMessage({ text: (error as Error).message, failed: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="editor" aria-labelledby="editor-heading">
      <h2 id="editor-heading" ref={heading} tabIndex={-1}>
        {product ? `Edit ${product.name}` : 'Loading product…'}
      </h2>
      {product && (
        <>
          <p className="muted mono">
            {product.sku} · version {product.version} · search: {product.indexing.status}
          </p>
          <form onSubmit={(event) => void savePrice(event)} className="inline-form">
            <label htmlFor="edit-price">Price ({product.price.currency})</label>
            <input id="edit-price" inputMode="decimal" required maxLength={13} value={price} onChange={(event) => setPrice(event.target.value)} />
            <button type="submit" disabled={busy}>
              Save price
            </button>
          </form>
          <form onSubmit={(event) => void saveStock(event)} className="inline-form">
            <label htmlFor="edit-stock">On hand</label>
            <input
              id="edit-stock"
              type="number"
              min={0}
              max={MAX_ON_HAND}
              step={1}
              required
              value={onHand}
              onChange={(event) => setOnHand(event.target.value)}
              aria-describedby="edit-stock-hint"
            />
            <button type="submit" disabled={busy}>
              Save stock
            </button>
            <small id="edit-stock-hint" className="muted">
              {stock ? `${stock.reserved} reserved, ${stock.available} available` : 'Never stocked'}
            </small>
          </form>
        </>
      )}
      <p role="status" className={message?.failed ? 'error' : 'success'}>
        {message?.text}
      </p>
    </section>
  );
}

/** Search with facets, and a product's price and stock edited in place. */
export function CatalogPage() {
  const [input, setInput] = useState<Search>({ q: '', category: '' });
  const [search, setSearch] = useState<Search>({ q: '', category: '' });
  const [page, setPage] = useState<SearchPage>();
  const [error, setError] = useState<string>();
  const [editing, setEditing] = useState<string>();

  useEffect(() => {
    let active = true;
    getJson<SearchPage>(searchPath(search)).then(
      (loaded) => {
        if (!active) return;
        setPage(loaded);
        setError(undefined);
      },
      (failed: Error) => {
        if (active) setError(failed.message);
      },
    );
    return () => {
      active = false;
    };
  }, [search]);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setSearch({ ...input });
  };
  const byCategory = (category: string): void => {
    setInput({ ...input, category });
    setSearch({ ...search, category });
  };

  return (
    <>
      <h1>Catalog</h1>
      <form className="filters" role="search" aria-label="Products" onSubmit={submit}>
        <div className="field">
          <label htmlFor="catalog-q">Words</label>
          <input id="catalog-q" type="search" maxLength={MAX_QUERY_LENGTH} value={input.q} onChange={(event) => setInput({ ...input, q: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="catalog-category">Category</label>
          <input id="catalog-category" maxLength={100} value={input.category} onChange={(event) => setInput({ ...input, category: event.target.value })} />
        </div>
        <button type="submit">Search</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {page?.degraded && <p className="notice">The search index failed: these results come from the catalog, without facets.</p>}
      {page && (
        <div className="catalog">
          <Facets page={page} search={search} onCategory={byCategory} />
          <div>
            {page.items.length === 0 ? (
              <p>No products match.</p>
            ) : (
              <div className="table-scroll">
                <table>
                  <caption className="visually-hidden">Products found</caption>
                  <TableHead columns={['Name', 'SKU', 'Category', { label: 'Price', numeric: true }, { label: 'Actions', visuallyHidden: true }]} />
                  <tbody>
                    {page.items.map((hit) => (
                      <tr key={hit.id} data-product-id={hit.id}>
                        <td>{hit.name}</td>
                        <td className="mono">{hit.sku}</td>
                        <td>{hit.category}</td>
                        <td className="number">{money(hit.price)}</td>
                        <td>
                          <button type="button" className="secondary" aria-label={`Edit ${hit.name}`} onClick={() => setEditing(hit.id)}>
                            Edit
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {editing && <Editor key={editing} productId={editing} search={search} onSearched={setPage} />}
          </div>
        </div>
      )}
    </>
  );
}
