import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, freePort } from '../support/app-process';

/** `npm run user:create-admin -- <args>` as the built script runs it. */
function createAdmin(dataDir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join('dist', 'src', 'create-admin.js'), ...args], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function logIn(app: AppProcess, email: string, password: string): Promise<Response> {
  return fetch(`${app.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

describe('npm run user:create-admin', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'commerce-admin-'));


  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a missing option or a short password, naming it, and creates nobody', () => {
    const missing = createAdmin(dataDir, ['--email', 'root@shop.example']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('--password is required\n');
    const short = createAdmin(dataDir, ['--email', 'root@shop.example', '--password', 'short']);
    expect(short.status).toBe(1);
    expect(short.stderr).toBe('--password must have 10 to 128 characters\n');
  });

  it('makes the first admin before the service starts; the admin then logs in and may manage users', async () => {
    const run = createAdmin(dataDir, ['--email', 'Root@Shop.example', '--password', 'a long admin password']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/created admin [0-9a-f-]{36}/);
    // The address and the password stay out of the output.
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/shop\.example|a long admin password/i);
    const app = new AppProcess(await freePort(), { DATA_DIR: dataDir, SEED_DEMO: 'false' });
    try {
      await app.start();
      const answer = await logIn(app, 'root@shop.example', 'a long admin password');
      expect(answer.status).toBe(200);
      const { accessToken } = (await answer.json()) as { accessToken: string };
      const me = await fetch(`${app.url}/api/v1/users/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      expect(((await me.json()) as { roles: string[] }).roles).toEqual(['admin']);
      const clients = await fetch(`${app.url}/api/v1/admin/clients`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'scraper', scopes: ['metrics:read'] }),
      });
      expect(clients.status).toBe(201);
    } finally {
      await app.stop();
    }
  });

  it('makes an existing account an admin without changing its password', () => {
    const again = createAdmin(dataDir, ['--email', 'root@shop.example', '--password', 'another long password']);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/user [0-9a-f-]{36} is now an admin; its password is unchanged/);
  });
});
