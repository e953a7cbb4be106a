import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { decode, sign } from 'jsonwebtoken';
import type { TestApp } from './test-app';
import { HttpRoutes, TEST_ENV } from './test-env';

type Verb = keyof HttpRoutes;
const VERBS: Verb[] = ['get', 'post', 'put', 'patch', 'delete'];

/** The app's routes with `Authorization: Bearer <token>` on every request. */
export function withToken(routes: HttpRoutes, token: string): HttpRoutes {
  const authorized = {} as HttpRoutes;
  for (const verb of VERBS) authorized[verb] = (url: string) => routes[verb](url).set('authorization', `Bearer ${token}`);
  return authorized;
}

/** `accessToken`'s header and claims, signed by a key that is not identity's: what a forger can make. */
export function forged(accessToken: string): string {
  const { header, payload } = decode(accessToken, { complete: true })!;
  return sign(payload, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, { algorithm: 'ES256', header });
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export async function logIn(app: TestApp, email: string, password: string): Promise<Session> {
  const { body } = await app.http().post('/api/v1/auth/login').send({ email, password }).expect(200);
  return body;
}

export interface Customer {
  /** The user id: the customerId of the customer's orders. */
  id: string;
  email: string;
  password: string;
  session: Session;
  http(): HttpRoutes;
}

/** A newly registered customer, logged in. */
export async function newCustomer(app: TestApp): Promise<Customer> {
  const email = `customer-${randomUUID()}@test.example`;
  const password = `password-${randomUUID()}`;
  await app.http().post('/api/v1/auth/register').send({ email, password }).expect(202);
  const session = await logIn(app, email, password);
  const { body } = await withToken(app.http(), session.accessToken).get('/api/v1/users/me').expect(200);
  return { id: body.id, email, password, session, http: () => withToken(app.http(), session.accessToken) };
}

const adminSessions = new WeakMap<TestApp, Promise<Session>>();

/** The routes as the admin of TEST_ENV (ADMIN_EMAIL), logged in once per app. */
export async function asAdmin(app: TestApp): Promise<HttpRoutes> {
  let session = adminSessions.get(app);
  if (!session) {
    session = logIn(app, TEST_ENV.ADMIN_EMAIL, TEST_ENV.ADMIN_PASSWORD);
    adminSessions.set(app, session);
  }
  return withToken(app.http(), (await session).accessToken);
}

const shoppers = new WeakMap<TestApp, Promise<Customer>>();

/** One customer per app, for suites whose subject is not who orders. */
export function shopperOf(app: TestApp): Promise<Customer> {
  let shopper = shoppers.get(app);
  if (!shopper) {
    shopper = newCustomer(app);
    shoppers.set(app, shopper);
  }
  return shopper;
}

/** The account of TEST_ENV's admin, for a service run as its own process (see `logInAt`). */
export const ADMIN_ENV = { ADMIN_EMAIL: TEST_ENV.ADMIN_EMAIL, ADMIN_PASSWORD: TEST_ENV.ADMIN_PASSWORD };

async function postJson(url: string, body: unknown, status: number): Promise<Response> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== status) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return response;
}

/** Logs in over HTTP to the service at `baseUrl`, for suites that run it as its own process. */
export async function logInAt(baseUrl: string, email: string, password: string): Promise<Session> {
  return (await (await postJson(`${baseUrl}/api/v1/auth/login`, { email, password }, 200)).json()) as Session;
}

/**
 * A customer registered and logged in over HTTP at `baseUrl`. Its token does not outlive a restart
 * of a service that makes its signing key at start: log in again with its email and password.
 */
export async function newCustomerAt(baseUrl: string): Promise<Omit<Customer, 'id' | 'http'>> {
  const email = `customer-${randomUUID()}@test.example`;
  const password = `password-${randomUUID()}`;
  await postJson(`${baseUrl}/api/v1/auth/register`, { email, password }, 202);
  return { email, password, session: await logInAt(baseUrl, email, password) };
}

/** The header that presents `session`'s access token. */
export function bearer(session: Session): { authorization: string } {
  return { authorization: `Bearer ${session.accessToken}` };
}
