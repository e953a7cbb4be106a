import { DEFAULT_GRANTS } from '../../libs/auth';
import { asAdmin, logIn, newCustomer, withToken } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';

describe('identity: accounts, sessions and machine clients', () => {
  let app: TestApp;

  beforeAll(async () => {
    // Production's parameters, not the suites' cheap ones: the rehash case below expects them.
    app = await startTestApp({ PASSWORD_HASH_MEMORY_KIB: '7168', PASSWORD_HASH_ITERATIONS: '5' });
  });

  afterAll(() => app.close());

  it('registers a customer who logs in and reads their own profile', async () => {
    const customer = await newCustomer(app);
    const { body } = await customer.http().get('/api/v1/users/me').expect(200);
    expect(body).toEqual({ id: customer.id, email: customer.email, roles: ['customer'], createdAt: expect.any(String) });
    const [{ password_hash }] = await app.sql<{ password_hash: string }>('SELECT password_hash FROM identity.user WHERE id = $1', [customer.id]);
    expect(password_hash).toMatch(/^\$argon2id\$/);
    expect(password_hash).not.toContain(customer.password);
  });

  it('treats one address in any spelling as one account, and answers a taken email like a new one', async () => {
    const email = `Ann.${Date.now()}@Example.COM`;
    await app.http().post('/api/v1/auth/register').send({ email, password: 'first-password' }).expect(202);
    const again = await app.http().post('/api/v1/auth/register').send({ email: email.toLowerCase(), password: 'second-password' });
    expect(again.status).toBe(202);
    expect(again.text).toBe('');
    await logIn(app, email.toLowerCase(), 'first-password');
    await app.http().post('/api/v1/auth/login').send({ email, password: 'second-password' }).expect(401);
    const [{ n }] = await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM identity.user WHERE email = $1', [email.toLowerCase()]);
    expect(n).toBe(1);
  });

  it('publishes UserRegistered once, for a new account only', async () => {
    const customer = await newCustomer(app);
    const messages = await app.sql<{ payload: { userId: string; email: string } }>(
      "SELECT envelope->'payload' AS payload FROM messaging.outbox WHERE type = 'identity.user.registered' AND aggregate_id = $1",
      [customer.id],
    );
    expect(messages.map((m) => m.payload)).toEqual([expect.objectContaining({ userId: customer.id, email: customer.email })]);
  });

  it('refuses a wrong password and an unknown email with the same answer', async () => {
    const customer = await newCustomer(app);
    const wrong = await app.http().post('/api/v1/auth/login').send({ email: customer.email, password: 'not-the-password' }).expect(401);
    const unknown = await app.http().post('/api/v1/auth/login').send({ email: `nobody-${customer.id}@test.example`, password: 'not-the-password' }).expect(401);
    expect(unknown.body).toEqual({ ...wrong.body });
    // Every 401 says how to authenticate (RFC 9110): with the Bearer tokens these routes issue.
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="commerce"');
    expect(unknown.headers['www-authenticate']).toBe(wrong.headers['www-authenticate']);
  });

  it('rotates refresh tokens, and a reused one revokes its whole family', async () => {
    const customer = await newCustomer(app);
    const first = customer.session.refreshToken;
    const { body: second } = await app.http().post('/api/v1/auth/refresh').send({ refreshToken: first }).expect(200);
    expect(second.refreshToken).not.toBe(first);
    await withToken(app.http(), second.accessToken).get('/api/v1/users/me').expect(200);
    // The first token again: someone else holds a copy. Both the thief's and the owner's die.
    await app.http().post('/api/v1/auth/refresh').send({ refreshToken: first }).expect(401);
    await app.http().post('/api/v1/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
  });

  it('logs out: the refresh token no longer works', async () => {
    const customer = await newCustomer(app);
    await app.http().post('/api/v1/auth/logout').send({ refreshToken: customer.session.refreshToken }).expect(204);
    await app.http().post('/api/v1/auth/refresh').send({ refreshToken: customer.session.refreshToken }).expect(401);
  });

  it('rehashes a password made with older parameters at the next login', async () => {
    const customer = await newCustomer(app);
    const argon2 = await import('argon2');
    const weak = await argon2.hash(customer.password, { type: argon2.argon2id, memoryCost: 8192, timeCost: 1, parallelism: 1 });
    await app.sql('UPDATE identity.user SET password_hash = $2 WHERE id = $1', [customer.id, weak]);
    await logIn(app, customer.email, customer.password);
    const [{ password_hash }] = await app.sql<{ password_hash: string }>('SELECT password_hash FROM identity.user WHERE id = $1', [customer.id]);
    expect(password_hash).not.toBe(weak);
    expect(password_hash).toMatch(/m=7168,p=1,t=5/);
  });

  it('starts with the grants the API documentation describes as the defaults', async () => {
    const rows = await app.sql<{ role: string; permission: string }>('SELECT role, permission FROM identity.role_permission');
    const granted: Record<string, string[]> = {};
    for (const { role, permission } of rows) (granted[permission] ??= []).push(role);
    const sorted = (grants: Record<string, readonly string[]>) =>
      Object.fromEntries(Object.entries(grants).map(([permission, roles]) => [permission, [...roles].sort()]));

    expect(sorted(granted)).toEqual(sorted(DEFAULT_GRANTS));
  });

  it('lets an admin make a customer staff, which their next token carries', async () => {
    const customer = await newCustomer(app);
    await customer.http().put(`/api/v1/admin/users/${customer.id}/roles`).send({ roles: ['staff'] }).expect(403);
    const { body } = await (await asAdmin(app)).put(`/api/v1/admin/users/${customer.id}/roles`).send({ roles: ['staff'] }).expect(200);
    expect(body.roles).toEqual(['staff']);
    const staff = await logIn(app, customer.email, customer.password);
    await withToken(app.http(), staff.accessToken).put('/api/v1/admin/users/00000000-0000-0000-0000-000000000000/roles').send({ roles: ['admin'] }).expect(403);
  });

  it('gives machine clients scoped tokens, stores only the secret hash, and revokes them', async () => {
    const admin = await asAdmin(app);
    const { body: client } = await admin.post('/api/v1/admin/clients').send({ name: 'scraper', scopes: ['metrics:read'] }).expect(201);
    const [{ secret_hash }] = await app.sql<{ secret_hash: Buffer }>('SELECT secret_hash FROM identity.client WHERE id = $1', [client.id]);
    expect(Buffer.from(secret_hash).toString()).not.toContain(client.secret);
    const { body: token } = await app.http().post('/api/v1/auth/token').send({ clientId: client.id, clientSecret: client.secret }).expect(200);
    expect(token.tokenType).toBe('Bearer');
    await withToken(app.http(), token.accessToken).get('/api/v1/admin/dead-letters').expect(403);
    await app.http().post('/api/v1/auth/token').send({ clientId: client.id, clientSecret: `${client.secret}x` }).expect(401);
    await admin.delete(`/api/v1/admin/clients/${client.id}`).expect(204);
    await app.http().post('/api/v1/auth/token').send({ clientId: client.id, clientSecret: client.secret }).expect(401);
  });

  it('refuses oversized and deeply nested bodies on every sign-in route, and makes no account', async () => {
    const nested = `{"email": ${'['.repeat(5000)}${']'.repeat(5000)}, "password": "correct horse battery"}`;
    const oversized = JSON.stringify({ email: 'big@test.example', password: 'x'.repeat(70_000) });
    for (const route of ['register', 'login', 'refresh', 'logout', 'token']) {
      const deep = await app.http().post(`/api/v1/auth/${route}`).set('content-type', 'application/json').send(nested).expect(400);
      expect(deep.headers['content-type']).toMatch(/^application\/problem\+json/);
      await app.http().post(`/api/v1/auth/${route}`).set('content-type', 'application/json').send(oversized).expect(413);
    }
    const [{ n }] = await app.sql<{ n: number }>("SELECT count(*)::int AS n FROM identity.user WHERE email = 'big@test.example'");
    expect(n).toBe(0);
  });

  it('answers 404 for a user or a client nobody has, and changes nothing', async () => {
    const admin = await asAdmin(app);
    const nobody = '0190a000-0000-7000-8000-00000000dead';
    await admin.put(`/api/v1/admin/users/${nobody}/roles`).send({ roles: ['admin'] }).expect(404);
    await admin.delete(`/api/v1/admin/clients/${nobody}`).expect(404);
    await admin.put('/api/v1/admin/users/not-a-uuid/roles').send({ roles: ['admin'] }).expect(400);
    await admin.put(`/api/v1/admin/users/${nobody}/roles`).send({ roles: ['owner'] }).expect(400);
  });

  it('publishes its public key as a JWKS', async () => {
    const { body } = await app.http().get('/.well-known/jwks.json').expect(200);
    expect(body.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) })]);
    expect(body.keys[0]).not.toHaveProperty('d');
  });
});
