import { createServer, Server } from 'node:net';
import { AppProcess, ExitedRun, freePort, runUntilExit } from '../support/app-process';

const postgres = process.env.TEST_DATABASE_URL;
if (!postgres) {
  process.stdout.write('start-up errors on a Postgres server skipped: they need a real server in TEST_DATABASE_URL\n');
}
const itOnPostgres = postgres ? it : it.skip;

/** A start that must fail: exit code 1, and on stderr one line that is `expected`. */
function expectRefusedStart(run: ExitedRun, expected: string | RegExp): void {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 1, stderr: expect.stringMatching(/^[^\n]+\n$/) });
  if (typeof expected === 'string') expect(run.stderr).toBe(`${expected}\n`);
  else expect(run.stderr).toMatch(expected);
}

/** DATABASE_URL with one part changed, e.g. the database or the user. */
function postgresWith(change: (url: URL) => void): string {
  const url = new URL(postgres ?? '');
  change(url);
  return url.toString();
}

describe('Start-up errors name the setting', () => {

  it('DATABASE_URL with nothing listening: refused, named, no stack', async () => {
    const port = await freePort();
    const run = await runUntilExit({ DATABASE_URL: `postgres://postgres:pw-never-printed@127.0.0.1:${port}/shop` });
    expectRefusedStart(
      run,
      `DATABASE_URL: cannot reach PostgreSQL at 127.0.0.1:${port} (connection refused): start it or correct the host and port in DATABASE_URL`,
    );
    expect(run.stdout + run.stderr).not.toContain('pw-never-printed');
  });

  it('DATABASE_URL on a host that does not resolve', async () => {
    const run = await runUntilExit({ DATABASE_URL: 'postgres://postgres@db.invalid:5432/shop' });
    expectRefusedStart(run, /^DATABASE_URL: cannot reach PostgreSQL at db\.invalid:5432 \(host "db\.invalid" not found\)/);
  });

  it('DATABASE_URL that is not a URL', async () => {
    const run = await runUntilExit({ DATABASE_URL: 'postgres://shop:secret@db:port/shop' });
    expectRefusedStart(run, 'Invalid configuration: DATABASE_URL must be a URL starting with postgres:// or postgresql://');
  });

  itOnPostgres('DATABASE_URL naming a database the server does not have', async () => {
    const run = await runUntilExit({ DATABASE_URL: postgresWith((url) => (url.pathname = '/no_such_shop')) });
    expectRefusedStart(run, /^DATABASE_URL: database "no_such_shop" does not exist on [^ ]+: create it \(createdb no_such_shop\)/);
  });

  itOnPostgres('DATABASE_URL naming a role the server does not have', async () => {
    const run = await runUntilExit({ DATABASE_URL: postgresWith((url) => (url.username = 'no_such_role')) });
    expectRefusedStart(run, /^DATABASE_URL: PostgreSQL at [^ ]+ does not admit user "no_such_role" .*correct the user in DATABASE_URL\n$/);
  });

  it('KAFKA_BROKERS with nothing listening: refused once the client gives up', async () => {
    const port = await freePort();
    const run = await runUntilExit({ DATA_DIR: 'memory://', KAFKA_BROKERS: `127.0.0.1:${port}` }, 120_000);
    expectRefusedStart(
      run,
      `KAFKA_BROKERS: cannot use Kafka at 127.0.0.1:${port} (connection refused): start the brokers or correct KAFKA_BROKERS`,
    );
  }, 150_000);

  it('KAFKA_BROKERS and REDIS_URL that are malformed, both named at once', async () => {
    const run = await runUntilExit({ DATA_DIR: 'memory://', KAFKA_BROKERS: 'kafka:99999', REDIS_URL: 'http://cache:6379' });
    expectRefusedStart(
      run,
      'Invalid configuration: REDIS_URL must be a URL starting with redis:// or rediss://; KAFKA_BROKERS must be a comma list of host:port (got "kafka:99999")',
    );
  });

  describe('PORT taken by another process', () => {
    let squatter: Server;
    let port: number;

    beforeAll(async () => {
      squatter = createServer();
      await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
      port = (squatter.address() as { port: number }).port;
    });

    afterAll(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

    it('stops with one line naming PORT, and never says it started', async () => {
      const run = await runUntilExit({ DATA_DIR: 'memory://', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' });
      expectRefusedStart(run, `PORT ${port} is in use by another process: stop it or set PORT`);
      expect(run.stdout).not.toMatch(/successfully started|ready/i);
    });
  });
});

describe('A start with an unreachable REDIS_URL', () => {

  it('goes on from the in-process cache, with one warning that names REDIS_URL', async () => {
    const redisUrl = `redis://127.0.0.1:${await freePort()}`;
    const app = new AppProcess(await freePort(), { DATA_DIR: 'memory://', LOG_LEVEL: 'warn', REDIS_URL: redisUrl });
    try {
      await app.start();
      const warnings = app.output
        .join('')
        .split('\n')
        .filter((line) => line.includes('is not reachable'));
      expect(warnings).toEqual([expect.stringContaining('REDIS_URL: Redis at 127.0.0.1:')]);
      expect(JSON.parse(warnings[0])).toMatchObject({ level: 40, context: 'TwoLevelCache' });
    } finally {
      await app.stop();
    }
  });
});

describe('A start at LOG_LEVEL=info', () => {

  it('says at most five things, one JSON object a line, the last where it is ready', async () => {
    const app = new AppProcess(await freePort(), { DATA_DIR: 'memory://', SEED_DEMO: 'true', LOG_LEVEL: 'info' });
    try {
      await app.start();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const lines = app.output.join('').trim().split('\n');
      const records = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
      const readyAt = records.findIndex((record) => record.msg.startsWith('ready in '));
      expect(readyAt).toBeGreaterThanOrEqual(0);
      expect(readyAt).toBeLessThan(5);
      expect(records[readyAt].msg).toMatch(/^ready in \d+ ms at http:\/\/127\.0\.0\.1:\d+, hosting /);
    } finally {
      await app.stop();
    }
  });
});
