import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { OperationsEndpoint } from '../../libs/auth';

/** The Prometheus scrape endpoint, documented like every other route. */
@ApiTags('operations')
@Controller()
@OperationsEndpoint('metrics:read')
export class MetricsController extends PrometheusController {
  @Get()
  @ApiOperation({ summary: 'Prometheus metrics: HTTP, orders, inventory, payments, Kafka, cache, search, messaging, process (docs/metrics.md)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format',
    schema: { type: 'string' },
    example:
      '# HELP orders_decided_total Orders the saga decided, by outcome (CONFIRMED, REJECTED, ROLLED_BACK)\n' +
      '# TYPE orders_decided_total counter\n' +
      'orders_decided_total{outcome="CONFIRMED"} 42\n',
  })
  override index(@Res({ passthrough: true }) response: FastifyReply): Promise<string> {
    return super.index(response);
  }
}
