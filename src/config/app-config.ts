import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import type { AuthOptions } from '../../libs/auth';
import { CACHE_DEFAULTS, type CacheOptions } from '../../libs/cache';
import { parseFailpoints, type FailpointSetting } from '../../libs/failpoints';
import { LOG_FORMATS, LOG_LEVELS, type LogOptions, type TracingOptions } from '../../libs/observability';
import { CONTEXT_NAMES, ContextName } from '../../libs/contracts/message';
import { StartupError } from '../../libs/startup';
import { DEFAULT_BODY_LIMIT_BYTES } from '../../libs/http';
import type { KafkaOptions, MessagingOptions } from '../../libs/messaging';
import { RATE_LIMIT_DEFAULTS, type BucketLimit, type RateLimitOptions } from '../../libs/rate-limit';
import { DEFAULT_DATA_DIR } from '../held-data-directory';
import { DEFAULT_EMBEDDED_SHARED_BUFFERS_MB } from '../../libs/persistence/embedded-database-defaults';
import { PaymentMethodRefsConfig, paymentMethodRefsOf } from './payment-method-keys';
import type { IdentityOptions } from '../modules/identity';
import type { TransferPaymentOptions } from '../modules/payments';
import type { ChainConfig } from '../../libs/chain';
import type { NotificationsOptions } from '../modules/notifications';
import { notificationsOf } from './notifications-config';
import { web3Of, type Web3Options } from './web3-config';
import type { ReceiptsOptions } from '../modules/receipts';
import { receiptsOf } from './receipts-config';

/** Typed configuration read once from the environment; any bad value stops the start. */
export interface AppConfig {
  /** The bounded contexts this process runs; the others run elsewhere, reached over Kafka. */
  modules: ContextName[];
  /** False for a worker-only process: no HTTP listener. */
  http: boolean;
  /** Swagger UI at /docs and the OpenAPI document at /docs-json. */
  docs: boolean;
  /** The operations console at /console: whether it asks for a login (CONSOLE_AUTH=off: development only). */
  console: { loginRequired: boolean };
  port: number;
  host: string;
  /** What the HTTP edge lets in: browser pages of these origins; bodies up to this size unless a route says otherwise. */
  edge: {
    corsOrigins: string[];
    bodyLimitBytes: number;
    /** Proxies (addresses or CIDRs) whose X-Forwarded-For names the client: rate limits count that address. */
    trustedProxies: string[];
  };
  log: LogOptions;
  tracing: TracingOptions;
  database: {
    url?: string;
    dataDir: string;
    /** The embedded database's buffer cache in MB (PostgreSQL's shared_buffers). */
    embeddedSharedBuffersMb: number;
    poolSize: number;
    /** How long a query waits for a PostgreSQL server's answer; unset for command-line tools, whose statements may rightly run long. */
    queryTimeoutMs?: number;
  };
  seedDemo: boolean;
  catalog: {
    /** The product write model lives in MongoDB instead of Postgres when set. */
    mongodbUrl?: string;
    /** The search read model lives in Elasticsearch instead of Postgres when set. */
    elasticsearch?: { url: string; indexPrefix: string; shards: number; replicas: number };
  };
  cache: CacheOptions;
  auth: AuthOptions;
  identity: IdentityOptions;
  messaging: Omit<MessagingOptions, 'hosted' | 'topology'>;
  saga: { deadlineMs: number; sweepIntervalMs: number; redriveAfterMs: number };
  admission: { maxUndecided: number; maxDeliveryLagMs: number };
  /** How payment tokens travel from ordering to payments: sealed, for a limited time. */
  paymentMethodRefs: PaymentMethodRefsConfig;
  payments: {
    /** The card provider's API; unset, a process hosting payments hosts the provider simulator on a private port. */
    providerUrl?: string;
    /** The hosted simulator's latency and failure rate; a provider at providerUrl has its own. */
    providerLatencyMs: number;
    providerFailureRate: number;
    providerTimeoutMs: number;
    providerMaxConcurrent: number;
    providerMaxWaitMs: number;
    retryAttempts: number;
    retryBaseMs: number;
    breakerErrorPercent: number;
    breakerVolume: number;
    breakerResetMs: number;
    /** The longest a payment waits parked for its unavailable provider before it is declined. */
    parkMaxMs: number;
    parkSweepMs: number;
    /** What each provider signs its webhook events with; unset, its webhook endpoint answers 404. */
    webhookSecrets: { card?: string; paypal?: string; crypto?: string };
    /** The id PayPal gave the webhook subscription, which its signatures cover; required with PayPal's secret. */
    paypalWebhookId?: string;
    webhookToleranceSeconds: number;
    /** Crypto payments by on-chain transfer: with CRYPTO_RECEIVING_XPUB and a chain of WEB3_CHAINS that has a token. */
    transfers?: TransferPaymentOptions;
  };
  rateLimit: RateLimitOptions;
  /** E-mail delivery: the SMTP server (none: rendered and kept NOT_SENT), retries and their backoff. */
  notifications: NotificationsOptions;
  /** The EVM chains enabled by WEB3_CHAINS (none by default) and how their RPC endpoints are called. */
  web3: Web3Options;
  /** NFT receipts: the chain they are minted on and the minter (RECEIPTS_*); none by default. */
  receipts: ReceiptsOptions;
  /** Crashes, errors or pauses at named points, for tests of recovery; none unless FAILPOINTS is set. */
  failpoints: FailpointSetting[];
  /** The longest a stop may take after SIGTERM: past it the process exits anyway, with code 1. */
  shutdownTimeoutMs: number;
}

/** Every bad variable at once, on one line. */
export class ConfigError extends StartupError {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

type Env = Record<string, string | undefined>;

/** Reads typed settings from the environment, collecting every problem instead of stopping at the first. */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const value = this.env[name];
    return value === undefined || value === '' ? fallback : value;
  }

  optional(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value === '' ? undefined : value;
  }

  int(name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  fraction(name: string, fallback: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (Number.isNaN(value) || value < 0 || value >= 1) {
      this.problems.push(`${name} must be a number in [0, 1) (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.string(name, fallback);
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return value as T;
  }

  /** A comma list of allowed values; empty means all of them. */
  listOf<T extends string>(name: string, allowed: readonly T[]): T[] {
    const raw = this.optional(name);
    if (raw === undefined) return [...allowed];
    const values = [...new Set(raw.split(',').map((v) => v.trim()).filter(Boolean))];
    const unknown = values.filter((v) => !(allowed as readonly string[]).includes(v));
    if (unknown.length > 0 || values.length === 0) {
      this.problems.push(`${name} must be a comma list of ${allowed.join(', ')} (got "${raw}")`);
      return [...allowed];
    }
    return values as T[];
  }

  /**
   * A PEM from `name`, where line breaks may be written `\n` (one environment variable), or read
   * from the file `${name}_FILE` names (a Docker secret).
   */
  pem(name: string): string | undefined {
    const file = this.optional(`${name}_FILE`);
    if (file === undefined) return this.optional(name)?.replace(/\\n/g, '\n');
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      this.problems.push(`${name}_FILE names a file that cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      return undefined;
    }
  }

  /** Comma list of IP addresses or CIDR ranges (`10.0.0.0/8`); empty when unset. */
  addresses(name: string): string[] {
    const raw = this.optional(name);
    if (raw === undefined) return [];
    const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
    const valid = (entry: string): boolean => {
      const [address, prefix, ...rest] = entry.split('/');
      const family = isIP(address);
      const bits = family === 4 ? 32 : 128;
      return family !== 0 && rest.length === 0 && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits));
    };
    if (entries.length === 0 || !entries.every(valid)) {
      this.problems.push(`${name} must be a comma list of IP addresses or CIDR ranges (got "${raw}")`);
      return [];
    }
    return entries;
  }

  /** Comma list of host:port. */
  brokers(name: string): string[] | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    const brokers = raw.split(',').map((b) => b.trim()).filter(Boolean);
    const malformed = (broker: string): boolean => {
      const port = /^[\w.-]+:(\d{1,5})$/.exec(broker)?.[1];
      return port === undefined || Number(port) < 1 || Number(port) > 65535;
    };
    if (brokers.length === 0 || brokers.some(malformed)) {
      this.problems.push(`${name} must be a comma list of host:port (got "${raw}")`);
      return undefined;
    }
    return brokers;
  }

  /** Comma list of web origins (`https://shop.example`, no path); empty means none. */
  origins(name: string): string[] {
    const raw = this.optional(name);
    if (raw === undefined) return [];
    const origins = [...new Set(raw.split(',').map((o) => o.trim()).filter(Boolean))];
    const isOrigin = (origin: string): boolean => {
      try {
        const url = new URL(origin);
        return ['http:', 'https:'].includes(url.protocol) && url.origin === origin;
      } catch {
        return false;
      }
    };
    const bad = origins.filter((origin) => !isOrigin(origin));
    if (bad.length > 0) {
      this.problems.push(`${name} must be a comma list of origins like https://shop.example, without path or trailing slash (not ${bad.join(', ')})`);
      return [];
    }
    return origins;
  }

  url(name: string, protocols: string[]): string | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    try {
      const { protocol } = new URL(raw);
      if (protocols.includes(protocol)) return raw;
    } catch {
      // reported below
    }
    this.problems.push(`${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);
    return undefined;
  }
}

function elasticsearchOf(read: EnvReader): AppConfig['catalog']['elasticsearch'] {
  const url = read.url('ELASTICSEARCH_URL', ['http:', 'https:']);
  const settings = {
    indexPrefix: read.string('ELASTICSEARCH_INDEX_PREFIX', 'commerce'),
    shards: read.int('ELASTICSEARCH_SHARDS', 3, 1, 1024),
    replicas: read.int('ELASTICSEARCH_REPLICAS', 1, 0, 16),
  };
  return url === undefined ? undefined : { url, ...settings };
}

function kafkaOf(read: EnvReader, modules: ContextName[]): KafkaOptions | undefined {
  const brokers = read.brokers('KAFKA_BROKERS');
  const settings = {
    clientId: read.string('KAFKA_CLIENT_ID', 'commerce'),
    topicPartitions: read.int('KAFKA_TOPIC_PARTITIONS', 3, 1, 10_000),
    replicationFactor: read.int('KAFKA_REPLICATION_FACTOR', 1, 1, 100),
    maxWaitTimeMs: read.int('KAFKA_MAX_WAIT_MS', 100, 1, 60_000),
    partitionsConsumedConcurrently: read.int('KAFKA_PARTITIONS_CONCURRENTLY', 4, 1, 1000),
    sessionTimeoutMs: read.int('KAFKA_SESSION_TIMEOUT_MS', 30_000, 6000, 300_000),
  };
  if (read.optional('KAFKA_BROKERS') === undefined && modules.length < CONTEXT_NAMES.length) {
    read.problems.push(`MODULES=${modules.join(',')} leaves contexts to other processes, so KAFKA_BROKERS must be set`);
  }
  return brokers === undefined ? undefined : { brokers, ...settings };
}

/** NODE_ENV=production (the Docker image): operations endpoints default to closed. */
function production(read: EnvReader): boolean {
  return read.optional('NODE_ENV') === 'production';
}

function authOf(read: EnvReader, modules: ContextName[]): AuthOptions {
  const hostsIdentity = modules.includes('identity');
  const jwksUrl = read.url('JWKS_URL', ['http:', 'https:']);
  if (!hostsIdentity && jwksUrl === undefined) {
    read.problems.push(`MODULES=${modules.join(',')} leaves identity to another process, so JWKS_URL must name its /.well-known/jwks.json`);
  }
  return {
    issuer: read.string('JWT_ISSUER', 'commerce-core'),
    audience: read.string('JWT_AUDIENCE', 'commerce-api'),
    jwksUrl: hostsIdentity ? undefined : jwksUrl,
    privateKeyPem: read.pem('JWT_PRIVATE_KEY'),
    publicMetrics: read.bool('METRICS_PUBLIC', !production(read)),
  };
}

function consoleOf(read: EnvReader, modules: ContextName[]): AppConfig['console'] {
  const loginRequired = read.bool('CONSOLE_AUTH', true);
  if (!loginRequired && production(read)) {
    read.problems.push('CONSOLE_AUTH=off lets anyone reach the operations console as staff without a login: for development only, refused with NODE_ENV=production');
  }
  if (!loginRequired && !modules.includes('identity')) {
    read.problems.push(`CONSOLE_AUTH=off needs identity in MODULES, which signs the console's token (MODULES=${modules.join(',')})`);
  }
  return { loginRequired };
}

/** Ethereum, Polygon, Base, and a local development chain (Hardhat, Anvil). */
const DEFAULT_SIWE_CHAIN_IDS = [1, 137, 8453, 31337];

function walletSignInOf(read: EnvReader, port: number): IdentityOptions['wallet'] {
  const domain = read.string('SIWE_DOMAIN', `localhost:${port}`);
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/i.test(domain)) {
    read.problems.push(`SIWE_DOMAIN must be a host, with a port where it is not the default, like shop.example or localhost:3000 (got "${domain}")`);
  }
  const rawChains = read.optional('SIWE_ALLOWED_CHAIN_IDS');
  const chains = rawChains?.split(',').map((id) => id.trim()) ?? DEFAULT_SIWE_CHAIN_IDS.map(String);
  if (!chains.every((id) => /^[1-9]\d{0,15}$/.test(id) && Number.isSafeInteger(Number(id)))) {
    read.problems.push(`SIWE_ALLOWED_CHAIN_IDS must be a comma list of EIP-155 chain ids, like 1,137,8453 (got "${rawChains}")`);
  }
  return {
    domain,
    allowedChainIds: [...new Set(chains.map(Number))],
    nonceTtlSeconds: read.int('SIWE_NONCE_TTL_SECONDS', 300, 10, 3600),
  };
}

/**
 * OWASP's argon2id rows of equal defense (Password Storage Cheat Sheet): memory in KiB, passes.
 * A cost at or above one of them in both is as strong as OWASP's minimum.
 */
const OWASP_ARGON2ID_ROWS = [
  [47_104, 1],
  [19_456, 2],
  [12_288, 3],
  [9_216, 4],
  [7_168, 5],
] as const;

/**
 * The argon2id cost. Below OWASP's rows it only starts outside production: suites and a laptop
 * hash cheaply, a deployment does not by mistake.
 */
function passwordHashingOf(read: EnvReader): IdentityOptions['passwordHashing'] {
  // OWASP's argon2id row of least memory: as strong as 19 MiB and 2 passes, for less memory and CPU (docs/decisions/0086).
  const [leastMemoryKib, itsPasses] = OWASP_ARGON2ID_ROWS[OWASP_ARGON2ID_ROWS.length - 1];
  const memoryKib = read.int('PASSWORD_HASH_MEMORY_KIB', leastMemoryKib, leastMemoryKib, 4_194_304);
  const iterations = read.int('PASSWORD_HASH_ITERATIONS', itsPasses, 1, 100);
  if (production(read) && !OWASP_ARGON2ID_ROWS.some(([memory, passes]) => memoryKib >= memory && iterations >= passes)) {
    read.problems.push(
      `PASSWORD_HASH_MEMORY_KIB=${memoryKib} with PASSWORD_HASH_ITERATIONS=${iterations} is below OWASP's argon2id rows ` +
        `(${OWASP_ARGON2ID_ROWS.map(([memory, passes]) => `${memory} KiB × ${passes}`).join(', ')}): refused with NODE_ENV=production`,
    );
  }
  return { memoryKib, iterations, concurrency: read.int('PASSWORD_HASH_CONCURRENCY', Math.min(availableParallelism(), 64), 1, 64) };
}

function identityOf(read: EnvReader, port: number): IdentityOptions {
  const email = read.optional('ADMIN_EMAIL');
  const password = read.optional('ADMIN_PASSWORD');
  if ((email === undefined) !== (password === undefined)) read.problems.push('ADMIN_EMAIL and ADMIN_PASSWORD go together');
  if (password !== undefined && password.length < 10) read.problems.push('ADMIN_PASSWORD must have at least 10 characters');
  return {
    accessTokenTtlSeconds: read.int('ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400),
    refreshTokenTtlSeconds: read.int('REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 60, 365 * 86_400),
    passwordHashing: passwordHashingOf(read),
    wallet: walletSignInOf(read, port),
    admin: email === undefined || password === undefined ? undefined : { email, password },
  };
}

const XPUB = /^xpub[1-9A-HJ-NP-Za-km-z]{107}$/;

/**
 * Crypto payments by on-chain transfer: on with CRYPTO_RECEIVING_XPUB, on the chains of WEB3_CHAINS
 * that have a stablecoin configured (payments README, "Crypto payments by on-chain transfer").
 */
function transferPaymentsOf(read: EnvReader, chains: readonly ChainConfig[]): TransferPaymentOptions | undefined {
  const xpub = read.optional('CRYPTO_RECEIVING_XPUB');
  const defaultChainId = read.optional('CRYPTO_TRANSFER_CHAIN_ID');
  const expiryMs = read.int('CRYPTO_TRANSFER_EXPIRY_SECONDS', 900, 60, 7 * 86_400) * 1000;
  const pollMs = read.int('CRYPTO_TRANSFER_POLL_MS', 2000, 50, 600_000);
  if (xpub === undefined) return undefined;
  // Not repeated in the message: it is not secret, but it lets anyone list every payment's address.
  if (!XPUB.test(xpub)) read.problems.push("CRYPTO_RECEIVING_XPUB must be an extended public key (xpub…, the account level m/44'/60'/0')");
  const payable = chains.filter(({ tokens }) => Object.keys(tokens).length > 0);
  if (payable.length === 0) {
    read.problems.push('CRYPTO_RECEIVING_XPUB needs WEB3_CHAINS with at least one chain that has a token');
    return undefined;
  }
  const chainId = defaultChainId === undefined ? payable[0].id : Number(defaultChainId);
  if (!payable.some(({ id }) => id === chainId)) read.problems.push(`CRYPTO_TRANSFER_CHAIN_ID must be a chain of WEB3_CHAINS with a token (got "${defaultChainId}")`);
  return {
    chains: payable.map(({ id, confirmations, tokens }) => ({ chainId: id, confirmations, tokens })),
    defaultChainId: chainId,
    receivingXpub: xpub,
    expiryMs,
    pollMs,
    maxBlockRange: 1000,
  };
}

function rateLimitOf(read: EnvReader, redis: Pick<RateLimitOptions, 'redisUrl' | 'keyPrefix'>): RateLimitOptions {
  const bucket = (name: string, fallback: BucketLimit): BucketLimit => ({
    limit: read.int(`RATE_LIMIT_${name}_LIMIT`, fallback.limit, 1, 1_000_000),
    windowMs: read.int(`RATE_LIMIT_${name}_WINDOW_MS`, fallback.windowMs, 1000, 86_400_000),
  });
  const { buckets } = RATE_LIMIT_DEFAULTS;
  return {
    enabled: read.bool('RATE_LIMIT_ENABLED', true),
    ...redis,
    buckets: {
      default: bucket('DEFAULT', buckets.default),
      auth: bucket('AUTH', buckets.auth),
      authAccount: bucket('AUTH_ACCOUNT', buckets.authAccount),
      orders: bucket('ORDERS', buckets.orders),
    },
  };
}

function failpointsOf(read: EnvReader): FailpointSetting[] {
  const raw = read.optional('FAILPOINTS');
  if (raw === undefined) return [];
  const { settings, problems } = parseFailpoints(raw);
  read.problems.push(...problems.map((problem) => `FAILPOINTS: ${problem}`));
  return settings;
}

export function loadConfig(env: Env = process.env, stdoutIsTty = process.stdout.isTTY === true): AppConfig {
  const read = new EnvReader(env);
  const databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const modules = read.listOf('MODULES', CONTEXT_NAMES);
  const redisUrl = read.url('REDIS_URL', ['redis:', 'rediss:']);
  const redisKeyPrefix = read.string('CACHE_KEY_PREFIX', 'commerce');
  const port = read.int('PORT', 3000, 0, 65535);
  const web3 = web3Of(read);
  const config: AppConfig = {
    modules,
    http: read.bool('HTTP', true),
    docs: read.bool('DOCS_ENABLED', !production(read)),
    console: consoleOf(read, modules),
    port,
    host: read.string('HOST', '0.0.0.0'),
    edge: {
      corsOrigins: read.origins('CORS_ORIGINS'),
      bodyLimitBytes: read.int('HTTP_BODY_LIMIT_BYTES', DEFAULT_BODY_LIMIT_BYTES, 1024, 16 * 1_048_576),
      trustedProxies: read.addresses('TRUST_PROXY'),
    },
    log: {
      level: read.oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
      // Text for a person at a terminal, JSON for whatever collects the output otherwise.
      format: read.oneOf('LOG_FORMAT', stdoutIsTty ? 'pretty' : 'json', LOG_FORMATS),
    },
    tracing: {
      serviceName: read.string('OTEL_SERVICE_NAME', 'commerce-core'),
      otlpEndpoint: read.url('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']),
    },
    database: {
      url: databaseUrl,
      dataDir: read.string('DATA_DIR', DEFAULT_DATA_DIR),
      embeddedSharedBuffersMb: read.int('EMBEDDED_SHARED_BUFFERS_MB', DEFAULT_EMBEDDED_SHARED_BUFFERS_MB, 1, 1024),
      poolSize: read.int('DATABASE_POOL_SIZE', 20, 1, 1000),
      queryTimeoutMs: read.int('DATABASE_QUERY_TIMEOUT_MS', 10_000, 1000, 3_600_000),
    },
    // Demo data only where a person is trying the shop out: the embedded database.
    seedDemo: read.bool('SEED_DEMO', databaseUrl === undefined),
    catalog: {
      mongodbUrl: read.url('MONGODB_URL', ['mongodb:', 'mongodb+srv:']),
      elasticsearch: elasticsearchOf(read),
    },
    cache: {
      redisUrl,
      l1MaxEntries: read.int('CACHE_L1_MAX_ENTRIES', 10_000, 1, 10_000_000),
      l1MaxBytes: read.int('CACHE_L1_MAX_BYTES', CACHE_DEFAULTS.l1MaxBytes, 64 * 1024, 64 * 1024 * 1024 * 1024),
      keyPrefix: redisKeyPrefix,
    },
    auth: authOf(read, modules),
    identity: identityOf(read, port),
    messaging: {
      pollIntervalMs: read.int('OUTBOX_POLL_MS', 1000, 10),
      leaseMs: read.int('OUTBOX_LEASE_MS', 30_000, 100),
      maxAttempts: read.int('MESSAGE_MAX_ATTEMPTS', 8, 1, 100),
      retryBaseMs: read.int('MESSAGE_RETRY_BASE_MS', 200, 1),
      retryMaxMs: read.int('MESSAGE_RETRY_MAX_MS', 30_000, 1),
      batchSize: read.int('OUTBOX_BATCH_SIZE', 100, 1, 1000),
      maxInFlight: read.int('OUTBOX_MAX_IN_FLIGHT', 400, 1, 10_000),
      claimWaitMs: read.int('OUTBOX_CLAIM_WAIT_MS', 1000, 0, 60_000),
      drainTimeoutMs: read.int('SHUTDOWN_DRAIN_MS', 10_000, 0),
      retentionMs: read.int('MESSAGE_RETENTION_MS', 7 * 24 * 3600 * 1000, 1000),
      kafka: kafkaOf(read, modules),
    },
    saga: {
      deadlineMs: read.int('SAGA_DEADLINE_MS', 30_000, 100),
      sweepIntervalMs: read.int('SAGA_SWEEP_MS', 1000, 10),
      redriveAfterMs: read.int('SAGA_REDRIVE_AFTER_MS', 10_000, 100),
    },
    admission: {
      maxUndecided: read.int('ORDER_ADMISSION_MAX_UNDECIDED', 2000, 1),
      maxDeliveryLagMs: read.int('ORDER_ADMISSION_MAX_LAG_MS', 10_000, 1),
    },
    paymentMethodRefs: paymentMethodRefsOf(read, modules, read.int('PAYMENT_METHOD_REF_TTL_MS', 900_000, 1, 86_400_000)),
    payments: {
      providerUrl: read.url('PAYMENT_PROVIDER_URL', ['http:', 'https:']),
      providerLatencyMs: read.int('PAYMENT_LATENCY_MS', 0, 0, 60_000),
      providerFailureRate: read.fraction('PAYMENT_FAILURE_RATE', 0),
      providerTimeoutMs: read.int('PAYMENT_TIMEOUT_MS', 2000, 10),
      retryAttempts: read.int('PAYMENT_RETRY_ATTEMPTS', 3, 1, 20),
      retryBaseMs: read.int('PAYMENT_RETRY_BASE_MS', 100, 1),
      providerMaxConcurrent: read.int('PAYMENT_PROVIDER_MAX_CONCURRENT', 400, 1, 10_000),
      providerMaxWaitMs: read.int('PAYMENT_PROVIDER_MAX_WAIT_MS', 1000, 1, 60_000),
      breakerErrorPercent: read.int('PAYMENT_BREAKER_ERROR_PERCENT', 50, 1, 100),
      breakerVolume: read.int('PAYMENT_BREAKER_VOLUME', 10, 1, 10_000),
      breakerResetMs: read.int('PAYMENT_BREAKER_RESET_MS', 60_000, 100, 3_600_000),
      parkMaxMs: read.int('PAYMENT_PARK_MAX_MS', 600_000, 1000, 86_400_000),
      parkSweepMs: read.int('PAYMENT_PARK_SWEEP_MS', 5000, 10, 3_600_000),
      webhookSecrets: {
        card: read.optional('PAYMENT_WEBHOOK_SECRET_CARD'),
        paypal: read.optional('PAYMENT_WEBHOOK_SECRET_PAYPAL'),
        crypto: read.optional('PAYMENT_WEBHOOK_SECRET_CRYPTO'),
      },
      paypalWebhookId: read.optional('PAYMENT_WEBHOOK_ID_PAYPAL'),
      webhookToleranceSeconds: read.int('PAYMENT_WEBHOOK_TOLERANCE_S', 300, 1, 3600),
      transfers: transferPaymentsOf(read, web3.chains),
    },
    rateLimit: rateLimitOf(read, { redisUrl, keyPrefix: redisKeyPrefix }),
    notifications: notificationsOf(read),
    web3,
    receipts: receiptsOf(read, web3, modules),
    failpoints: failpointsOf(read),
    shutdownTimeoutMs: read.int('SHUTDOWN_TIMEOUT_MS', 30_000, 1000),
  };
  for (const [provider, secret] of Object.entries(config.payments.webhookSecrets)) {
    if ((secret?.length ?? 32) < 32) {
      read.problems.push(`PAYMENT_WEBHOOK_SECRET_${provider.toUpperCase()} must be at least 32 characters: anyone who guesses it can forge webhook events`);
    }
  }
  const { paypal: paypalSecret } = config.payments.webhookSecrets;
  const { paypalWebhookId } = config.payments;
  if (paypalWebhookId !== undefined ? !/^[A-Za-z0-9]{1,50}$/.test(paypalWebhookId) : paypalSecret !== undefined) {
    read.problems.push('PAYMENT_WEBHOOK_ID_PAYPAL must be the webhook id PayPal gave the endpoint (letters and digits, at most 50) when PAYMENT_WEBHOOK_SECRET_PAYPAL is set');
  }
  if (config.shutdownTimeoutMs <= config.messaging.drainTimeoutMs) {
    read.problems.push(`SHUTDOWN_TIMEOUT_MS must be longer than SHUTDOWN_DRAIN_MS (${config.messaging.drainTimeoutMs})`);
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}
