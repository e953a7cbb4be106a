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
  @ApiOperation({ summary: 'Prometheus metrics: HTTP, orders, saga, outbox, process' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Prometheus text exposition format',
    schema: { type: 'string' },
    example:
      '# HELP orders_created_total Orders that reached a final state, by outcome\n' +
      '# TYPE orders_created_total counter\n' +
      'orders_created_total{outcome="CONFIRMED"} 42\n',
  })
  override index(@Res({ passthrough: true }) response: FastifyReply): Promise<string> {
    return super.index(response);
  }
}
