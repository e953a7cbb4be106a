import type { OpenAPIObject, OperationObject } from '@nestjs/swagger';
import type { AuthOptions } from './auth.options';
import { DEFAULT_GRANTS, type Permission } from './permissions';
import { OPERATIONS_EXTENSION, PERMISSIONS_EXTENSION } from './policy';

type Documented = OperationObject & { [PERMISSIONS_EXTENSION]?: Permission[]; [OPERATIONS_EXTENSION]?: true };

/** An operations endpoint made public by configuration: no token, so no 401 or 403 either. */
function documentAsPublic(operation: Documented): void {
  delete operation.security;
  delete operation[PERMISSIONS_EXTENSION];
  delete operation.responses['401'];
  delete operation.responses['403'];
}

/**
 * Writes each operation's policy into its description, for the reader of Swagger UI: the
 * permissions it needs and the roles granted them by default, or that it is public. Operations
 * endpoints are documented as `publicMetrics` makes them.
 */
export function describePolicies(document: OpenAPIObject, { publicMetrics }: Pick<AuthOptions, 'publicMetrics'>): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const operation of [path.get, path.put, path.post, path.delete, path.patch] as (Documented | undefined)[]) {
      if (!operation) continue;
      if (operation[OPERATIONS_EXTENSION]) {
        delete operation[OPERATIONS_EXTENSION];
        if (publicMetrics) documentAsPublic(operation);
      }
      const permissions = operation[PERMISSIONS_EXTENSION];
      const policy = permissions
        ? `**Requires** ${permissions.map((p) => `\`${p}\` (by default: ${DEFAULT_GRANTS[p].join(', ')})`).join(' or ')}.`
        : '**Public**: no token needed.';
      operation.description = operation.description ? `${operation.description}\n\n${policy}` : policy;
    }
  }
  return document;
}
