import { BeforeApplicationShutdown, Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { TwoLevelCache } from '../../libs/cache';
import { DatabaseInfo } from '../../libs/persistence';

@ApiTags('operations')
@Controller('health')
export class HealthController implements BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly database: DatabaseInfo,
    private readonly cache: TwoLevelCache,
  ) {}

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'The process can serve traffic: its database answers',
    description: 'Redis is reported too, but a Redis outage only degrades the cache to in-process: the process stays ready.',
  })
  @ApiOkResponse({
    schema: {
      example: {
        status: 'ok',
        checks: { database: { status: 'up', kind: 'PostgreSQL' }, redis: { status: 'up', host: 'redis:6379' } },
      },
    },
  })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down or the process is stopping' })
  async ready(): Promise<object> {
    const database = await this.dataSource
      .query('SELECT 1')
      .then(() => ({ status: 'up', kind: this.database.description }))
      .catch((error: unknown) => ({ status: 'down', kind: this.database.description, error: String(error) }));
    const checks = { database, redis: await this.cache.checkL2() };
    if (this.shuttingDown || database.status !== 'up') {
      throw new ServiceUnavailableException({ message: 'not ready', checks });
    }
    return { status: 'ok', checks };
  }
}
