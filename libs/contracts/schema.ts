/**
 * The wire shape of a payload as JSON Schema (draft-07 keywords), written as plain data so that
 * any consumer, in any language, can check what it receives. Every string and array is bounded
 * and every object closed, so a payload that passes has a bounded size and nothing unexpected in it.
 * The types tie a schema to its payload interface: a field without a schema does not compile.
 */
export interface StringSchema {
  readonly type: 'string';
  readonly minLength?: number;
  readonly maxLength: number;
  readonly pattern?: string;
  /** Only `uuid`: the consumer registers it (ids here are any RFC 9562 UUID, in either case). */
  readonly format?: 'uuid';
}

export interface EnumSchema<T extends string> {
  readonly type: 'string';
  readonly enum: readonly T[];
}

export interface IntegerSchema {
  readonly type: 'integer';
  readonly minimum: number;
  readonly maximum: number;
}

export interface ArraySchema<T> {
  readonly type: 'array';
  readonly items: SchemaOf<T>;
  readonly minItems?: number;
  readonly maxItems: number;
}

export interface ObjectSchema<T> {
  readonly type: 'object';
  readonly properties: { readonly [K in keyof T]-?: SchemaOf<Exclude<T[K], undefined>> };
  readonly required: readonly string[];
  readonly additionalProperties: false;
}

/** Any schema built here, as the validator and the tests walk it. */
export type JsonSchema =
  | StringSchema
  | EnumSchema<string>
  | IntegerSchema
  | { readonly type: 'array'; readonly items: JsonSchema; readonly minItems?: number; readonly maxItems: number }
  | {
      readonly type: 'object';
      readonly properties: Readonly<Record<string, JsonSchema>>;
      readonly required: readonly string[];
      readonly additionalProperties: false;
    };

/** The schema of a value of type T: numbers are integers (minor units, counts, versions). */
export type SchemaOf<T> = [T] extends [string]
  ? string extends T
    ? StringSchema
    : EnumSchema<T>
  : [T] extends [number]
    ? IntegerSchema
    : [T] extends [readonly (infer U)[]]
      ? ArraySchema<U>
      : [T] extends [object]
        ? ObjectSchema<T>
        : never;

/** A contract's payload is always an object. */
export type PayloadSchema<P> = ObjectSchema<P>;

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T] & string;

/** A closed object: every property required unless named in `optional`. */
export function object<T>(
  properties: ObjectSchema<T>['properties'],
  optional: readonly OptionalKeys<T>[] = [],
): ObjectSchema<T> {
  const required = Object.keys(properties).filter((key) => !(optional as readonly string[]).includes(key));
  return { type: 'object', properties, required, additionalProperties: false };
}

export function text(maxLength: number, options: { minLength?: number; pattern?: string } = {}): StringSchema {
  return { type: 'string', minLength: options.minLength ?? 1, maxLength, ...(options.pattern && { pattern: options.pattern }) };
}

export function uuid(): StringSchema {
  return { type: 'string', format: 'uuid', maxLength: 36 };
}

export function oneOf<T extends string>(...values: T[]): EnumSchema<T> {
  return { type: 'string', enum: values };
}

/** The largest value of the 32-bit integer columns counts and versions are stored in. */
export const INT32_MAX = 2_147_483_647;

export function integer(minimum: number, maximum: number = Number.MAX_SAFE_INTEGER): IntegerSchema {
  return { type: 'integer', minimum, maximum };
}

export function arrayOf<S extends JsonSchema>(
  items: S,
  bounds: { minItems?: number; maxItems: number },
): { readonly type: 'array'; readonly items: S; readonly minItems?: number; readonly maxItems: number } {
  return { type: 'array', items, ...bounds };
}
