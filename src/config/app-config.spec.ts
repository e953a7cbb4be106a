import { ConfigError, loadConfig } from './app-config';

describe(loadConfig.name, () => {
  it('runs on the embedded database with demo data when nothing is set', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ url: undefined, dataDir: './data', poolSize: 20 });
    expect(config.seedDemo).toBe(true);
    expect(config.port).toBe(3000);
  });

  it('does not seed demo data into a real database unless asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/shop' }).seedDemo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/shop', SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', SAGA_DEADLINE_MS: '-5', PAYMENT_FAILURE_RATE: '1.5', DATABASE_URL: 'mysql://x', SEED_DEMO: 'maybe' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'SAGA_DEADLINE_MS', 'PAYMENT_FAILURE_RATE', 'DATABASE_URL', 'SEED_DEMO']) {
      expect(problems).toContain(name);
    }
    expect((error as ConfigError).problems).toHaveLength(5);
  });
});
