import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { AppProcess, freePort, runUntilExit, testProvider } from '../support/app-process';
import { ADMIN_ENV, logInAt, newCustomerAt, type Session } from '../support/auth';
import { deleteKeySpace } from '../support/redis-key-space.cjs';
import { call, json } from '../support/service-http';
import { itInProcess, startTestApp } from '../support/test-app';
import { createTestDatabase, eventually } from '../support/test-env';

/** Debian's build, not a download: CI installs it with apt-get (see .ci/run). */
const CHROMIUM = '/usr/bin/chromium';
const noBrowser = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (apt-get install chromium)`;
if (noBrowser) process.stdout.write(`operations console browser cases skipped: ${noBrowser}\n`);
const describeInBrowser = noBrowser ? describe.skip : describe;

const SCREENSHOTS = join(__dirname, '__screenshots__');
/** Black T-shirt and Steel Bottle of the demo catalog (SEED_DEMO), stocked at start. */
const TEE = '0190a000-0000-7000-8000-000000000001';
/** What one browser action may take on a loaded machine. */
const BROWSER_TIMEOUT_MS = 30_000;
/** What the service does asynchronously may take on a loaded machine: a saga, a dead letter, the search index. */
const ASYNC_MS = 90_000;

/** As `npm run build` does after the service: the suite serves the console's current sources. */
function buildConsole(): void {
  execFileSync('npm', ['run', '--silent', 'build:console', '--', '--logLevel', 'warn'], { stdio: 'inherit' });
}

/** The key spaces this suite's services were given, deleted at its end. */
const cachePrefixes: string[] = [];

/**
 * A key space of its own in the Redis the environment may name (REDIS_URL in CI): the demo
 * catalog's product ids are the same in every service, and this suite changes a price.
 */
function ownCache(): { CACHE_KEY_PREFIX: string } {
  const prefix = `console-${randomUUID()}`;
  cachePrefixes.push(prefix);
  return { CACHE_KEY_PREFIX: prefix };
}

function orderOf(productId: string, token: string): RequestInit {
  return { method: 'POST', body: JSON.stringify({ items: [{ productId, quantity: 1 }], payment: { method: 'card', token } }) };
}

async function placeOrder(baseUrl: string, customer: Session, token = 'tok_visa'): Promise<string> {
  return ((await json(`${baseUrl}/api/v1/orders`, orderOf(TEE, token), customer)) as { id: string }).id;
}

/** Sets how the card provider of the service behaves from now on (the simulator's control API). */
async function cardProviderBehaves(behaviour: { latencyMs?: number; failureRate?: number }): Promise<void> {
  await json(`${(await testProvider()).url}/control`, { method: 'POST', body: JSON.stringify({ provider: 'card', ...behaviour }) });
}

/** A browser tab whose every console error, uncaught error, failed request and 4xx/5xx answer is recorded. */
async function openTab(browser: Browser): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
  context.setDefaultTimeout(BROWSER_TIMEOUT_MS);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.method()} ${request.url()} (${request.failure()?.errorText})`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return { context, page, problems };
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function goTo(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: title }).click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
}

describe('Operations console', () => {
  let service: AppProcess;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    buildConsole();
    database = await createTestDatabase();
    service = new AppProcess(await freePort(), {
      ...database.env,
      ...ownCache(),
      ...ADMIN_ENV,
      SEED_DEMO: 'true',
      OUTBOX_POLL_MS: '100',
      SAGA_SWEEP_MS: '100',
      // A capture the card provider fails is tried twice, two calls each (4 failures: under the 5 in
      // a row that open its breaker), then dead-lettered; nothing but a replay asks for it again.
      MESSAGE_MAX_ATTEMPTS: '2',
      MESSAGE_RETRY_BASE_MS: '20',
      MESSAGE_RETRY_MAX_MS: '200',
      PAYMENT_RETRY_ATTEMPTS: '2',
      PAYMENT_RETRY_BASE_MS: '5',
      SAGA_REDRIVE_AFTER_MS: '600000',
      // Longer than the card provider is made to hold an authorization below.
      PAYMENT_TIMEOUT_MS: '30000',
    });
    await service.start();
  }, 240_000);

  afterAll(async () => {
    await service?.stop();
    await database?.drop();
    const redisUrl = process.env.REDIS_URL;
    if (redisUrl) for (const prefix of cachePrefixes) deleteKeySpace(redisUrl, prefix);
  });

  describe('served by the service', () => {
    it('answers its pages with the built page, its hashed files for good, and a missing file with a problem', async () => {
      const page = await call(`${service.url}/console/orders/0190a3f2-3a9c-7d32-9f50-0a1b2c3d4e5f`, {});
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      // Its own origin only, nothing inline: the built page has no inline script or style to allow.
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self';style-src 'self';");
      const html = await page.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=/);
      const script = /<script type="module" crossorigin src="(\/console\/assets\/[^"]+\.js)">/.exec(html)![1];

      const asset = await call(`${service.url}${script}`, {});
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

      const missing = await call(`${service.url}/console/assets/index-00000000.js`, {});
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    });

    it('tells the page to ask for a login, and hands out no token', async () => {
      // As the page asks: a POST without a body.
      const session = await fetch(`${service.url}/console/session`, { method: 'POST' });
      expect(session.headers.get('cache-control')).toBe('no-store');
      await expect(session.json()).resolves.toEqual({ login: 'required' });
    });

    itInProcess('says how to build it where it was not built', async () => {
      // Run from its sources (under Jest), the service finds console/ holding sources and no build.
      const app = await startTestApp();
      try {
        const { status, headers, body } = await app.http().get('/console/orders');
        expect(status).toBe(503);
        expect(headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(body.detail).toContain('npm run build');
      } finally {
        await app.close();
      }
    });

    it('refuses to start without a login in production', async () => {
      const database = await createTestDatabase();
      try {
        const run = await runUntilExit({ ...database.env, NODE_ENV: 'production', CONSOLE_AUTH: 'off', PORT: String(await freePort()) });
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('CONSOLE_AUTH=off lets anyone reach the operations console as staff without a login');
      } finally {
        await database.drop();
      }
    });
  });

  describeInBrowser('in a browser, signed in as the admin', () => {
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let problems: string[];

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-background-networking'] });
      ({ context, page, problems } = await openTab(browser));
      await page.goto(`${service.url}/console`);
      await page.getByRole('heading', { level: 1, name: 'Sign in to the operations console' }).waitFor();
      await screenshot(page, 'login');
      await page.getByLabel('Email').fill(ADMIN_ENV.ADMIN_EMAIL);
      await page.getByLabel('Password').fill(ADMIN_ENV.ADMIN_PASSWORD);
      await page.getByLabel('Password').press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    }, 120_000);

    afterAll(async () => {
      await context?.close();
      await browser?.close();
    });

    afterEach(() => {
      expect(problems.splice(0)).toEqual([]);
    });

    it('lists the orders customers place, filtered, and follows one through its saga to completion', async () => {
      const ann = await newCustomerAt(service.url);
      const bob = await newCustomerAt(service.url);
      const { id: annId } = (await json(`${service.url}/api/v1/users/me`, {}, ann.session)) as { id: string };
      const paid = await placeOrder(service.url, ann.session);
      const declined = await placeOrder(service.url, bob.session, 'tok_chargeDeclined');
      const paidRow = page.locator(`tr[data-order-id="${paid}"]`);
      const declinedRow = page.locator(`tr[data-order-id="${declined}"]`);

      await paidRow.filter({ hasText: /CONFIRMED|COMPLETED/ }).waitFor({ timeout: ASYNC_MS });
      // Stock reserved, card declined: the reservation is released.
      await declinedRow.filter({ hasText: 'ROLLED BACK' }).waitFor({ timeout: ASYNC_MS });

      await page.getByLabel('Customer id').fill(annId);
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.getByLabel('Status').selectOption('COMPLETED');
      await paidRow.filter({ hasText: 'COMPLETED' }).waitFor({ timeout: ASYNC_MS });
      expect(await page.locator('tr[data-order-id]').count()).toBe(1);
      await screenshot(page, 'orders');
      await page.getByLabel('Status').selectOption('ROLLED_BACK');
      await page.getByText('No orders match.').waitFor();
      await page.getByLabel('Customer id').fill('');
      await page.getByRole('button', { name: 'Apply' }).click();
      await declinedRow.waitFor();

      await page.getByLabel('Status').selectOption('');
      await paidRow.getByRole('link', { name: paid }).click();
      await page.getByRole('heading', { level: 1, name: `Order ${paid}` }).waitFor();
      const saga = page.locator('table.saga');
      await saga.getByRole('row', { name: /^Outcome Completed: paid and shipped/ }).waitFor({ timeout: ASYNC_MS });
      for (const [step, summary] of [
        ["Inventory's reply", 'Stock reserved'],
        ["Payments' reply", 'Authorized (payment '],
        ['Decision', 'Confirmed'],
        ['Stock commit', 'Reserved stock shipped'],
        ['Capture', 'Payment captured'],
      ]) {
        await expect(saga.getByRole('row', { name: new RegExp(`^${step}`) }).innerText()).resolves.toContain(summary);
      }
      const events = await page.locator('.timeline li strong').allInnerTexts();
      expect(events[0]).toBe('Order placed');
      expect(events.at(-1)).toBe('Order completed');
      expect([...events].sort()).toEqual(
        ['Order completed', 'Order confirmed', 'Order placed', 'Payment authorized', 'Payment captured', 'Stock committed', 'Stock reserved'],
      );
      await screenshot(page, 'order');
    }, 180_000);

    it('replays the capture the card provider failed once the provider is back, and the order completes', async () => {
      const customer = await newCustomerAt(service.url);
      await goTo(page, 'Dead letters');
      const letterOf = (orderId: string) =>
        page.locator('li[data-dead-letter-id]', { hasText: orderId }).filter({ hasText: 'payments.payment.capture@1' });
      // The provider holds the authorization, then fails every call: the authorization still
      // succeeds (a call's answer is decided when it arrives), the capture that follows does not.
      const orderWithFailedCapture = async (): Promise<string> => {
        await cardProviderBehaves({ latencyMs: 8000 });
        try {
          const orderId = await placeOrder(service.url, customer.session);
          await eventually(async () => {
            const stats = (await json(`${(await testProvider()).url}/control/stats`, {})) as { card: { inFlight: number } };
            expect(stats.card.inFlight).toBeGreaterThan(0);
          }, ASYNC_MS);
          await cardProviderBehaves({ latencyMs: 0, failureRate: 1 });
          await letterOf(orderId).waitFor({ timeout: ASYNC_MS });
          return orderId;
        } finally {
          await cardProviderBehaves({ latencyMs: 0, failureRate: 0 });
        }
      };
      const orderId = await orderWithFailedCapture();
      const letter = letterOf(orderId);
      await expect(letter.innerText()).resolves.toMatch(/Reason\s+\S/);
      await expect(letter.innerText()).resolves.toContain('payments/payments.payment.capture@1');
      await letter.getByText('Envelope and payload (secrets redacted)').click();
      await screenshot(page, 'dead-letters');

      await letter.getByRole('button', { name: 'Replay' }).click();
      await page.getByRole('status').filter({ hasText: 'Replayed payments.payment.capture' }).waitFor();
      await page.getByLabel('Show replayed letters too').check();
      await letter.filter({ hasText: /Replayed at / }).waitFor();
      await expect(letter.getByRole('button', { name: 'Replay' }).isDisabled()).resolves.toBe(true);

      await goTo(page, 'Orders');
      await page.locator(`tr[data-order-id="${orderId}"]`).filter({ hasText: 'COMPLETED' }).waitFor({ timeout: ASYNC_MS });
    }, 240_000);

    it('changes a price and stock, and waits until search shows the new price', async () => {
      await goTo(page, 'Catalog');
      await page.getByLabel('Words').fill('bottle');
      await page.getByRole('button', { name: 'Search' }).click();
      const bottle = page.locator('tr[data-product-id]', { hasText: 'Steel Bottle' });
      await page.getByRole('button', { name: 'kitchen (1)' }).waitFor();
      await expect(page.locator('tr[data-product-id]').count()).resolves.toBe(1);
      const productId = (await bottle.getAttribute('data-product-id'))!;

      await page.getByRole('button', { name: 'Edit Steel Bottle' }).click();
      await page.getByLabel('Price (EUR)').fill('27.49');
      await page.getByRole('button', { name: 'Save price' }).click();
      await page.getByRole('status').filter({ hasText: 'Search shows Steel Bottle at €27.49.' }).waitFor({ timeout: ASYNC_MS });
      await bottle.filter({ hasText: '€27.49' }).waitFor();
      const { items } = (await json(`${service.url}/api/v1/products?q=bottle`, {})) as { items: { id: string; price: unknown }[] };
      expect(items.find((item) => item.id === productId)?.price).toEqual({ amount: 2749, currency: 'EUR' });

      await page.getByLabel('On hand').fill('250');
      await page.getByRole('button', { name: 'Save stock' }).click();
      await page.getByRole('status').filter({ hasText: 'Stock set: 250 on hand' }).waitFor();
      await expect(json(`${service.url}/api/v1/inventory/${productId}`, {})).resolves.toMatchObject({ onHand: 250 });
      await screenshot(page, 'catalog');
    }, 180_000);

    it("shows the service's readiness, payment breakers, backlog and cache as the service reports them", async () => {
      const admin = await logInAt(service.url, ADMIN_ENV.ADMIN_EMAIL, ADMIN_ENV.ADMIN_PASSWORD);
      const ready = (await json(`${service.url}/health/ready`, {})) as { checks: { database: { kind: string } } };
      const { items: providers } = (await json(`${service.url}/api/v1/payments/providers`, {}, admin)) as { items: { provider: string; state: string }[] };

      await goTo(page, 'Health');
      await page.getByRole('heading', { level: 2, name: 'Readiness up' }).waitFor();
      await page.locator('tr[data-check="database"]', { hasText: ready.checks.database.kind }).filter({ hasText: 'up' }).waitFor();
      for (const { provider, state } of providers) await page.locator(`tr[data-provider="${provider}"]`, { hasText: state }).waitFor();
      await page.getByRole('row', { name: /^Outbox: messages not yet delivered \d+$/ }).waitFor();
      await page.getByRole('row', { name: /^Cache hit ratio, either level \d+\.\d %$/ }).waitFor();
      await page.getByRole('row', { name: /^Dead letters not replayed, payments 0$/ }).waitFor();
      await page.getByText('payments.card closed').waitFor();
      await screenshot(page, 'health');
    }, 120_000);

    it('plots request rates, order decisions and latency computed from /metrics', async () => {
      await goTo(page, 'Charts');
      const latest = (chart: string, line: string) => page.locator(`[data-latest="${chart}"] div`, { hasText: line }).locator('dd');
      // Two scrapes make the first point.
      await latest('http-requests', 'All requests').filter({ hasText: /^\d+\.\d\d req\/s$/ }).waitFor({ timeout: ASYNC_MS });
      await latest('http-latency', 'p50').filter({ hasText: /^\d+\.\d ms$/ }).waitFor({ timeout: ASYNC_MS });

      await placeOrder(service.url, (await newCustomerAt(service.url)).session);
      // Shown for the interval the decision fell in.
      await latest('orders-decided', 'Confirmed').filter({ hasText: /^(?!0\.00)\d+\.\d\d orders\/s$/ }).waitFor({ timeout: ASYNC_MS });
      await expect(page.locator('.chart canvas').count()).resolves.toBe(3);
      await screenshot(page, 'charts');
    }, 180_000);

    it('keeps the operator signed in through a reload, and works from the keyboard with the focus in sight', async () => {
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Charts' }).waitFor();
      // The root tsconfig has no DOM types: the browser-side expression is given as text.
      const focused = async () => ({
        text: await page.locator(':focus').innerText(),
        outline: await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle'),
      });

      await page.keyboard.press('Tab');
      await expect(focused()).resolves.toEqual({ text: 'Skip to content', outline: 'solid' });
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await expect(focused()).resolves.toEqual({ text: 'Dead letters', outline: 'solid' });
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Dead letters' }).waitFor();
      await page.getByLabel('Show replayed letters too').focus();
      await page.keyboard.press('Space');
      await expect(page.getByLabel('Show replayed letters too').isChecked()).resolves.toBe(true);
    });
  });

  describeInBrowser('in a browser, without a login', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-background-networking'] });
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('shows the login and nothing else: the APIs refuse the console its data without a token', async () => {
      const { context, page, problems } = await openTab(browser);
      try {
        await page.goto(`${service.url}/console/dead-letters`);
        await page.getByRole('heading', { level: 1, name: 'Sign in to the operations console' }).waitFor();
        await expect(page.locator('table, [data-dead-letter-id]').count()).resolves.toBe(0);
        const refused = ['/api/v1/orders', '/api/v1/admin/dead-letters', '/api/v1/payments/providers', '/api/v1/orders/0190a3f2-3a9c-7d32-9f50-0a1b2c3d4e5f/events'];
        const statuses = await page.evaluate((paths) => Promise.all(paths.map(async (path) => (await fetch(path)).status)), refused);
        expect(statuses).toEqual([401, 401, 401, 401]);

        // A customer's account opens no session here.
        const customer = await newCustomerAt(service.url);
        await page.getByLabel('Email').fill(customer.email);
        await page.getByLabel('Password').fill(customer.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('alert').filter({ hasText: 'This account is neither staff nor an admin' }).waitFor();
        await expect(page.getByRole('navigation', { name: 'Console' }).count()).resolves.toBe(0);
        // Nothing else went wrong than those refusals (which Chrome also logs as failed resources).
        expect(problems.filter((problem) => !problem.includes('401'))).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120_000);

    it('with CONSOLE_AUTH=off lets anyone in without a login, and says so loudly at start', async () => {
      const database = await createTestDatabase();
      const open = new AppProcess(await freePort(), { ...database.env, ...ownCache(), SEED_DEMO: 'true', CONSOLE_AUTH: 'off', LOG_LEVEL: 'warn' });
      const { context, page, problems } = await openTab(browser);
      try {
        await open.start();
        expect(open.output.join('')).toContain('CONSOLE_AUTH=off: the operations console at /console lets anyone who reaches this port in as staff');
        await page.goto(`${open.url}/console/dead-letters`);
        await page.getByRole('heading', { level: 1, name: 'Dead letters' }).waitFor();
        await page.getByText('No dead letters waiting for a replay.').waitFor();
        await page.getByText('No login (CONSOLE_AUTH=off): development only').waitFor();
        await goTo(page, 'Orders');
        await page.getByText('No orders match.').waitFor();
        expect(problems).toEqual([]);
      } finally {
        await context.close();
        await open.stop();
        await database.drop();
      }
    }, 180_000);
  });
});
