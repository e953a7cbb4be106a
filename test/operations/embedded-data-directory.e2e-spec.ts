import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, freePort, runUntilExit } from '../support/app-process';

const DEMO_PRODUCTS = 7;
const SEEDED = 40;
/**
 * A refusal loads nothing but the lock check: a process started with this fails, with another
 * message than the refusal's, if it loads the application (NestJS) first.
 */
const REFUSING_BEFORE_NEST = { NODE_OPTIONS: `--require ${join(__dirname, '..', 'support', 'forbid-nest.cjs')}` };

/** One of the operations commands (`npm run catalog:seed`, `npm run replay`), run to its end. */
function runCommand(script: string, args: string[], env: Record<string, string>): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join('dist', 'src', script), ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });
}

async function catalogTotal(app: AppProcess, query = ''): Promise<{ total: number; ids: string[] }> {
  const response = await fetch(`${app.url}/api/v1/products?facets=true&limit=100${query}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { items: { id: string }[]; facets: { total: number } };
  return { total: body.facets.total, ids: body.items.map((item) => item.id) };
}

function lockedMessage(dataDir: string, pid: number): RegExp {
  return new RegExp(
    `^the data directory ${dataDir} is in use by process ${pid} \\(since [^)]+\\); ` +
      'only one process may open an embedded database: stop it, or set DATA_DIR to another directory\\n$',
  );
}

describe('The embedded data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'commerce-lock-'));
  const damagedDir = mkdtempSync(join(tmpdir(), 'commerce-damaged-'));
  let app: AppProcess;

  beforeAll(async () => {
    app = new AppProcess(await freePort(), { DATA_DIR: dataDir, SEED_DEMO: 'true', LOG_LEVEL: 'warn' });
  });

  afterAll(async () => {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(damagedDir, { recursive: true, force: true });
  });

  it('refuses a second service on it, naming the holder and the directory in one line; the first keeps serving', async () => {
    await app.start();
    const port = String(await freePort());
    const second = await runUntilExit({ DATA_DIR: dataDir, PORT: port, HOST: '127.0.0.1', ...REFUSING_BEFORE_NEST });

    // Refused before the application loads (which takes seconds): only the refusal's line.
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(lockedMessage(dataDir, app.pid!));
    expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);
    expect((await catalogTotal(app)).total).toBe(DEMO_PRODUCTS);
  });

  it('is taken over from a holder killed with kill -9, and serves the same data', async () => {
    const killed = app.pid!;
    await app.kill();
    expect(JSON.parse(readFileSync(join(dataDir, 'commerce.lock'), 'utf8'))).toMatchObject({ pid: killed });

    await app.start();

    expect(JSON.parse(readFileSync(join(dataDir, 'commerce.lock'), 'utf8'))).toMatchObject({ pid: app.pid });
    expect((await catalogTotal(app)).total).toBe(DEMO_PRODUCTS);
  });

  it('makes catalog:seed and replay refuse at once while the service runs, losing nothing', () => {
    for (const [script, args] of [
      ['catalog-seed.js', ['--count', String(SEEDED)]],
      ['replay.js', []],
    ] as const) {
      const run = runCommand(script, [...args], { DATA_DIR: dataDir, ...REFUSING_BEFORE_NEST });
      expect({ script, status: run.status }).toEqual({ script, status: 1 });
      expect(run.stderr).toMatch(lockedMessage(dataDir, app.pid!));
    }
  });

  it('still serves every product, and after it stops the seed adds products it then serves and finds', async () => {
    expect((await fetch(`${app.url}/health/ready`)).status).toBe(200);
    expect((await catalogTotal(app)).total).toBe(DEMO_PRODUCTS);
    await app.stop();
    expect(existsSync(join(dataDir, 'commerce.lock'))).toBe(false);

    const seed = runCommand('catalog-seed.js', ['--count', String(SEEDED)], { DATA_DIR: dataDir });
    expect({ status: seed.status, stderr: seed.status === 0 ? '' : seed.stderr }).toEqual({ status: 0, stderr: '' });
    expect(seed.stdout).toMatch(/indexing products: (\d+)\/\1\b/);
    expect(seed.stdout).toContain(`created ${SEEDED} products`);
    expect(existsSync(join(dataDir, 'commerce.lock'))).toBe(false);

    await app.start();
    const { total, ids } = await catalogTotal(app);
    expect(total).toBe(DEMO_PRODUCTS + SEEDED);
    const seeded = (await (await fetch(`${app.url}/api/v1/products/${ids[0]}`)).json()) as { name: string };
    const found = await catalogTotal(app, `&q=${encodeURIComponent(seeded.name)}`);
    expect(found.ids).toContain(ids[0]);
  });

  it('reports a directory PGlite cannot open in one line that says how to recover', async () => {
    await app.stop();
    cpSync(dataDir, damagedDir, { recursive: true });
    writeFileSync(join(damagedDir, 'global', 'pg_control'), readFileSync(join(dataDir, 'global', 'pg_control')).subarray(0, 100));

    const run = await runUntilExit({ DATA_DIR: damagedDir });

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^the embedded database in ${damagedDir} cannot be opened \\([^\\n]*\\): restore a copy of that directory, or move it aside to start with an empty database\\n$`),
    );
    expect(existsSync(join(damagedDir, 'commerce.lock'))).toBe(false);
  });
});
