import { generateKeyPairSync } from 'node:crypto';
import { Client } from 'pg';
import TestAgent from 'supertest/lib/agent';
import { IntegrationMessage } from '../../libs/contracts';
import { createEnvelope } from '../../libs/messaging/envelope';
import { newId } from '../../libs/persistence';

/** The HTTP verbs the suites use, against the one process or through the split's gateway routes. */
export type HttpRoutes = Pick<TestAgent, 'get' | 'post' | 'put' | 'patch' | 'delete'>;

/** Fast defaults for tests; a suite overrides what it is about. */
/** Messages committed but neither delivered nor dead-lettered yet. */
export const UNDELIVERED_MESSAGES =
  'SELECT count(*)::int AS n FROM messaging.outbox WHERE published_at IS NULL AND dead_at IS NULL';

/** Log level of the apps under test: silent, so a run prints its results only, unless LOG_LEVEL asks. */
export const TEST_LOG_LEVEL = process.env.LOG_LEVEL ?? 'silent';

/**
 * Cheap password hashes (argon2id with one pass over 7 MiB, against five in production),
 * so suites that sign in per case stay fast: in TEST_ENV and in every service a suite spawns
 * (test/support/app-process.ts). test/identity/identity.e2e-spec.ts runs with the production
 * parameters.
 */
export const FAST_PASSWORD_HASHING = { PASSWORD_HASH_MEMORY_KIB: '7168', PASSWORD_HASH_ITERATIONS: '1' };

export const TEST_ENV: Record<string, string> = {
  LOG_LEVEL: TEST_LOG_LEVEL,
  SEED_DEMO: 'false',
  OUTBOX_POLL_MS: '100',
  MESSAGE_RETRY_BASE_MS: '20',
  MESSAGE_RETRY_MAX_MS: '200',
  PAYMENT_RETRY_BASE_MS: '5',
  // Generous: a loaded CI machine must not turn a slow answer into a timeout.
  PAYMENT_TIMEOUT_MS: '5000',
  SAGA_SWEEP_MS: '100',
  // One key for all processes of a split: ordering's process seals payment tokens that payments' process opens.
  PAYMENT_METHOD_PRIVATE_KEY: generateKeyPairSync('x25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  // Suites send bursts from one address; the rate-limit suites turn limits on for themselves.
  RATE_LIMIT_ENABLED: 'false',
  ...FAST_PASSWORD_HASHING,
  // The admin every suite acts as for staff work (see test/support/auth.ts).
  ADMIN_EMAIL: 'admin@test.example',
  ADMIN_PASSWORD: 'admin-password-for-tests',
  // The site the suites' wallets sign in to (see test/support/wallet.ts).
  SIWE_DOMAIN: 'shop.test.example',
  // What the suites sign the providers' webhook events with (see test/payments/webhooks.e2e-spec.ts).
  PAYMENT_WEBHOOK_SECRET_CARD: 'whsec_test_0123456789abcdef0123456789abcdef',
  PAYMENT_WEBHOOK_SECRET_PAYPAL: 'paypal_test_0123456789abcdef0123456789abcdef',
  PAYMENT_WEBHOOK_ID_PAYPAL: 'WHTEST0123456789',
  PAYMENT_WEBHOOK_SECRET_CRYPTO: 'crypto_test_0123456789abcdef0123456789abcdef',
};

/** A database of its own for one suite, and how to drop it. */
export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/**
 * A throwaway database: an in-memory PGlite, or, when TEST_DATABASE_URL points at a Postgres
 * server, a fresh database on it that is dropped afterwards.
 */

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return { env: { DATA_DIR: 'memory://' }, drop: () => Promise.resolve() };
  const name = `test_${newId().replace(/-/g, '')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function eventually<T>(assertion: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}


/**
 * Commits `message` to the outbox as a context of the service would, keyed by `aggregateId`. The
 * row has no origin, so whichever process' relay claims it first delivers it, over Kafka when
 * the addressee lives in another process.
 */
export async function publishThroughOutbox(
  sql: (query: string, params: unknown[]) => Promise<unknown>,
  message: IntegrationMessage,
  aggregateId: string,
): Promise<void> {
  const envelope = createEnvelope(message, aggregateId, { correlationId: newId(), causationId: null, traceparent: null });
  await sql(
    `INSERT INTO messaging.outbox (message_id, type, version, aggregate_id, envelope, origin) VALUES ($1, $2, $3, $4, $5::jsonb, NULL)`,
    [envelope.id, envelope.type, envelope.version, envelope.aggregateId, JSON.stringify(envelope)],
  );
}
