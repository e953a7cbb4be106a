import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { PERMISSIONS, type Role, ROLES } from '../../libs/auth';
import { PolicyGuard } from '../../libs/auth/policy.guard';
import { startTestApp, TestApp } from '../support/test-app';
import { compactJwt, TokenMint } from './access-tokens';
import { admits, DocumentedOperation, documentedOperations, pathWith } from './documented-operations';

/** Words a scope may hold that are no permission, in spelling or in kind: they grant nothing. */
const NOT_PERMISSIONS = ['*', 'admin', 'orders:*', 'CATALOG:WRITE', 'users:manage:all'];

/** What a request carries in its Authorization header, described so that a counterexample reads plainly. */
type Credential =
  | { kind: 'none' }
  | { kind: 'malformed'; authorization: string }
  | { kind: 'signed by another key' | 'unsigned (alg none)' | 'expired'; scope: string[] }
  | { kind: 'valid'; scope: string[]; roles: Role[] };

const scope = fc.subarray([...PERMISSIONS, ...NOT_PERMISSIONS]);

const credentials: fc.Arbitrary<Credential> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc
    .oneof(
      fc.stringMatching(/^[A-Za-z0-9._~+/-]{1,300}$/).map((token) => `Bearer ${token}`),
      fc.constantFrom('Basic YWRtaW46YWRtaW4=', 'Bearer', 'Token abc.def.ghi'),
    )
    .map((authorization) => ({ kind: 'malformed' as const, authorization })),
  fc.record({ kind: fc.constantFrom('signed by another key' as const, 'unsigned (alg none)' as const, 'expired' as const), scope }),
  fc.record({ kind: fc.constant('valid' as const), scope, roles: fc.subarray([...ROLES]) }),
);

/** A documented operation, or the HEAD that Fastify serves for each GET through the same handler and guard. */
interface Route extends Pick<DocumentedOperation, 'path' | 'permissions'> {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
}

/** What the guard must answer: let the request through to its handler, or refuse it. */
function expectedOf(route: Route, credential: Credential): 'admitted' | 401 | 403 {
  if (credential.kind === 'none') return route.permissions ? 401 : 'admitted';
  // A token sent must be valid, on a public route too.
  if (credential.kind !== 'valid') return 401;
  return admits(route, credential.scope) ? 'admitted' : 403;
}

describe(PolicyGuard.name, () => {
  const mint = TokenMint.generate();
  const stranger = TokenMint.generate();
  let app: TestApp;
  let fastify: FastifyInstance;
  let routes: Route[];

  beforeAll(async () => {
    app = await startTestApp(mint.env);
    fastify = app.nest.getHttpAdapter().getInstance();
    const operations = await documentedOperations(app);
    const routeOf = ({ path, permissions }: DocumentedOperation, method: Route['method']): Route => ({ method, path, ...(permissions ? { permissions } : {}) });
    routes = [
      ...operations.map((operation) => routeOf(operation, operation.method.toUpperCase() as Route['method'])),
      ...operations.filter((operation) => operation.method === 'get').map((operation) => routeOf(operation, 'HEAD')),
    ];
  });

  afterAll(async () => {
    await app?.close();
  });

  function authorizationOf(credential: Credential): string | undefined {
    const now = Math.floor(Date.now() / 1000);
    switch (credential.kind) {
      case 'none':
        return undefined;
      case 'malformed':
        return credential.authorization;
      case 'signed by another key':
        return `Bearer ${stranger.sign(mint.claims({ scope: credential.scope.join(' ') }), mint.header())}`;
      case 'unsigned (alg none)':
        return `Bearer ${compactJwt(mint.header({ alg: 'none' }), mint.claims({ scope: credential.scope.join(' ') }), () => Buffer.alloc(0))}`;
      case 'expired':
        return `Bearer ${mint.sign(mint.claims({ scope: credential.scope.join(' '), iat: now - 3600, nbf: now - 3600, exp: now - 60 }))}`;
      case 'valid':
        return `Bearer ${mint.accessToken(randomUUID(), credential.scope, credential.roles)}`;
    }
  }

  it('answers 2xx only where the route is public or the token grants one of its permissions; 401 without a valid token, 403 without the permission', async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), credentials, fc.uuid(), async (route, credential, id) => {
        const authorization = authorizationOf(credential);
        // Bodies are empty: a write let through is refused by its validation (400), after the guard, having done nothing.
        const response = await fastify.inject({
          method: route.method,
          url: pathWith(route.path, () => id),
          headers: authorization === undefined ? {} : { authorization },
          ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: {} } : {}),
        });
        const expected = expectedOf(route, credential);

        if (expected === 'admitted') {
          expect([401, 403]).not.toContain(response.statusCode);
          expect(response.statusCode).toBeLessThan(500);
        } else {
          expect(response.statusCode).toBe(expected);
        }
        if (expected === 401) expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="commerce"/);
        const outcome = expected === 'admitted' && route.permissions ? 'admitted to a protected route' : String(expected);
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
      }),
      { numRuns: 200 },
    );

    // Each way through the guard was taken, so the property was not met by default.
    expect([...seen.keys()].sort()).toEqual(['401', '403', 'admitted', 'admitted to a protected route']);
  });
});
