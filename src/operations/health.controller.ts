import { BeforeApplicationShutdown, Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { DatabaseInfo } from '../../libs/persistence';

@ApiTags('operations')
@Controller('health')
export class HealthController implements BeforeApplicationShutdown {
  private shuttingDown = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly database: DatabaseInfo,
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
  @ApiOperation({ summary: 'The process can serve traffic: its database answers' })
  @ApiOkResponse({ schema: { example: { status: 'ok', checks: { database: { status: 'up', kind: 'PostgreSQL' } } } } })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down or the process is stopping' })
  async ready(): Promise<object> {
    const database = await this.dataSource
      .query('SELECT 1')
      .then(() => ({ status: 'up', kind: this.database.description }))
      .catch((error: unknown) => ({ status: 'down', kind: this.database.description, error: String(error) }));
    const checks = { database };
    if (this.shuttingDown || database.status !== 'up') {
      throw new ServiceUnavailableException({ message: 'not ready', checks });
    }
    return { status: 'ok', checks };
  }
}
