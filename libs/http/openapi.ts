import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';

type Schema = SchemaObject | ReferenceObject;

const COMPONENT = '#/components/schemas/';

/**
 * The validation pipe rejects unknown fields at every level of a body (forbidNonWhitelisted), which
 * @nestjs/swagger cannot express: so every object schema reachable from a request body gets
 * `additionalProperties: false`. Free-form maps (product attributes) declare theirs and keep it.
 */
export function forbidUnknownBodyProperties(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  const seen = new Set<Schema>();
  const close = (schema: Schema | undefined): void => {
    if (!schema || seen.has(schema)) return;
    seen.add(schema);
    if ('$ref' in schema) {
      close(schema.$ref.startsWith(COMPONENT) ? schemas[schema.$ref.slice(COMPONENT.length)] : undefined);
      return;
    }
    if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
    Object.values(schema.properties ?? {}).forEach(close);
    [schema.items, ...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].forEach(close);
  };
  for (const path of Object.values(document.paths)) {
    for (const operation of [path.get, path.put, path.post, path.delete, path.patch]) {
      const body = operation?.requestBody;
      if (body && !('$ref' in body)) Object.values(body.content).forEach((media) => close(media.schema));
    }
  }
  return document;
}
