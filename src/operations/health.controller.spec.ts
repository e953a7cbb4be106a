import { ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TwoLevelCache } from '../../libs/cache';
import { BrokerHealth, KafkaConsumers } from '../../libs/messaging';
import { DatabaseInfo } from '../../libs/persistence';
import { HealthController } from './health.controller';

function controller(kafka?: BrokerHealth): HealthController {
  const dataSource = { query: () => Promise.resolve([{ '?column?': 1 }]) } as unknown as DataSource;
  const database = { description: 'PostgreSQL' } as DatabaseInfo;
  const cache = { checkL2: () => Promise.resolve({ status: 'disabled' }) } as unknown as TwoLevelCache;
  const broker = kafka && ({ health: () => Promise.resolve(kafka) } as unknown as KafkaConsumers);
  return new HealthController(dataSource, database, cache, broker);
}

describe('Readiness with Kafka', () => {
  it('leaves Kafka out of a process that does not use it', async () => {
    expect(await controller().ready()).toEqual({
      status: 'ok',
      checks: { database: { status: 'up', kind: 'PostgreSQL' }, redis: { status: 'disabled' } },
    });
  });

  it('is ready while the brokers answer', async () => {
    const kafka: BrokerHealth = { status: 'up', brokers: 'kafka:9092' };
    expect(await controller(kafka).ready()).toMatchObject({ status: 'ok', checks: { kafka } });
  });

  it('is not ready when the brokers do not answer: its messages could not travel', async () => {
    const kafka: BrokerHealth = { status: 'down', brokers: 'kafka:9092', error: 'no answer in 2000 ms' };
    await expect(controller(kafka).ready()).rejects.toBeInstanceOf(ServiceUnavailableException);
  });
});
