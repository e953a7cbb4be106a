import type { OpenAPIObject } from '@nestjs/swagger';
import { DEFAULT_GRANTS, type Permission } from './permissions';
import { PERMISSIONS_EXTENSION } from './policy';

/**
 * Writes each operation's policy into its description, for the reader of Swagger UI: the
 * permissions it needs and the roles granted them by default, or that it is public.
 */
export function describePolicies(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const operation of [path.get, path.put, path.post, path.delete, path.patch]) {
      if (!operation) continue;
      const permissions = (operation as unknown as Record<string, Permission[] | undefined>)[PERMISSIONS_EXTENSION];
      const policy = permissions
        ? `**Requires** ${permissions.map((p) => `\`${p}\` (by default: ${DEFAULT_GRANTS[p].join(', ')})`).join(' or ')}.`
        : '**Public**: no token needed.';
      operation.description = operation.description ? `${operation.description}\n\n${policy}` : policy;
    }
  }
  return document;
}
