import { newId } from '../../libs/persistence';
import { coinbaseDelivery, coinbaseSignature, paypalTransmissionHeaders, webhookSignature } from '../../src/simulators/providers/webhooks';
import { TEST_ENV } from '../support/test-env';
import type { SignedMessage } from '../support/wallet';
import { ProxiedRequest } from './prism-proxy';

/** Who sends a request: the bearer of one of the fixtures' access tokens, or nobody. */
export type Caller = 'admin' | 'customer' | 'otherCustomer' | 'client' | 'forger' | 'nobody';

/** What the cases act on, made through the API before they run. */
export interface Fixtures {
  /** In the catalog, stocked, known to ordering. */
  productId: string;
  /** In the catalog, for the archive case. */
  archivableId: string;
  /** Confirmed, with its payment and notification; placed by the customer. */
  orderId: string;
  /** The order's payment, captured. */
  paymentId: string;
  /** The order's confirmation notification. */
  notificationId: string;
  customerId: string;
  /** Not replayed yet. */
  deadLetterId: string;
  /** The token id of an order receipt recorded as minted. */
  receiptTokenId: string;
  /**
   * Access tokens: the admin's (of TEST_ENV), the customer's, another customer's, a machine
   * client's granted only `metrics:read`, and the admin's claims signed by a key not identity's.
   */
  tokens: Record<Exclude<Caller, 'nobody'>, string>;
  /** The customer's credentials. */
  login: { email: string; password: string };
  /** Refresh tokens of two sessions of the customer, not used yet. */
  refreshTokens: [string, string];
  /** The machine client of `tokens.client`. */
  client: { id: string; secret: string };
  /** A machine client to revoke. */
  revocableClientId: string;
  /** A customer whose roles the admin sets. */
  userId: string;
  /** Wallet sign-in messages (EIP-4361), signed, each with a nonce of its own, unused yet. */
  wallets: {
    /** By a wallet no account has. */
    signIn: SignedMessage;
    /** By a wallet no account has, for the customer to link. */
    link: SignedMessage;
    /** By the wallet linked to the other customer's account. */
    ofAnotherAccount: SignedMessage;
    /** Of the wallet linked to the customer's account. */
    linkedAddress: string;
  };
}

export interface InvalidCase {
  name: string;
  request: ProxiedRequest;
  status: number;
  /** The field the problem's errors[] must name. */
  field?: string;
  /** Why the document cannot state the rule, so Prism passes the request: absent when it can. */
  beyondSchema?: string;
  /** Prism answers malformed JSON itself without forwarding: the request goes to the app. */
  direct?: true;
  /** Who sends it, when not the operation's caller. */
  caller?: Caller;
}

/** A request sent by its operation's caller, unless it names another. */
export interface CaseRequest extends ProxiedRequest {
  caller?: Caller;
}

/** An operation's requests: valid ones, answered with a documented 2xx, and invalid ones. */
interface Requests {
  valid: CaseRequest[];
  invalid: InvalidCase[];
}

export interface OperationCases extends Requests {
  /** Who sends its requests: `nobody` for a public operation. */
  caller: Caller;
  /** For a protected operation, a caller whose token lacks every permission it accepts. */
  forbidden?: Caller;
}

/** A UUID of the wrong variant: accepted by `format: uuid` alone, rejected by the server. */
const NON_RFC_UUID = '0190a000-0000-7000-0000-000000000001';

function badIds(method: string, pathOf: (id: string) => string, field: string, body?: unknown): InvalidCase[] {
  return [
    { name: 'an id that is not a UUID', request: { method, path: pathOf('42'), body }, status: 400, field },
    { name: 'a UUID of a non-RFC variant', request: { method, path: pathOf(NON_RFC_UUID), body }, status: 400, field },
  ];
}

function unknownId(method: string, pathOf: (id: string) => string, body?: unknown): InvalidCase {
  return {
    name: 'an id nothing has',
    request: { method, path: pathOf(newId()), body },
    status: 404,
    beyondSchema: 'existence is state, not shape',
  };
}

/** A read by id: of something that exists, then with ids that are malformed or unknown. */
function readById(pathOf: (id: string) => string, id: string, field = 'id'): Requests {
  return { valid: [{ method: 'get', path: pathOf(id) }], invalid: [...badIds('get', pathOf, field), unknownId('get', pathOf)] };
}

/** A read of the customer's order: also by an admin; another customer finds nothing there. */
function ownOrder(pathOf: (id: string) => string, orderId: string): OperationCases {
  const { valid, invalid } = readById(pathOf, orderId);
  return {
    caller: 'customer',
    forbidden: 'client',
    valid: [...valid, { ...valid[0], caller: 'admin' }],
    invalid: [
      ...invalid,
      {
        name: "another customer's order",
        request: valid[0],
        caller: 'otherCustomer',
        status: 404,
        beyondSchema: 'whose order it is, is state',
      },
    ],
  };
}

/** Cases every route that takes a JSON body shares. */
function bodyFormat(method: string, path: string): InvalidCase[] {
  return [
    { name: 'malformed JSON', request: { method, path, raw: '{"sku": ' }, status: 400, direct: true },
    { name: 'an XML body', request: { method, path, raw: '<stock/>', contentType: 'application/xml' }, status: 415 },
    { name: 'a plain-text body', request: { method, path, raw: 'onHand=1', contentType: 'text/plain' }, status: 415 },
  ];
}

function query(params: Record<string, string | number | boolean>): string {
  return new URLSearchParams(Object.entries(params).map(([key, value]): [string, string] => [key, String(value)])).toString();
}

function newProduct(sku = `SKU-${newId()}`): Record<string, unknown> {
  return {
    sku,
    name: 'Contract tee',
    description: 'Made by the contract test',
    category: 'contract',
    price: { amount: 1999, currency: 'EUR' },
    popularity: 3,
    attributes: { color: 'black', organic: true },
  };
}

const order = (productId: string): Record<string, unknown> => ({
  items: [{ productId, quantity: 1 }],
  payment: { method: 'card', token: 'tok_visa' },
});

function sentBy({ caller, ...request }: CaseRequest, fallback: Caller, tokens: Fixtures['tokens']): ProxiedRequest {
  const by = caller ?? fallback;
  return by === 'nobody' ? request : { ...request, headers: { authorization: `Bearer ${tokens[by]}`, ...request.headers } };
}

/**
 * The cases as sent: each request with its caller's token, and for a protected operation the
 * refusals of its policy, made of its first valid request: without a token and with a forged one
 * (401), and by a caller without the permission (403).
 */
export function asSent(cases: OperationCases, tokens: Fixtures['tokens']): { valid: ProxiedRequest[]; invalid: InvalidCase[] } {
  const { caller, forbidden, valid, invalid } = cases;
  const [request] = valid;
  const refusals: InvalidCase[] =
    caller === 'nobody'
      ? []
      : [
          { name: 'no access token', request, caller: 'nobody', status: 401 },
          { name: 'a token signed by another key', request, caller: 'forger', status: 401, beyondSchema: 'a signature is not shape' },
          ...(forbidden === undefined
            ? []
            : [{ name: `a token of ${forbidden}`, request, caller: forbidden, status: 403, beyondSchema: 'the permissions are inside the token' }]),
        ];
  return {
    valid: valid.map((request) => sentBy(request, caller, tokens)),
    invalid: [...invalid, ...refusals].map((refused) => ({ ...refused, request: sentBy({ ...refused.request, caller: refused.caller }, caller, tokens) })),
  };
}

/** Keyed by `<method> <path>` as in the document: an operation without cases fails the suite. */
export const CONTRACT_CASES: Record<string, (f: Fixtures) => OperationCases> = {
  'get /health/live': () => ({ caller: 'nobody', valid: [{ method: 'get', path: '/health/live' }], invalid: [] }),
  'get /health/ready': () => ({ caller: 'nobody', valid: [{ method: 'get', path: '/health/ready' }], invalid: [] }),
  'get /metrics': () => ({ caller: 'nobody', valid: [{ method: 'get', path: '/metrics' }], invalid: [] }),

  'get /api/v1/admin/dead-letters': () => {
    const list = (params: Record<string, string | number>): ProxiedRequest => ({
      method: 'get',
      path: `/api/v1/admin/dead-letters?${query(params)}`,
    });
    return {
      caller: 'admin',
      forbidden: 'customer',
      valid: [list({ includeReplayed: 'true', limit: 10 }), list({})],
      invalid: [
        { name: 'limit 0', request: list({ limit: 0 }), status: 400, field: 'limit' },
        { name: 'limit 501', request: list({ limit: 501 }), status: 400, field: 'limit' },
        { name: 'a fractional limit', request: list({ limit: 2.5 }), status: 400, field: 'limit' },
        { name: 'includeReplayed not a boolean', request: list({ includeReplayed: 'yes' }), status: 400, field: 'includeReplayed' },
      ],
    };
  },

  'post /api/v1/admin/dead-letters/{id}/replay': (f) => {
    const replay = (id: string): string => `/api/v1/admin/dead-letters/${id}/replay`;
    return {
      caller: 'admin',
      forbidden: 'customer',
      valid: [{ method: 'post', path: replay(f.deadLetterId) }],
      invalid: [
        ...badIds('post', replay, 'id'),
        unknownId('post', replay),
        {
          name: 'a letter replayed already',
          request: { method: 'post', path: replay(f.deadLetterId) },
          status: 409,
          beyondSchema: 'replayed is state, not shape',
        },
      ],
    };
  },

  'post /api/v1/products': () => {
    const create = (body: unknown): ProxiedRequest => ({ method: 'post', path: '/api/v1/products', body });
    const taken = newProduct();
    return {
      caller: 'admin',
      forbidden: 'customer',
      valid: [create(taken), create({ ...newProduct(), popularity: undefined, attributes: undefined })],
      invalid: [
        { name: 'an unknown field', request: create({ ...newProduct(), colour: 'red' }), status: 400, field: 'colour' },
        {
          name: 'an unknown field inside price',
          request: create({ ...newProduct(), price: { amount: 1, currency: 'EUR', tax: 0 } }),
          status: 400,
          field: 'price.tax',
        },
        {
          name: 'a fractional amount',
          request: create({ ...newProduct(), price: { amount: 19.99, currency: 'EUR' } }),
          status: 400,
          field: 'price.amount',
        },
        {
          name: 'an amount above 10^12',
          request: create({ ...newProduct(), price: { amount: 1e12 + 1, currency: 'EUR' } }),
          status: 400,
          field: 'price.amount',
        },
        { name: 'a lower-case currency', request: create({ ...newProduct(), price: { amount: 1, currency: 'eur' } }), status: 400, field: 'price.currency' },
        { name: 'a negative popularity', request: create({ ...newProduct(), popularity: -1 }), status: 400, field: 'popularity' },
        { name: 'a fractional popularity', request: create({ ...newProduct(), popularity: 1.5 }), status: 400, field: 'popularity' },
        { name: 'a sku with a space', request: create(newProduct('TEE BLK')), status: 400, field: 'sku' },
        { name: 'a name that is a number', request: create({ ...newProduct(), name: 42 }), status: 400, field: 'name' },
        { name: 'no name', request: create({ ...newProduct(), name: undefined }), status: 400, field: 'name' },
        ...bodyFormat('post', '/api/v1/products'),
        { name: 'a taken sku', request: create(taken), status: 409, beyondSchema: 'uniqueness is state, not shape' },
      ],
    };
  },

  'get /api/v1/products': () => {
    const search = (params: Record<string, string | number | boolean>): ProxiedRequest => ({
      method: 'get',
      path: `/api/v1/products?${query(params)}`,
    });
    return {
      caller: 'nobody',
      valid: [
        search({ q: 'contract', facets: true, limit: 5, minPrice: 0, maxPrice: 100_000, sort: 'price_asc' }),
        search({ category: 'contract' }),
      ],
      invalid: [
        { name: 'limit 0', request: search({ limit: 0 }), status: 400, field: 'limit' },
        { name: 'a fractional limit', request: search({ limit: 2.5 }), status: 400, field: 'limit' },
        { name: 'minPrice above 10^12', request: search({ minPrice: 1e12 + 1 }), status: 400, field: 'minPrice' },
        { name: 'a negative maxPrice', request: search({ maxPrice: -1 }), status: 400, field: 'maxPrice' },
        { name: 'a price that is not a number', request: search({ minPrice: 'cheap' }), status: 400, field: 'minPrice' },
        { name: 'an unknown sort', request: search({ sort: 'cheapest' }), status: 400, field: 'sort' },
        { name: 'a q of 201 characters', request: search({ q: 'a'.repeat(201) }), status: 400, field: 'q' },
        { name: 'facets not a boolean', request: search({ facets: 'yes' }), status: 400, field: 'facets' },
        {
          name: 'minPrice above maxPrice',
          request: search({ minPrice: 10, maxPrice: 5 }),
          status: 400,
          field: 'minPrice',
          beyondSchema: 'a rule across two parameters',
        },
        {
          name: 'a forged cursor',
          request: search({ cursor: 'not-a-cursor' }),
          status: 400,
          field: 'cursor',
          beyondSchema: 'cursors are opaque',
        },
        {
          name: 'an unknown parameter',
          request: search({ colour: 'red' }),
          status: 400,
          field: 'colour',
          beyondSchema: 'OpenAPI 3.0 cannot close the set of query parameters',
        },
      ],
    };
  },

  'post /api/v1/products/bulk': () => {
    const bulk = (body: unknown): ProxiedRequest => ({ method: 'post', path: '/api/v1/products/bulk', body });
    return {
      caller: 'admin',
      forbidden: 'customer',
      valid: [bulk({ products: [newProduct(), newProduct()] })],
      invalid: [
        { name: 'no products', request: bulk({ products: [] }), status: 400, field: 'products' },
        { name: 'an unknown field', request: bulk({ products: [newProduct()], dryRun: true }), status: 400, field: 'dryRun' },
        {
          name: 'an unknown field in a product',
          request: bulk({ products: [newProduct(), { ...newProduct(), colour: 'red' }] }),
          status: 400,
          field: 'products[1].colour',
        },
        {
          name: 'a fractional amount in a product',
          request: bulk({ products: [{ ...newProduct(), price: { amount: 0.5, currency: 'EUR' } }] }),
          status: 400,
          field: 'products[0].price.amount',
        },
        ...bodyFormat('post', '/api/v1/products/bulk'),
      ],
    };
  },

  'get /api/v1/products/{id}': (f) => ({ caller: 'nobody', ...readById((id) => `/api/v1/products/${id}`, f.productId) }),

  'patch /api/v1/products/{id}': (f) => {
    const patch = (body: unknown, headers?: Record<string, string>): ProxiedRequest => ({
      method: 'patch',
      path: `/api/v1/products/${f.productId}`,
      body,
      headers,
    });
    return {
      caller: 'admin',
      forbidden: 'customer',
      valid: [patch({ popularity: 7 }), patch({ name: 'Contract tee, renamed' }, { 'if-match': '*' })],
      invalid: [
        ...badIds('patch', (id) => `/api/v1/products/${id}`, 'id', { popularity: 1 }),
        { name: 'an unknown field', request: patch({ colour: 'red' }), status: 400, field: 'colour' },
        { name: 'a fractional popularity', request: patch({ popularity: 1.5 }), status: 400, field: 'popularity' },
        { name: 'a null name', request: patch({ name: null }), status: 400, field: 'name' },
        { name: 'a version that is a string', request: patch({ name: 'x', version: '3' }), status: 400, field: 'version' },
        { name: 'a weak If-Match', request: patch({ name: 'x' }, { 'if-match': 'W/"1"' }), status: 400, field: 'If-Match' },
        {
          name: 'a stale If-Match',
          request: patch({ name: 'x' }, { 'if-match': '"999"' }),
          status: 412,
          beyondSchema: 'the current version is state',
        },
        {
          name: 'no field to change',
          request: patch({}),
          status: 400,
          field: 'body',
          beyondSchema: 'at least one field besides version',
        },
        unknownId('patch', (id) => `/api/v1/products/${id}`, { name: 'x' }),
        ...bodyFormat('patch', `/api/v1/products/${f.productId}`),
      ],
    };
  },

  'post /api/v1/products/{id}/archive': (f) => {
    const archive = (id: string): string => `/api/v1/products/${id}/archive`;
    return {
      caller: 'admin',
      forbidden: 'customer',
      valid: [{ method: 'post', path: archive(f.archivableId), headers: { 'if-match': '"1"' } }],
      invalid: [
        ...badIds('post', archive, 'id'),
        {
          name: 'a list in If-Match',
          request: { method: 'post', path: archive(f.archivableId), headers: { 'if-match': '"1", "2"' } },
          status: 400,
          field: 'If-Match',
        },
        {
          name: 'a stale If-Match',
          request: { method: 'post', path: archive(f.productId), headers: { 'if-match': '"999"' } },
          status: 412,
          beyondSchema: 'the current version is state',
        },
        unknownId('post', archive),
      ],
    };
  },

  'put /api/v1/inventory/{productId}': (f) => {
    const put = (body: unknown): ProxiedRequest => ({ method: 'put', path: `/api/v1/inventory/${f.productId}`, body });
    return {
      caller: 'admin',
      forbidden: 'customer',
      valid: [put({ onHand: 60 })],
      invalid: [
        ...badIds('put', (id) => `/api/v1/inventory/${id}`, 'productId', { onHand: 1 }),
        { name: 'a fractional onHand', request: put({ onHand: 1.5 }), status: 400, field: 'onHand' },
        { name: 'a negative onHand', request: put({ onHand: -1 }), status: 400, field: 'onHand' },
        { name: 'onHand above the maximum', request: put({ onHand: 1_000_000_001 }), status: 400, field: 'onHand' },
        { name: 'onHand as a string', request: put({ onHand: '10' }), status: 400, field: 'onHand' },
        { name: 'no onHand', request: put({}), status: 400, field: 'onHand' },
        { name: 'an unknown field', request: put({ onHand: 1, reserved: 0 }), status: 400, field: 'reserved' },
        unknownId('put', (id) => `/api/v1/inventory/${id}`, { onHand: 1 }),
        ...bodyFormat('put', `/api/v1/inventory/${f.productId}`),
      ],
    };
  },

  'get /api/v1/inventory/{productId}': (f) => ({ caller: 'nobody', ...readById((id) => `/api/v1/inventory/${id}`, f.productId, 'productId') }),

  'post /api/v1/orders': (f) => {
    const place = (body: unknown): ProxiedRequest => ({ method: 'post', path: '/api/v1/orders', body });
    const valid = order(f.productId);
    const withItem = (item: Record<string, unknown>): unknown => ({ ...valid, items: [{ productId: f.productId, quantity: 1, ...item }] });
    return {
      caller: 'customer',
      // Staff and admins see every order; only customers place them.
      forbidden: 'admin',
      valid: [place(valid)],
      invalid: [
        { name: 'a fractional quantity', request: place(withItem({ quantity: 1.5 })), status: 400, field: 'items[0].quantity' },
        { name: 'quantity 0', request: place(withItem({ quantity: 0 })), status: 400, field: 'items[0].quantity' },
        { name: 'quantity 1001', request: place(withItem({ quantity: 1001 })), status: 400, field: 'items[0].quantity' },
        { name: 'a non-RFC product id', request: place(withItem({ productId: NON_RFC_UUID })), status: 400, field: 'items[0].productId' },
        { name: 'an unknown field in an item', request: place(withItem({ note: 'gift' })), status: 400, field: 'items[0].note' },
        { name: 'an unknown field', request: place({ ...valid, coupon: 'FREE' }), status: 400, field: 'coupon' },
        { name: 'no payment', request: place({ ...valid, payment: undefined }), status: 400, field: 'payment' },
        {
          name: 'an unknown payment method',
          request: place({ ...valid, payment: { method: 'cash', token: 'tok_visa' } }),
          status: 400,
          field: 'payment.method',
        },
        { name: 'an empty token', request: place({ ...valid, payment: { method: 'card', token: '' } }), status: 400, field: 'payment.token' },
        { name: 'a customerId: the caller is the customer', request: place({ ...valid, customerId: f.customerId }), status: 400, field: 'customerId' },
        { name: 'no items', request: place({ ...valid, items: [] }), status: 400, field: 'items' },
        { name: 'items that are not a list', request: place({ ...valid, items: 'all' }), status: 400, field: 'items' },
        {
          name: 'a product the catalog does not have',
          request: place(withItem({ productId: newId() })),
          status: 400,
          field: 'items[0].productId',
          beyondSchema: 'the catalog is state',
        },
        ...bodyFormat('post', '/api/v1/orders'),
      ],
    };
  },

  'get /api/v1/orders': (f) => {
    const list = (params: Record<string, string | number>): ProxiedRequest => ({ method: 'get', path: `/api/v1/orders?${query(params)}` });
    return {
      caller: 'customer',
      forbidden: 'client',
      valid: [list({ customerId: f.customerId, status: 'CONFIRMED', limit: 5 }), list({}), { ...list({ customerId: f.customerId }), caller: 'admin' }],
      invalid: [
        { name: 'limit 0', request: list({ limit: 0 }), status: 400, field: 'limit' },
        { name: 'limit 101', request: list({ limit: 101 }), status: 400, field: 'limit' },
        { name: 'a fractional limit', request: list({ limit: 1.5 }), status: 400, field: 'limit' },
        { name: 'an unknown status', request: list({ status: 'SHIPPED' }), status: 400, field: 'status' },
        { name: 'a customerId with a space', request: list({ customerId: 'cus 42' }), status: 400, field: 'customerId' },
        {
          name: 'a forged cursor',
          request: list({ cursor: 'not-a-cursor' }),
          status: 400,
          field: 'cursor',
          beyondSchema: 'cursors are opaque',
        },
      ],
    };
  },

  'get /api/v1/orders/{id}': (f) => ownOrder((id) => `/api/v1/orders/${id}`, f.orderId),

  'get /api/v1/orders/{id}/events': (f) => ownOrder((id) => `/api/v1/orders/${id}/events`, f.orderId),

  'get /api/v1/payments': (f) => ({
    caller: 'customer',
    forbidden: 'client',
    valid: [{ method: 'get', path: `/api/v1/payments?orderId=${f.orderId}` }, { method: 'get', path: `/api/v1/payments?orderId=${f.orderId}`, caller: 'admin' }],
    invalid: [
      { name: 'an orderId that is not a UUID', request: { method: 'get', path: '/api/v1/payments?orderId=42' }, status: 400, field: 'orderId' },
      { name: 'no orderId', request: { method: 'get', path: '/api/v1/payments' }, status: 400, field: 'orderId' },
    ],
  }),

  'post /api/v1/payments/webhooks/{provider}': () => {
    const webhook = (provider: string): string => `/api/v1/payments/webhooks/${provider}`;
    // About a payment intent that is not ours: recorded and acknowledged, nothing else.
    const event = (id: string): string =>
      JSON.stringify({ id, object: 'event', type: 'payment_intent.canceled', created: 1767000000, data: { object: { id: 'pi_contract', object: 'payment_intent' } } });
    const signed = (payload: string): Record<string, string> => ({
      'simulator-signature': webhookSignature(TEST_ENV.PAYMENT_WEBHOOK_SECRET_CARD, payload, Math.floor(Date.now() / 1000)),
    });
    const valid = event(`evt_contract${newId().replace(/-/g, '')}`);
    // PayPal's capture and the crypto provider's payment request, neither ours.
    const paypal = JSON.stringify({
      id: `WH-CONTRACT${newId().replace(/-/g, '').toUpperCase()}`,
      event_type: 'PAYMENT.CAPTURE.COMPLETED',
      resource_type: 'capture',
      resource: { id: 'CAPTURECONTRACT', supplementary_data: { related_ids: { authorization_id: 'AUTHCONTRACT' } } },
    });
    const crypto = coinbaseDelivery(JSON.stringify({ id: newId(), type: 'payment_request.refunded', data: { id: 'cpr_contract', object: 'crypto_payment_request' } }), 1);
    return {
      caller: 'nobody',
      valid: [
        { method: 'post', path: webhook('card'), raw: valid, headers: signed(valid) },
        {
          method: 'post',
          path: webhook('paypal'),
          raw: paypal,
          headers: paypalTransmissionHeaders(TEST_ENV.PAYMENT_WEBHOOK_SECRET_PAYPAL, TEST_ENV.PAYMENT_WEBHOOK_ID_PAYPAL, paypal),
        },
        { method: 'post', path: webhook('crypto'), raw: crypto, headers: { 'x-cc-webhook-signature': coinbaseSignature(TEST_ENV.PAYMENT_WEBHOOK_SECRET_CRYPTO, crypto) } },
      ],
      invalid: [
        {
          name: 'no signature',
          request: { method: 'post', path: webhook('card'), raw: valid },
          status: 400,
          beyondSchema: 'which signature headers a delivery needs depends on its provider',
        },
        {
          name: 'a signature of another body',
          request: { method: 'post', path: webhook('card'), raw: valid, headers: signed(event('evt_other')) },
          status: 400,
          beyondSchema: 'a signature is checked with the secret',
        },
        { name: 'a provider without an endpoint', request: { method: 'post', path: webhook('nope'), raw: valid, headers: signed(valid) }, status: 404 },
        { name: 'a signed body that is no provider\'s event', request: { method: 'post', path: webhook('card'), raw: '{"id":"evt_1"}', headers: signed('{"id":"evt_1"}') }, status: 400 },
        ...bodyFormat('post', webhook('card')),
      ],
    };
  },

  'get /api/v1/payments/providers': () => ({
    caller: 'admin',
    forbidden: 'customer',
    valid: [{ method: 'get', path: '/api/v1/payments/providers' }],
    invalid: [],
  }),

  'post /api/v1/payments/{id}/refunds': (f) => {
    const refunds = (id: string): string => `/api/v1/payments/${id}/refunds`;
    const headers = { 'idempotency-key': `contract-${newId()}` };
    return {
      caller: 'admin',
      forbidden: 'customer',
      valid: [{ method: 'post', path: refunds(f.paymentId), headers, body: { amount: 1, reason: 'contract' } }],
      invalid: [
        ...badIds('post', refunds, 'id', { amount: 1 }).map((invalid) => ({ ...invalid, request: { ...invalid.request, headers } })),
        { name: 'no Idempotency-Key', request: { method: 'post', path: refunds(f.paymentId), body: { amount: 1 } }, status: 400, field: 'Idempotency-Key' },
        { name: 'an amount of 0', request: { method: 'post', path: refunds(f.paymentId), headers, body: { amount: 0 } }, status: 400, field: 'amount' },
        {
          name: 'an unknown field',
          request: { method: 'post', path: refunds(f.paymentId), headers, body: { amount: 1, currency: 'USD' } },
          status: 400,
          field: 'currency',
        },
        {
          name: 'an id nothing has',
          request: { method: 'post', path: refunds(newId()), headers, body: { amount: 1 } },
          status: 404,
          beyondSchema: 'existence is state, not shape',
        },
        ...bodyFormat('post', refunds(f.paymentId)).map((invalid) => ({ ...invalid, request: { ...invalid.request, headers } })),
      ],
    };
  },

  'get /api/v1/payments/{id}/refunds': (f) => ({
    caller: 'customer',
    forbidden: 'client',
    valid: [
      { method: 'get', path: `/api/v1/payments/${f.paymentId}/refunds` },
      { method: 'get', path: `/api/v1/payments/${f.paymentId}/refunds`, caller: 'admin' },
    ],
    invalid: [
      ...badIds('get', (id) => `/api/v1/payments/${id}/refunds`, 'id'),
      {
        name: "another customer's payment",
        request: { method: 'get', path: `/api/v1/payments/${f.paymentId}/refunds` },
        status: 404,
        caller: 'otherCustomer',
        beyondSchema: 'ownership is state, not shape',
      },
    ],
  }),

  'get /api/v1/notifications': (f) => ({
    caller: 'customer',
    forbidden: 'client',
    valid: [
      { method: 'get', path: '/api/v1/notifications' },
      { method: 'get', path: `/api/v1/notifications?orderId=${f.orderId}` },
      { method: 'get', path: `/api/v1/notifications?customerId=${f.customerId}&limit=10`, caller: 'admin' },
    ],
    invalid: [
      {
        name: 'an orderId of a non-RFC variant',
        request: { method: 'get', path: `/api/v1/notifications?orderId=${NON_RFC_UUID}` },
        status: 400,
        field: 'orderId',
      },
      { name: 'a customerId with a space', request: { method: 'get', path: '/api/v1/notifications?customerId=a%20b' }, status: 400, field: 'customerId' },
      { name: 'a limit past 500', request: { method: 'get', path: '/api/v1/notifications?limit=501' }, status: 400, field: 'limit' },
    ],
  }),

  'post /api/v1/notifications/{id}/resend': (f) => {
    const resend = (id: string): string => `/api/v1/notifications/${id}/resend`;
    const headers = { 'idempotency-key': `contract-${newId()}` };
    return {
      caller: 'admin',
      forbidden: 'customer',
      valid: [{ method: 'post', path: resend(f.notificationId), headers }],
      invalid: [
        { name: 'an id that is not a UUID', request: { method: 'post', path: resend('42'), headers }, status: 400, field: 'id' },
        { name: 'no Idempotency-Key', request: { method: 'post', path: resend(f.notificationId) }, status: 400, field: 'Idempotency-Key' },
        { name: 'an id nothing has', request: { method: 'post', path: resend(newId()), headers }, status: 404, beyondSchema: 'existence is state, not shape' },
      ],
    };
  },

  'get /api/v1/notifications/preferences': () => ({
    caller: 'customer',
    forbidden: 'client',
    valid: [{ method: 'get', path: '/api/v1/notifications/preferences' }],
    invalid: [],
  }),

  'put /api/v1/notifications/preferences': () => {
    const put = (body: unknown): ProxiedRequest => ({ method: 'put', path: '/api/v1/notifications/preferences', body });
    const chosen = { channels: { email: true, sms: true, push: true }, phone: '+4915112345678', devices: ['fcm:contract-1'] };
    return {
      caller: 'customer',
      forbidden: 'client',
      valid: [put(chosen), put({ ...chosen, phone: null, devices: [] })],
      invalid: [
        { name: 'a phone not in E.164', request: put({ ...chosen, phone: '0151 12345678' }), status: 400, field: 'phone' },
        { name: 'a channel that is not a boolean', request: put({ ...chosen, channels: { ...chosen.channels, sms: 'yes' } }), status: 400, field: 'channels.sms' },
        { name: '11 devices', request: put({ ...chosen, devices: Array.from({ length: 11 }, (_, i) => `fcm:${i}`) }), status: 400, field: 'devices' },
        { name: 'a device token with a space', request: put({ ...chosen, devices: ['fcm: 1'] }), status: 400, field: 'devices' },
        { name: 'an unknown field', request: put({ ...chosen, email: 'ann@example.com' }), status: 400, field: 'email' },
        ...bodyFormat('put', '/api/v1/notifications/preferences'),
      ],
    };
  },

  'get /api/v1/notifications/preferences/{customerId}': (f) => ({
    caller: 'admin',
    forbidden: 'customer',
    valid: [{ method: 'get', path: `/api/v1/notifications/preferences/${f.customerId}` }],
    invalid: [
      { name: 'a customerId with a space', request: { method: 'get', path: '/api/v1/notifications/preferences/a%20b' }, status: 400, field: 'customerId' },
    ],
  }),

  'post /api/v1/auth/register': () => {
    const register = (body: unknown): ProxiedRequest => ({ method: 'post', path: '/api/v1/auth/register', body });
    const account = (): Record<string, unknown> => ({ email: `contract-${newId()}@test.example`, password: 'correct horse battery' });
    return {
      caller: 'nobody',
      valid: [register(account())],
      invalid: [
        { name: 'a password of 9 characters', request: register({ ...account(), password: 'too-short' }), status: 400, field: 'password' },
        { name: 'a password of 129 characters', request: register({ ...account(), password: 'p'.repeat(129) }), status: 400, field: 'password' },
        { name: 'no email', request: register({ ...account(), email: undefined }), status: 400, field: 'email' },
        { name: 'an email that is not one', request: register({ ...account(), email: 'ann.example.com' }), status: 400, field: 'email' },
        { name: 'an unknown field', request: register({ ...account(), roles: ['admin'] }), status: 400, field: 'roles' },
        ...bodyFormat('post', '/api/v1/auth/register'),
      ],
    };
  },

  'post /api/v1/auth/login': (f) => {
    const logIn = (body: unknown): ProxiedRequest => ({ method: 'post', path: '/api/v1/auth/login', body });
    return {
      caller: 'nobody',
      valid: [logIn(f.login)],
      invalid: [
        { name: 'a password that is a number', request: logIn({ ...f.login, password: 42 }), status: 400, field: 'password' },
        { name: 'no password', request: logIn({ email: f.login.email }), status: 400, field: 'password' },
        { name: 'an unknown field', request: logIn({ ...f.login, remember: true }), status: 400, field: 'remember' },
        {
          name: 'a wrong password',
          request: logIn({ ...f.login, password: `${f.login.password}!` }),
          status: 401,
          beyondSchema: 'credentials are state, not shape',
        },
        ...bodyFormat('post', '/api/v1/auth/login'),
      ],
    };
  },

  'post /api/v1/auth/refresh': (f) => {
    const refresh = (body: unknown): ProxiedRequest => ({ method: 'post', path: '/api/v1/auth/refresh', body });
    return {
      caller: 'nobody',
      valid: [refresh({ refreshToken: f.refreshTokens[0] })],
      invalid: [
        { name: 'a refresh token of 42 characters', request: refresh({ refreshToken: 'r'.repeat(42) }), status: 400, field: 'refreshToken' },
        { name: 'no refresh token', request: refresh({}), status: 400, field: 'refreshToken' },
        { name: 'an unknown field', request: refresh({ refreshToken: f.refreshTokens[0], scope: 'admin' }), status: 400, field: 'scope' },
        {
          name: 'a refresh token used already',
          request: refresh({ refreshToken: f.refreshTokens[0] }),
          status: 401,
          beyondSchema: 'used is state, not shape',
        },
        ...bodyFormat('post', '/api/v1/auth/refresh'),
      ],
    };
  },

  'post /api/v1/auth/logout': (f) => {
    const logOut = (body: unknown): ProxiedRequest => ({ method: 'post', path: '/api/v1/auth/logout', body });
    return {
      caller: 'nobody',
      valid: [logOut({ refreshToken: f.refreshTokens[1] })],
      invalid: [
        { name: 'a refresh token of 44 characters', request: logOut({ refreshToken: 'r'.repeat(44) }), status: 400, field: 'refreshToken' },
        { name: 'a refresh token that is a number', request: logOut({ refreshToken: 42 }), status: 400, field: 'refreshToken' },
        { name: 'an unknown field', request: logOut({ refreshToken: f.refreshTokens[1], everywhere: true }), status: 400, field: 'everywhere' },
        ...bodyFormat('post', '/api/v1/auth/logout'),
      ],
    };
  },

  'post /api/v1/auth/token': (f) => {
    const token = (body: unknown): ProxiedRequest => ({ method: 'post', path: '/api/v1/auth/token', body });
    const credentials = { clientId: f.client.id, clientSecret: f.client.secret };
    return {
      caller: 'nobody',
      valid: [token(credentials)],
      invalid: [
        { name: 'a client id of 65 characters', request: token({ ...credentials, clientId: 'c'.repeat(65) }), status: 400, field: 'clientId' },
        { name: 'no secret', request: token({ clientId: f.client.id }), status: 400, field: 'clientSecret' },
        { name: 'an unknown field', request: token({ ...credentials, scope: 'dead-letters:manage' }), status: 400, field: 'scope' },
        {
          name: 'a wrong secret',
          request: token({ ...credentials, clientSecret: `${f.client.secret}x` }),
          status: 401,
          beyondSchema: 'credentials are state, not shape',
        },
        ...bodyFormat('post', '/api/v1/auth/token'),
      ],
    };
  },

  'get /api/v1/nft/{tokenId}': (f) => {
    const metadata = (tokenId: string): ProxiedRequest => ({ method: 'get', path: `/api/v1/nft/${tokenId}` });
    return {
      caller: 'nobody',
      valid: [metadata(f.receiptTokenId)],
      invalid: [
        { name: 'a token id that is not a decimal number', request: metadata('0x2a'), status: 400, field: 'tokenId' },
        {
          name: 'a token id past 2^128 - 1, the largest order id',
          request: metadata((1n << 128n).toString()),
          status: 400,
          field: 'tokenId',
          beyondSchema: 'a pattern cannot bound a 39-digit number',
        },
        { name: 'a token id no receipt was minted with', request: metadata('42'), status: 404, beyondSchema: 'existence is state, not shape' },
      ],
    };
  },

  'get /api/v1/auth/wallet/nonce': () => ({ caller: 'nobody', valid: [{ method: 'get', path: '/api/v1/auth/wallet/nonce' }], invalid: [] }),

  'post /api/v1/auth/wallet/verify': (f) => {
    const verify = (body: unknown): ProxiedRequest => ({ method: 'post', path: '/api/v1/auth/wallet/verify', body });
    const signed = f.wallets.signIn;
    return {
      caller: 'nobody',
      valid: [verify(signed)],
      invalid: [
        { name: 'a message that is not a string', request: verify({ ...signed, message: 42 }), status: 400, field: 'message' },
        { name: 'a message of 4097 characters', request: verify({ ...signed, message: 'm'.repeat(4097) }), status: 400, field: 'message' },
        { name: 'a signature of 64 bytes', request: verify({ ...signed, signature: `0x${'ab'.repeat(64)}` }), status: 400, field: 'signature' },
        { name: 'no signature', request: verify({ message: signed.message }), status: 400, field: 'signature' },
        { name: 'an unknown field', request: verify({ ...signed, chainId: 1 }), status: 400, field: 'chainId' },
        { name: 'a message used already', request: verify(signed), status: 401, beyondSchema: 'a used nonce is state, not shape' },
        ...bodyFormat('post', '/api/v1/auth/wallet/verify'),
      ],
    };
  },

  'get /api/v1/auth/wallet': () => ({
    caller: 'customer',
    forbidden: 'client',
    valid: [{ method: 'get', path: '/api/v1/auth/wallet' }],
    invalid: [],
  }),

  'post /api/v1/auth/wallet/link': (f) => {
    const link = (body: unknown): ProxiedRequest => ({ method: 'post', path: '/api/v1/auth/wallet/link', body });
    const signed = f.wallets.link;
    return {
      caller: 'customer',
      forbidden: 'client',
      valid: [link(signed)],
      invalid: [
        { name: 'a message that is not a string', request: link({ ...signed, message: ['x'] }), status: 400, field: 'message' },
        { name: 'a signature without 0x', request: link({ ...signed, signature: 'ab'.repeat(65) }), status: 400, field: 'signature' },
        { name: 'an unknown field', request: link({ ...signed, userId: f.userId }), status: 400, field: 'userId' },
        {
          name: "another account's wallet",
          request: link(f.wallets.ofAnotherAccount),
          status: 409,
          beyondSchema: 'whose wallet it is, is state',
        },
        ...bodyFormat('post', '/api/v1/auth/wallet/link'),
      ],
    };
  },

  'delete /api/v1/auth/wallet/{address}': (f) => {
    const wallet = (address: string): ProxiedRequest => ({ method: 'delete', path: `/api/v1/auth/wallet/${address}` });
    return {
      caller: 'customer',
      forbidden: 'client',
      valid: [wallet(f.wallets.linkedAddress)],
      invalid: [
        { name: 'an address of 19 bytes', request: wallet(`0x${'ab'.repeat(19)}`), status: 400, field: 'address' },
        {
          name: 'a wallet the customer has not linked',
          request: wallet(`0x${'ab'.repeat(20)}`),
          status: 404,
          beyondSchema: 'whose wallet it is, is state',
        },
      ],
    };
  },

  'get /api/v1/users/me': () => ({
    caller: 'customer',
    // A machine client is no user: it holds no profile:read.
    forbidden: 'client',
    valid: [{ method: 'get', path: '/api/v1/users/me' }],
    invalid: [],
  }),

  'put /api/v1/admin/users/{id}/roles': (f) => {
    const roles = (id: string): string => `/api/v1/admin/users/${id}/roles`;
    const put = (body: unknown): ProxiedRequest => ({ method: 'put', path: roles(f.userId), body });
    return {
      caller: 'admin',
      forbidden: 'customer',
      valid: [put({ roles: ['customer', 'staff'] })],
      invalid: [
        ...badIds('put', roles, 'id', { roles: ['staff'] }),
        { name: 'an unknown role', request: put({ roles: ['owner'] }), status: 400, field: 'roles' },
        { name: 'roles that are not a list', request: put({ roles: 'staff' }), status: 400, field: 'roles' },
        { name: 'no roles', request: put({}), status: 400, field: 'roles' },
        { name: 'an unknown field', request: put({ roles: ['staff'], permissions: ['users:manage'] }), status: 400, field: 'permissions' },
        unknownId('put', roles, { roles: ['staff'] }),
        ...bodyFormat('put', roles(f.userId)),
      ],
    };
  },

  'post /api/v1/admin/clients': () => {
    const create = (body: unknown): ProxiedRequest => ({ method: 'post', path: '/api/v1/admin/clients', body });
    return {
      caller: 'admin',
      forbidden: 'customer',
      valid: [create({ name: 'contract gateway', scopes: ['metrics:read'] }), create({ name: 'contract reader', scopes: [] })],
      invalid: [
        { name: 'an unknown scope', request: create({ name: 'x', scopes: ['everything'] }), status: 400, field: 'scopes' },
        { name: 'a name of 101 characters', request: create({ name: 'n'.repeat(101), scopes: [] }), status: 400, field: 'name' },
        { name: 'no scopes', request: create({ name: 'x' }), status: 400, field: 'scopes' },
        { name: 'an unknown field', request: create({ name: 'x', scopes: [], secret: 'mine' }), status: 400, field: 'secret' },
        ...bodyFormat('post', '/api/v1/admin/clients'),
      ],
    };
  },

  'delete /api/v1/admin/clients/{id}': (f) => {
    const client = (id: string): string => `/api/v1/admin/clients/${id}`;
    return {
      caller: 'admin',
      forbidden: 'customer',
      valid: [{ method: 'delete', path: client(f.revocableClientId) }],
      invalid: [
        ...badIds('delete', client, 'id'),
        unknownId('delete', client),
        {
          name: 'a client revoked already',
          request: { method: 'delete', path: client(f.revocableClientId) },
          status: 404,
          beyondSchema: 'revoked is state, not shape',
        },
      ],
    };
  },

  'get /.well-known/jwks.json': () => ({ caller: 'nobody', valid: [{ method: 'get', path: '/.well-known/jwks.json' }], invalid: [] }),
};
