import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

@ApiSchema({ name: 'FieldError' })
export class FieldErrorSchema {
  @ApiProperty({ example: 'items[0].quantity', description: 'Path of the invalid input in the request' })
  field!: string;

  @ApiProperty({ example: 'quantity must not be greater than 1000' })
  message!: string;
}

/** The RFC 9457 body of every error the API answers (see ProblemDetailsFilter). */
@ApiSchema({ name: 'ProblemDetails' })
export class ProblemDetailsSchema {
  @ApiProperty({ example: 'about:blank' })
  type!: string;

  @ApiProperty({ example: 'Bad Request', description: 'The reason phrase of the status' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 })
  status!: number;

  @ApiProperty({ example: 'items[0].quantity: quantity must not be greater than 1000' })
  detail!: string;

  @ApiProperty({ example: '/api/v1/orders', description: 'Path and query of the request' })
  instance!: string;

  @ApiPropertyOptional({ type: [FieldErrorSchema], description: 'Each invalid input, when the input was at fault' })
  errors?: FieldErrorSchema[];
}

const DEFAULT_DESCRIPTIONS = {
  400: 'Invalid input, each invalid field named in errors[]; nothing was changed',
  401: 'No access token, or one that is invalid or expired (see WWW-Authenticate)',
  403: 'The access token does not grant this operation',
  404: 'Nothing has this id',
  409: 'The request conflicts with the current state',
  412: 'The resource is no longer at the expected version',
  413: 'The body is larger than the server accepts',
  415: 'The body is not application/json',
  422: 'The request is well-formed but cannot be carried out as it stands',
  500: 'An unexpected error; its details are in the server log',
  503: 'The service cannot serve requests now',
} as const;

export type ProblemStatus = keyof typeof DEFAULT_DESCRIPTIONS;

function exampleOf(status: ProblemStatus, description: string): ProblemDetailsSchema {
  const title = STATUS_CODES[status] ?? 'Error';
  if (status === 400) {
    const error = { field: 'limit', message: 'limit must not be greater than 100' };
    return { type: 'about:blank', title, status, detail: `limit: ${error.message}`, instance: '/api/v1/orders?limit=500', errors: [error] };
  }
  return { type: 'about:blank', title, status, detail: description, instance: '/api/v1/orders' };
}

const RETRY_AFTER = {
  description: 'Seconds to wait before trying again',
  schema: { type: 'integer', minimum: 1 },
} as const;

const WWW_AUTHENTICATE = {
  description: 'The Bearer challenge (RFC 6750), with error="invalid_token" when a token was sent',
  schema: { type: 'string' },
} as const;

/**
 * Documents the problem+json answers of a route: each status alone gets its usual description,
 * `{ 409: 'why' }` says why this route answers it. 500 is always there.
 */
export function ProblemResponses(
  ...responses: (ProblemStatus | Partial<Record<ProblemStatus, string>>)[]
): MethodDecorator & ClassDecorator {
  const descriptions = new Map<ProblemStatus, string>();
  for (const response of [...responses, 500 as const]) {
    if (typeof response === 'number') {
      if (!descriptions.has(response)) descriptions.set(response, DEFAULT_DESCRIPTIONS[response]);
    } else {
      for (const [status, description] of Object.entries(response)) descriptions.set(Number(status) as ProblemStatus, description);
    }
  }
  return applyDecorators(
    ApiExtraModels(ProblemDetailsSchema, FieldErrorSchema),
    ...[...descriptions].map(([status, description]) =>
      ApiResponse({
        status,
        description,
        ...(status === 503 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
        ...(status === 401 ? { headers: { 'WWW-Authenticate': WWW_AUTHENTICATE } } : {}),
        content: {
          [PROBLEM_CONTENT_TYPE]: {
            schema: { $ref: getSchemaPath(ProblemDetailsSchema) },
            example: exampleOf(status, description),
          },
        },
      }),
    ),
  );
}
