import type { Permission } from '../../libs/auth';
import type { TestApp } from '../support/test-app';

export type Verb = 'get' | 'post' | 'put' | 'patch' | 'delete';
const VERBS: readonly Verb[] = ['get', 'post', 'put', 'patch', 'delete'];

/** One operation of the app's OpenAPI document, with the policy it declares. */
export interface DocumentedOperation {
  method: Verb;
  /** As the document writes it: `/api/v1/orders/{id}`. */
  path: string;
  /** `x-permissions`: any one of them lets a caller in. Absent on a public operation. */
  permissions?: Permission[];
  security?: Record<string, string[]>[];
  description: string;
  responses: Record<string, { headers?: Record<string, unknown> }>;
}

export async function documentedOperations(app: TestApp): Promise<DocumentedOperation[]> {
  const { body } = await app.http().get('/docs-json').expect(200);
  const paths = body.paths as Record<string, Partial<Record<Verb, Record<string, unknown>>>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    VERBS.filter((method) => item[method]).map((method) => {
      const operation = item[method]!;
      return {
        method,
        path,
        permissions: operation['x-permissions'] as Permission[] | undefined,
        security: operation.security as DocumentedOperation['security'],
        description: operation.description as string,
        responses: operation.responses as DocumentedOperation['responses'],
      };
    }),
  );
}

/** `GET /api/v1/orders/{id}` */
export function keyOf(operation: Pick<DocumentedOperation, 'method' | 'path'>): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}

/** The operation's path with each parameter set to what `valueOf` gives for its name. */
export function pathWith(path: string, valueOf: (parameter: string) => string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => valueOf(name));
}

/** Whether a token granting `granted` may call the operation: it is public, or one permission matches. */
export function admits(operation: Pick<DocumentedOperation, 'permissions'>, granted: readonly string[]): boolean {
  return operation.permissions === undefined || operation.permissions.some((permission) => granted.includes(permission));
}
