import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { Requires } from '../auth';
import { IdParams, IsLimit, ProblemResponses } from '../http';
import { redactSecrets } from '../observability/logging-redaction';
import { DeadLetter, DeadLetterStore } from './dead-letter.store';

class ListDeadLettersQuery {
  @ApiPropertyOptional({ default: false, description: 'Include letters already replayed' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeReplayed?: boolean;

  @IsLimit(500, 50)
  limit?: number;
}

class DeadLetterResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'Id of the message envelope' }) messageId!: string;
  @ApiProperty({ example: 'inventory.stock.reserve' }) type!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ type: [String], description: 'Consumers that failed' }) consumers!: string[];
  @ApiProperty() error!: string;
  @ApiProperty({ type: 'integer' }) attempts!: number;
  @ApiProperty({ example: 'outbox' }) source!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) envelope!: object;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) replayedAt!: string | null;
}

const DEAD_LETTER_EXAMPLE: DeadLetter = {
  id: '0190a3f2-5c1e-7a10-9b7d-3f4e5a6b7c8d',
  messageId: '0190a3f2-4b0d-7c21-8e6f-1a2b3c4d5e6f',
  type: 'inventory.stock.reserve',
  version: 1,
  consumers: ['inventory/inventory.stock.reserve@1'],
  error: 'relation "inventory.reservation" does not exist',
  attempts: 8,
  source: 'outbox',
  envelope: {
    id: '0190a3f2-4b0d-7c21-8e6f-1a2b3c4d5e6f',
    type: 'inventory.stock.reserve',
    version: 1,
    kind: 'command',
    context: 'inventory',
    occurredAt: '2026-01-15T09:30:00.000Z',
    correlationId: '0190a3f2-3a9c-7d32-9f50-0a1b2c3d4e5f',
    causationId: null,
    aggregateId: '0190a3f2-3a9c-7d32-9f50-0a1b2c3d4e5f',
    traceparent: null,
    payload: {
      orderId: '0190a3f2-3a9c-7d32-9f50-0a1b2c3d4e5f',
      lines: [{ productId: '0190a000-0000-7000-8000-000000000001', quantity: 2 }],
    },
  },
  createdAt: '2026-01-15T09:30:05.000Z',
  replayedAt: null,
};

/**
 * Dead letters as an admin sees them: fields named like a secret (`token`, `password`,
 * `authorization`, `email`, …) read `[redacted]` and e-mail addresses are replaced. The stored
 * envelope is untouched, so a replay delivers the message as it was sent.
 */
@ApiTags('admin')
@Controller('api/v1/admin/dead-letters')
@Requires('dead-letters:manage')
export class DeadLettersController {
  constructor(private readonly store: DeadLetterStore) {}

  @Get()
  @ApiOperation({ summary: 'Messages that failed every delivery attempt' })
  @ApiOkResponse({ type: [DeadLetterResponse], example: [DEAD_LETTER_EXAMPLE] })
  @ProblemResponses(400)
  async list(@Query() query: ListDeadLettersQuery): Promise<DeadLetterResponse[]> {
    const letters = await this.store.list({ includeReplayed: query.includeReplayed ?? false, limit: query.limit ?? 50 });
    return letters.map(redactSecrets);
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Deliver a dead letter again; consumers that handled it before skip it' })
  @ApiAcceptedResponse({
    type: DeadLetterResponse,
    example: { ...DEAD_LETTER_EXAMPLE, replayedAt: '2026-01-15T10:00:00.000Z' },
  })
  @ProblemResponses(400, { 404: 'No dead letter has this id', 409: 'Already replayed, or never decoded' })
  async replay(@Param() { id }: IdParams): Promise<DeadLetterResponse> {
    return redactSecrets(await this.store.replay(id));
  }
}
