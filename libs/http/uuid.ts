import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/**
 * The UUIDs every route accepts: RFC 9562 versions 1–8 with the RFC variant, plus the nil and
 * max UUIDs, any case. One pattern for the validators and the OpenAPI document, so clients
 * checking requests against the document agree with the server.
 */
export const UUID_PATTERN =
  '^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}' +
  '|00000000-0000-0000-0000-000000000000|[fF]{8}-[fF]{4}-[fF]{4}-[fF]{4}-[fF]{12})$';

/** A UUID request field (body, query or path), validated and documented by the same rule. */
export function IsUuid(options: Pick<ApiPropertyOptions, 'description' | 'example'> = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ example: '0190a000-0000-7000-8000-000000000001', ...options, format: 'uuid', pattern: UUID_PATTERN }),
    Matches(new RegExp(UUID_PATTERN), { message: '$property must be a UUID' }),
  );
}

/** The `:id` of a route, answered with 400 naming `id` when it is not a UUID. */
export class IdParams {
  @IsUuid()
  id!: string;
}
