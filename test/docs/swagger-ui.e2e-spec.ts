import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { type Customer, newCustomer } from '../support/auth';
import { startTestApp, type TestApp } from '../support/test-app';

/** Debian's build, not a download: CI installs it with apt-get (see .ci/run). */
const CHROMIUM = '/usr/bin/chromium';
const BROWSER_TIMEOUT_MS = 30_000;

describe('Swagger UI at /docs, in a browser', () => {
  let app: TestApp;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let baseUrl: string;
  let customer: Customer;
  /** What a page asked of any other origin (refused): Swagger UI must work from the app's own assets. */
  const elsewhere: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run this suite`);
    app = await startTestApp();
    baseUrl = `http://127.0.0.1:${(app.nest.getHttpServer().address() as AddressInfo).port}`;
    customer = await newCustomer(app);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-background-networking'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  afterEach(async () => {
    await context?.close();
    expect(elsewhere.splice(0)).toEqual([]);
    expect(pageErrors.splice(0)).toEqual([]);
  });

  /** Swagger UI in a fresh browser context: no token from an earlier test. */
  async function openDocs(): Promise<Page> {
    context = await browser!.newContext();
    context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (new URL(url).origin === baseUrl) return route.continue();
      elsewhere.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${baseUrl}/docs`);
    await page.locator('.opblock').first().waitFor();
    return page;
  }

  /** The operation's block, expanded. */
  async function operation(page: Page, method: string, path: string): Promise<Locator> {
    const block = page.locator(`.opblock-${method}`).filter({ has: page.locator(`.opblock-summary-path[data-path="${path}"]`) });
    await block.locator('.opblock-summary-control').click();
    await block.locator('.opblock-body').waitFor();
    return block;
  }

  /** "Try it out" → "Execute": the status and body of the live response shown. */
  async function execute(block: Locator): Promise<{ status: string; body: string }> {
    await block.getByRole('button', { name: 'Try it out' }).click();
    await block.getByRole('button', { name: 'Execute' }).click();
    const live = block.locator('.live-responses-table .response');
    await live.waitFor();
    return {
      status: (await live.locator('.response-col_status').innerText()).trim(),
      body: await live.locator('.response-col_description').innerText(),
    };
  }

  it('shows the permission and its default roles of a protected operation, and a public one as public', async () => {
    const page = await openDocs();

    const me = await operation(page, 'get', '/api/v1/users/me');
    await expect(me.locator('.opblock-description').innerText()).resolves.toContain(
      'Requires profile:read (by default: customer, staff, admin).',
    );
    const placeOrder = await operation(page, 'post', '/api/v1/orders');
    await expect(placeOrder.locator('.opblock-description').innerText()).resolves.toContain(
      'Requires orders:place (by default: customer).',
    );
    // The lock that opens the Authorize dialog marks the protected operations only.
    await expect(me.locator('.opblock-summary .authorization__btn').count()).resolves.toBe(1);

    const login = await operation(page, 'post', '/api/v1/auth/login');
    await expect(login.locator('.opblock-description').innerText()).resolves.toContain('Public: no token needed.');
    await expect(login.locator('.opblock-summary .authorization__btn').count()).resolves.toBe(0);
  }, 90_000);

  it('answers 401 to an operation tried without authorizing', async () => {
    const page = await openDocs();

    const response = await execute(await operation(page, 'get', '/api/v1/users/me'));

    expect(response.status).toBe('401');
    expect(response.body).not.toContain(customer.email);
  }, 90_000);

  it('sends the access token given to Authorize with the operations tried from the page', async () => {
    const page = await openDocs();

    await page.locator('.scheme-container button.authorize').click();
    const dialog = page.locator('.dialog-ux');
    await dialog.getByLabel('auth-bearer-value').fill(customer.session.accessToken);
    await dialog.getByRole('button', { name: 'Apply credentials' }).click();
    await dialog.getByRole('button', { name: 'Remove authorization' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(page.locator('.scheme-container button.authorize').getAttribute('class')).resolves.toMatch(/(^|\s)locked(\s|$)/);

    const response = await execute(await operation(page, 'get', '/api/v1/users/me'));

    expect(response.status).toBe('200');
    expect(response.body).toContain(customer.email);
  }, 90_000);
});
