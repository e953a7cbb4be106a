/** JSON schema pieces the providers' routes share; every object refuses properties it does not name. */

export interface IdParams {
  id: string;
}

export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

/** An amount in minor units (cents), as Stripe takes it: at least 1, at most eight digits. */
export const minorUnits = { type: 'integer', minimum: 1, maximum: 99_999_999 } as const;

export const paymentToken = { type: 'string', minLength: 1, maxLength: 255 } as const;

export const metadata = {
  type: 'object',
  maxProperties: 50,
  propertyNames: { minLength: 1, maxLength: 40 },
  additionalProperties: { type: 'string', maxLength: 500 },
} as const;

/** A body of known optional properties: also what a call without any body is validated as. */
export function optionalFields(properties: Record<string, object>): object {
  return { type: 'object', additionalProperties: false, properties };
}
