import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DeadLetterStore } from './dead-letter.store';

class ListDeadLettersQuery {
  @ApiPropertyOptional({ default: false, description: 'Include letters already replayed' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  includeReplayed?: boolean;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

class DeadLetterResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'Id of the message envelope' }) messageId!: string;
  @ApiProperty({ example: 'inventory.stock.reserve' }) type!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [String], description: 'Consumers that failed' }) consumers!: string[];
  @ApiProperty() error!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ example: 'outbox' }) source!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) envelope!: object;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) replayedAt!: string | null;
}

@ApiTags('admin')
@Controller('api/v1/admin/dead-letters')
export class DeadLettersController {
  constructor(private readonly store: DeadLetterStore) {}

  @Get()
  @ApiOperation({ summary: 'Messages that failed every delivery attempt' })
  @ApiOkResponse({ type: [DeadLetterResponse] })
  list(@Query() query: ListDeadLettersQuery): Promise<DeadLetterResponse[]> {
    return this.store.list({ includeReplayed: query.includeReplayed ?? false, limit: query.limit ?? 50 });
  }

  @Post(':id/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Deliver a dead letter again; consumers that handled it before skip it' })
  @ApiOkResponse({ type: DeadLetterResponse })
  replay(@Param('id', new ParseUUIDPipe()) id: string): Promise<DeadLetterResponse> {
    return this.store.replay(id);
  }
}
