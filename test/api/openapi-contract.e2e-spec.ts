import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../../libs/persistence';
import { asAdmin, Customer, forged, logIn, newCustomer } from '../support/auth';
import { finalOrder, paymentOf, placeOrder, sql, stockedProduct } from '../support/shop';
import { startTestApp, TestApp } from '../support/test-app';
import { TEST_ENV } from '../support/test-env';
import { newWallet, signedSignIn } from '../support/wallet';
import { asSent, CONTRACT_CASES, Fixtures, InvalidCase, OperationCases } from './contract-cases';
import { exchange, Exchange, PrismProxy } from './prism-proxy';

interface MediaType {
  schema?: { $ref?: string };
  example?: unknown;
  examples?: object;
}

interface Operation {
  security?: object[];
  parameters?: object[];
  requestBody?: object;
  responses: Record<string, { content?: Record<string, MediaType> }>;
}

interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { required?: string[]; properties?: Record<string, { items?: { $ref?: string } }> }> };
}

const PROBLEM = 'application/problem+json';
/** Limits on but out of reach, so the document describes them and Prism checks what it says. */
const RATE_LIMITS_ON = {
  RATE_LIMIT_ENABLED: 'true',
  ...Object.fromEntries(['DEFAULT', 'AUTH', 'AUTH_ACCOUNT', 'ORDERS'].map((bucket) => [`RATE_LIMIT_${bucket}_LIMIT`, '1000000'])),
};
const PROBLEM_SCHEMA = '#/components/schemas/ProblemDetails';
/** `<method> <path>|<status>|<content type>`: which documented example the example server answers with. */
const EXAMPLE_HEADER = 'x-documented-example';

function operationsOf(document: Document): { key: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ key: `${method} ${path}`, operation })),
  );
}

/** An upstream that answers each request with the example it names, for Prism to judge against its schema. */
async function serveExamples(document: Document): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    const named = request.headers[EXAMPLE_HEADER];
    // Prism's readiness probe names none.
    if (typeof named !== 'string') return void response.writeHead(204).end();
    const [key, status, type] = named.split('|');
    const [method, path] = key.split(' ');
    const example = document.paths[path]?.[method]?.responses[status]?.content?.[type]?.example;
    const body = typeof example === 'string' && !type.includes('json') ? example : JSON.stringify(example);
    response.writeHead(Number(status), { 'content-type': type }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** A letter in the dead-letter store: ReserveStock fails every attempt while reservations cannot be written. */
async function deadLetter(app: TestApp, productId: string): Promise<string> {
  await sql(app, 'ALTER TABLE inventory.reservation RENAME TO reservation_unavailable');
  try {
    const orderId = await placeOrder(app, [{ productId, quantity: 1 }]);
    return await app.eventually(async () => {
      const { body } = await (await asAdmin(app)).get('/api/v1/admin/dead-letters').expect(200);
      const letter = (body as { id: string; envelope: { aggregateId: string } }[]).find((l) => l.envelope.aggregateId === orderId);
      if (!letter) throw new Error('not dead-lettered yet');
      return letter.id;
    });
  } finally {
    await sql(app, 'ALTER TABLE inventory.reservation_unavailable RENAME TO reservation');
  }
}

/**
 * An order receipt as receipts records it once minted (no chain runs here: test/web3 mints on one).
 * Returns its token id: the order id's 128 bits.
 */
async function mintedReceipt(app: TestApp): Promise<string> {
  const orderId = newId();
  const tokenId = BigInt(`0x${orderId.replace(/-/g, '')}`).toString();
  const owner = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
  await sql(
    app,
    `INSERT INTO receipts.receipt (order_id, token_id, customer_id, total_amount, total_currency, lines, confirmed_at, payment_id, paid_on_chain_id,
       payer, completed_at, chain_id, contract_address, owner, mint_requested_at, minted_at)
     VALUES ($1, $2, 'cus_contract', 1999, 'EUR', $3::jsonb, now(), $4, 31337, $5, now(), 31337, '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512', $5, now(), now())`,
    [orderId, tokenId, JSON.stringify([{ productId: newId(), quantity: 1, unitPrice: { amount: 1999, currency: 'EUR' } }]), newId(), owner],
  );
  return tokenId;
}

type Identities = Pick<Fixtures, 'tokens' | 'login' | 'refreshTokens' | 'client' | 'revocableClientId' | 'userId' | 'wallets'>;

/** A wallet linked to each customer, and signed messages for the wallet routes' cases. */
async function createWallets(app: TestApp, customer: Customer, otherCustomer: Customer): Promise<Fixtures['wallets']> {
  const [linked, others] = [newWallet(), newWallet()];
  await customer.http().post('/api/v1/auth/wallet/link').send(await signedSignIn(app, linked)).expect(201);
  await otherCustomer.http().post('/api/v1/auth/wallet/link').send(await signedSignIn(app, others)).expect(201);
  return {
    signIn: await signedSignIn(app, newWallet()),
    link: await signedSignIn(app, newWallet()),
    ofAnotherAccount: await signedSignIn(app, others),
    linkedAddress: linked.address,
  };
}

/** The accounts, sessions and machine clients the cases act as and on; `customer` places the order. */
async function createIdentities(app: TestApp, customer: Customer): Promise<Identities> {
  const admin = await asAdmin(app);
  const [otherCustomer, user] = await Promise.all([newCustomer(app), newCustomer(app)]);
  const sessions = [await logIn(app, customer.email, customer.password), await logIn(app, customer.email, customer.password)];
  const { body: client } = await admin.post('/api/v1/admin/clients').send({ name: 'contract scraper', scopes: ['metrics:read'] }).expect(201);
  const { body: revocable } = await admin.post('/api/v1/admin/clients').send({ name: 'contract revocable', scopes: [] }).expect(201);
  const { body: clientSession } = await app.http().post('/api/v1/auth/token').send({ clientId: client.id, clientSecret: client.secret }).expect(200);
  const { accessToken: adminToken } = await logIn(app, TEST_ENV.ADMIN_EMAIL, TEST_ENV.ADMIN_PASSWORD);
  return {
    tokens: {
      admin: adminToken,
      customer: customer.session.accessToken,
      otherCustomer: otherCustomer.session.accessToken,
      client: clientSession.accessToken,
      forger: forged(adminToken),
    },
    login: { email: customer.email, password: customer.password },
    refreshTokens: [sessions[0].refreshToken, sessions[1].refreshToken],
    client: { id: client.id, secret: client.secret },
    revocableClientId: revocable.id,
    userId: user.id,
    wallets: await createWallets(app, customer, otherCustomer),
  };
}

async function createFixtures(app: TestApp): Promise<Fixtures> {
  const customer = await newCustomer(app);
  const identities = await createIdentities(app, customer);
  const productId = await stockedProduct(app, 50);
  const { body: archivable } = await (await asAdmin(app))
    .post('/api/v1/products')
    .send({ sku: `ARCHIVE-${productId}`, name: 'To archive', description: '', category: 'contract', price: { amount: 500, currency: 'EUR' } })
    .expect(201);
  const orderId = await placeOrder(app, [{ productId, quantity: 1 }], 'tok_visa', customer);
  expect((await finalOrder(app, orderId)).status).toBe('COMPLETED');
  // Captured after the decision: only then can it be refunded.
  const paymentId = await app.eventually(async () => {
    const payment = await paymentOf(app, orderId);
    expect(payment.status).toBe('CAPTURED');
    return payment.id as string;
  });
  const notificationId = await app.eventually(async () => {
    const { body } = await customer.http().get('/api/v1/notifications').query({ orderId }).expect(200);
    if (body.items.length === 0) throw new Error('no notification yet');
    return body.items[0].id as string;
  });
  return {
    ...identities,
    productId,
    archivableId: archivable.id,
    orderId,
    paymentId,
    notificationId,
    customerId: customer.id,
    deadLetterId: await deadLetter(app, productId),
    receiptTokenId: await mintedReceipt(app),
  };
}

/** What is wrong with a problem answer, judged against the document's ProblemDetails schema. */
function problemFaults(document: Document, result: Exchange, field?: string): string[] {
  const faults: string[] = [];
  if (!result.contentType.startsWith(PROBLEM)) faults.push(`content type ${result.contentType}`);
  const body = result.body as Record<string, unknown> & { errors?: { field: string }[] };
  const missing = (document.components.schemas.ProblemDetails.required ?? []).filter((key) => !(key in body));
  if (missing.length > 0) faults.push(`problem without ${missing.join(', ')}`);
  if (body.status !== result.status) faults.push(`problem status ${String(body.status)}`);
  if (field !== undefined && !body.errors?.some((error) => error.field === field)) {
    faults.push(`errors[] does not name ${field}: ${JSON.stringify(body.errors)}`);
  }
  return faults;
}

describe('OpenAPI contract, checked by Prism', () => {
  let app: TestApp;
  let prism: PrismProxy | undefined;
  let examplePrism: PrismProxy | undefined;
  let examples: Server | undefined;
  let appUrl: string;
  let directory: string;
  let document: Document;
  /** Made once: a valid case may set up what an invalid one meets (a taken sku, a replayed letter). */
  let declared: Record<string, OperationCases>;
  /** As sent: with their callers' tokens, and the refusals of each protected operation's policy. */
  let cases: Record<string, ReturnType<typeof asSent>>;

  beforeAll(async () => {
    app = await startTestApp({ MESSAGE_MAX_ATTEMPTS: '2', ...RATE_LIMITS_ON });
    appUrl = `http://127.0.0.1:${(app.nest.getHttpServer().address() as AddressInfo).port}`;
    document = (await app.http().get('/docs-json').expect(200)).body;
    directory = await mkdtemp(join(tmpdir(), 'openapi-contract-'));
    const documentFile = join(directory, 'openapi.json');
    await writeFile(documentFile, JSON.stringify(document));
    examples = await serveExamples(document);
    const examplesUrl = `http://127.0.0.1:${(examples.address() as AddressInfo).port}`;
    const [proxy, exampleProxy, fixtures] = await Promise.all([
      PrismProxy.start(documentFile, appUrl),
      PrismProxy.start(documentFile, examplesUrl),
      createFixtures(app),
    ]);
    prism = proxy;
    examplePrism = exampleProxy;
    declared = Object.fromEntries(Object.entries(CONTRACT_CASES).map(([key, casesOf]) => [key, casesOf(fixtures)]));
    cases = Object.fromEntries(Object.entries(declared).map(([key, operationCases]) => [key, asSent(operationCases, fixtures.tokens)]));
  }, 90_000);

  afterAll(async () => {
    await prism?.stop();
    await examplePrism?.stop();
    examples?.closeAllConnections();
    await new Promise((resolve) => (examples ? examples.close(resolve) : resolve(undefined)));
    await app?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('has cases for exactly the operations the document lists', () => {
    const documented = operationsOf(document).map(({ key }) => key);
    expect(documented.filter((key) => !CONTRACT_CASES[key])).toEqual([]);
    expect(Object.keys(CONTRACT_CASES).filter((key) => !documented.includes(key))).toEqual([]);
    const withInput = operationsOf(document).filter(({ operation }) => operation.requestBody || operation.parameters?.length);
    expect(withInput.filter(({ key }) => cases[key].invalid.length === 0).map(({ key }) => key)).toEqual([]);
  });

  it('calls a protected operation with a token and a public one without, as the document says', () => {
    const faults: string[] = [];
    for (const { key, operation } of operationsOf(document)) {
      const { caller, forbidden } = declared[key];
      const secured = (operation.security ?? []).length > 0;
      if (secured && caller === 'nobody') faults.push(`${key}: secured, but its cases send no token`);
      if (secured && forbidden === undefined) faults.push(`${key}: secured, but no case is made by a caller without the permission`);
      if (secured && !['401', '403'].every((status) => operation.responses[status])) faults.push(`${key}: secured, without 401 and 403`);
      if (!secured && caller !== 'nobody') faults.push(`${key}: public, but its cases send a token`);
    }
    expect(faults).toEqual([]);
  });

  it('gives every error one problem+json schema and every success with a body an example', () => {
    const faults: string[] = [];
    for (const { key, operation } of operationsOf(document)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        const media = Object.entries(response.content ?? {});
        // A success without a body documents no content; the valid cases check that none is sent.
        if (/^2/.test(status) && media.some(([, m]) => m.example === undefined && !m.examples)) {
          faults.push(`${key} ${status}: no example`);
        }
        if (Number(status) >= 400 && (media.length !== 1 || media[0][0] !== PROBLEM || media[0][1].schema?.$ref !== PROBLEM_SCHEMA)) {
          faults.push(`${key} ${status}: not ${PROBLEM} with ProblemDetails`);
        }
      }
      const statuses = Object.keys(operation.responses);
      const expected = [...(operation.parameters?.length ? ['400'] : []), ...(operation.requestBody ? ['400', '413', '415'] : [])];
      const undocumented = expected.filter((status) => !statuses.includes(status));
      if (undocumented.length > 0) faults.push(`${key}: ${undocumented.join(', ')} undocumented`);
    }
    expect(faults).toEqual([]);
    expect(document.components.schemas.ProblemDetails.properties?.errors.items?.$ref).toBe('#/components/schemas/FieldError');
  });

  it('gives examples that its own schemas accept', async () => {
    const faults: string[] = [];
    for (const { key, operation } of operationsOf(document)) {
      const [request] = cases[key].valid;
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          if (media.example === undefined) continue;
          const headers = { ...request.headers, [EXAMPLE_HEADER]: `${key}|${status}|${type}` };
          const result = await examplePrism!.send({ ...request, headers });
          if (String(result.status) !== status || result.violations.length > 0) {
            faults.push(`${key} ${status} ${type}: ${result.status} ${JSON.stringify(result.violations)}`);
          }
        }
      }
    }
    expect(faults).toEqual([]);
  });

  it('answers every valid request with a documented 2xx that Prism finds nothing wrong with', async () => {
    const faults: string[] = [];
    for (const { key, operation } of operationsOf(document)) {
      for (const request of cases[key].valid) {
        const result = await prism!.send(request);
        const where = `${key} (${request.method.toUpperCase()} ${request.path})`;
        if (!/^2\d\d$/.test(String(result.status)) || !operation.responses[result.status]) {
          faults.push(`${where}: answered ${result.status} ${JSON.stringify(result.body)}`);
        } else if (!operation.responses[result.status].content && result.body !== '') {
          faults.push(`${where}: a body its ${result.status} documents none of: ${JSON.stringify(result.body)}`);
        }
        if (result.violations.length > 0) faults.push(`${where}: ${JSON.stringify(result.violations)}`);
      }
    }
    expect(faults).toEqual([]);
  });

  it('answers every invalid request with its documented problem, for a rule the document states', async () => {
    const faults: string[] = [];
    const judge = async (key: string, operation: Operation, invalid: InvalidCase): Promise<string[]> => {
      const result = invalid.direct ? await exchange(appUrl, invalid.request) : await prism!.send(invalid.request);
      const found: string[] = problemFaults(document, result, invalid.field);
      if (result.status !== invalid.status) found.push(`answered ${result.status}, not ${invalid.status}: ${JSON.stringify(result.body)}`);
      if (!operation.responses[result.status]) found.push(`${result.status} is not documented`);
      const byPrism = (part: string): string[] => result.violations.filter((v) => v.location[0] === part).map((v) => v.message);
      if (byPrism('response').length > 0) found.push(`response breaks the document: ${byPrism('response').join('; ')}`);
      if (invalid.direct) {
        // Prism refuses the body itself; that it does is the proof the document requires JSON.
        const refused = await prism!.send(invalid.request);
        if (refused.status !== 400) found.push(`Prism forwarded it (${refused.status})`);
      } else if (!invalid.beyondSchema && byPrism('request').length === 0) {
        found.push('Prism finds the request valid: the document does not state the rule');
      } else if (invalid.beyondSchema && byPrism('request').length > 0) {
        found.push(`the document states the rule after all: ${byPrism('request').join('; ')}`);
      }
      return found;
    };
    for (const { key, operation } of operationsOf(document)) {
      for (const invalid of cases[key].invalid) {
        const found = await judge(key, operation, invalid);
        faults.push(...found.map((fault) => `${key}, ${invalid.name}: ${fault}`));
      }
    }
    expect(faults).toEqual([]);
  });
});
