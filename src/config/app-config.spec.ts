import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe(loadConfig.name, () => {
  it('runs on the embedded database with demo data when nothing is set', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ url: undefined, dataDir: './data', embeddedSharedBuffersMb: 16, poolSize: 20, queryTimeoutMs: 10_000 });
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

  it('reads FAILPOINTS, and refuses an unknown failpoint or a malformed action by name', () => {
    expect(loadConfig({}).failpoints).toEqual([]);
    expect(loadConfig({ FAILPOINTS: 'after-outbox-mark=kill@3' }).failpoints).toEqual([
      { name: 'after-outbox-mark', action: { kind: 'kill' }, onlyAt: 3 },
    ]);
    expect(() => loadConfig({ FAILPOINTS: 'after-outbox-marked=kill,after-outbox-claim=crash' })).toThrow(
      /^Invalid configuration: FAILPOINTS: unknown failpoint "after-outbox-marked" \(known: .*\); FAILPOINTS: "after-outbox-claim=crash" must be /,
    );
  });

  it('points payments at the card provider of PAYMENT_PROVIDER_URL, an http(s) URL, or at none to host one', () => {
    expect(loadConfig({}).payments.providerUrl).toBeUndefined();
    expect(loadConfig({ PAYMENT_PROVIDER_URL: 'http://providers:4010' }).payments.providerUrl).toBe('http://providers:4010');
    for (const bad of ['providers:4010', 'ftp://providers', 'not a url']) {
      expect(() => loadConfig({ PAYMENT_PROVIDER_URL: bad })).toThrow('PAYMENT_PROVIDER_URL must be a URL starting with http:// or https://');
    }
  });

  it("guards the payment provider with a breaker and a bulkhead whose settings are bounded", () => {
    expect(loadConfig({}).payments).toMatchObject({ breakerErrorPercent: 50, breakerVolume: 10, breakerResetMs: 60_000, providerMaxConcurrent: 400 });
    const set = { PAYMENT_BREAKER_ERROR_PERCENT: '25', PAYMENT_BREAKER_VOLUME: '20', PAYMENT_BREAKER_RESET_MS: '5000', PAYMENT_PROVIDER_MAX_CONCURRENT: '50' };
    expect(loadConfig(set).payments).toMatchObject({ breakerErrorPercent: 25, breakerVolume: 20, breakerResetMs: 5000, providerMaxConcurrent: 50 });
    for (const [name, bad, bounds] of [
      ['PAYMENT_BREAKER_ERROR_PERCENT', '101', 'from 1 to 100'],
      ['PAYMENT_BREAKER_VOLUME', '0', 'from 1 to 10000'],
      ['PAYMENT_BREAKER_RESET_MS', '99', 'from 100 to 3600000'],
      ['PAYMENT_PROVIDER_MAX_CONCURRENT', 'many', 'from 1 to 10000'],
    ]) {
      expect(() => loadConfig({ [name]: bad })).toThrow(`${name} must be an integer ${bounds} (got "${bad}")`);
    }
  });

  it('gives the card webhook endpoint a secret only when set, long enough not to be guessed, and a bounded tolerance', () => {
    expect(loadConfig({}).payments).toMatchObject({ webhookSecrets: { card: undefined }, webhookToleranceSeconds: 300 });
    const secret = 'whsec_0123456789abcdef0123456789abcdef';
    expect(loadConfig({ PAYMENT_WEBHOOK_SECRET_CARD: secret, PAYMENT_WEBHOOK_TOLERANCE_S: '60' }).payments).toMatchObject({
      webhookSecrets: { card: secret },
      webhookToleranceSeconds: 60,
    });
    expect(() => loadConfig({ PAYMENT_WEBHOOK_SECRET_CARD: 'short' })).toThrow('PAYMENT_WEBHOOK_SECRET_CARD must be at least 32 characters');
    expect(() => loadConfig({ PAYMENT_WEBHOOK_SECRET_CRYPTO: 'short' })).toThrow('PAYMENT_WEBHOOK_SECRET_CRYPTO must be at least 32 characters');
    expect(() => loadConfig({ PAYMENT_WEBHOOK_TOLERANCE_S: '0' })).toThrow('PAYMENT_WEBHOOK_TOLERANCE_S must be an integer from 1 to 3600 (got "0")');
  });

  it('gives the PayPal and crypto webhook endpoints their secrets, PayPal only with the webhook id its signatures cover', () => {
    const secret = 'whsec_0123456789abcdef0123456789abcdef';
    expect(loadConfig({ PAYMENT_WEBHOOK_SECRET_PAYPAL: secret, PAYMENT_WEBHOOK_ID_PAYPAL: '8PT597110X687430LKGECATA', PAYMENT_WEBHOOK_SECRET_CRYPTO: secret }).payments).toMatchObject({
      webhookSecrets: { paypal: secret, crypto: secret },
      paypalWebhookId: '8PT597110X687430LKGECATA',
    });
    expect(() => loadConfig({ PAYMENT_WEBHOOK_SECRET_PAYPAL: secret })).toThrow('PAYMENT_WEBHOOK_ID_PAYPAL must be the webhook id');
    expect(() => loadConfig({ PAYMENT_WEBHOOK_SECRET_PAYPAL: secret, PAYMENT_WEBHOOK_ID_PAYPAL: 'not an id' })).toThrow('PAYMENT_WEBHOOK_ID_PAYPAL must be the webhook id');
    expect(() => loadConfig({ PAYMENT_WEBHOOK_SECRET_PAYPAL: 'short', PAYMENT_WEBHOOK_ID_PAYPAL: 'WH1' })).toThrow('PAYMENT_WEBHOOK_SECRET_PAYPAL must be at least 32 characters');
  });

  it('bounds a stop by SHUTDOWN_TIMEOUT_MS, which must leave the drain its time', () => {
    expect(loadConfig({}).shutdownTimeoutMs).toBe(30_000);
    expect(() => loadConfig({ SHUTDOWN_DRAIN_MS: '30000' })).toThrow('SHUTDOWN_TIMEOUT_MS must be longer than SHUTDOWN_DRAIN_MS (30000)');
    expect(loadConfig({ SHUTDOWN_DRAIN_MS: '30000', SHUTDOWN_TIMEOUT_MS: '45000' }).shutdownTimeoutMs).toBe(45_000);
  });

  it("sizes the embedded database's buffer cache by EMBEDDED_SHARED_BUFFERS_MB, from 1 MB to 1 GB", () => {
    expect(loadConfig({ EMBEDDED_SHARED_BUFFERS_MB: '64' }).database.embeddedSharedBuffersMb).toBe(64);
    for (const outOfBounds of ['0', '1025', '16MB']) {
      expect(() => loadConfig({ EMBEDDED_SHARED_BUFFERS_MB: outOfBounds })).toThrow(
        `EMBEDDED_SHARED_BUFFERS_MB must be an integer from 1 to 1024 (got "${outOfBounds}")`,
      );
    }
  });

  it('bounds a query by DATABASE_QUERY_TIMEOUT_MS, from a second to an hour', () => {
    expect(loadConfig({ DATABASE_QUERY_TIMEOUT_MS: '30000' }).database.queryTimeoutMs).toBe(30_000);
    for (const outOfBounds of ['999', '3600001', '0', 'ten']) {
      expect(() => loadConfig({ DATABASE_QUERY_TIMEOUT_MS: outOfBounds })).toThrow(
        `DATABASE_QUERY_TIMEOUT_MS must be an integer from 1000 to 3600000 (got "${outOfBounds}")`,
      );
    }
  });

  it('hosts every context in one process without Kafka by default', () => {
    const config = loadConfig({});
    expect(config.modules).toEqual(['catalog', 'inventory', 'ordering', 'payments', 'notifications', 'identity', 'receipts']);
    expect(config.http).toBe(true);
    expect(config.messaging.kafka).toBeUndefined();
  });

  it('hosts the contexts MODULES names and reaches the rest over KAFKA_BROKERS', () => {
    const config = loadConfig({
      MODULES: ' inventory ,payments',
      HTTP: 'off',
      KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092',
      JWKS_URL: 'http://edge:3000/.well-known/jwks.json',
      PAYMENT_METHOD_PRIVATE_KEY: generateKeyPairSync('x25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    });
    expect(config.modules).toEqual(['inventory', 'payments']);
    expect(config.http).toBe(false);
    expect(config.messaging.kafka).toMatchObject({ brokers: ['kafka-1:9092', 'kafka-2:9092'], clientId: 'commerce', topicPartitions: 3 });
  });

  it('refuses a split without Kafka, unknown contexts and malformed brokers', () => {
    const problems = (env: Record<string, string>): string[] => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ MODULES: 'inventory' })).toEqual([
      expect.stringContaining('JWKS_URL must name'),
      expect.stringContaining('KAFKA_BROKERS must be set'),
    ]);
    expect(problems({ MODULES: 'inventory,shipping', KAFKA_BROKERS: 'k:9092' })).toEqual([
      expect.stringContaining('MODULES must be a comma list of catalog, inventory'),
    ]);
    expect(problems({ KAFKA_BROKERS: 'http://kafka' })).toEqual([expect.stringContaining('KAFKA_BROKERS must be a comma list of host:port')]);
  });

  it('verifies tokens with its own key where identity runs, and through JWKS_URL elsewhere', () => {
    expect(loadConfig({}).auth).toEqual({ issuer: 'commerce-core', audience: 'commerce-api', jwksUrl: undefined, privateKeyPem: undefined, publicMetrics: true });
    const worker = loadConfig({ MODULES: 'inventory', KAFKA_BROKERS: 'k:9092', JWKS_URL: 'http://edge:3000/.well-known/jwks.json' });
    expect(worker.auth.jwksUrl).toBe('http://edge:3000/.well-known/jwks.json');
    expect(loadConfig({ JWT_PRIVATE_KEY: 'line 1\\nline 2' }).auth.privateKeyPem).toBe('line 1\nline 2');
  });

  it('reads the signing key from JWT_PRIVATE_KEY_FILE, and says when that file cannot be read', () => {
    const directory = mkdtempSync(join(tmpdir(), 'jwt-'));
    const file = join(directory, 'key.pem');
    try {
      writeFileSync(file, 'a PEM\n');
      expect(loadConfig({ JWT_PRIVATE_KEY_FILE: file }).auth.privateKeyPem).toBe('a PEM\n');
      expect(() => loadConfig({ JWT_PRIVATE_KEY_FILE: `${file}.missing` })).toThrow('JWT_PRIVATE_KEY_FILE names a file that cannot be read (ENOENT)');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("hashes passwords with OWASP's argon2id row of least memory unless told otherwise, with at least 7 MiB", () => {
    expect(loadConfig({}).identity.passwordHashing).toMatchObject({ memoryKib: 7168, iterations: 5 });
    expect(loadConfig({ PASSWORD_HASH_MEMORY_KIB: '19456', PASSWORD_HASH_ITERATIONS: '2' }).identity.passwordHashing).toMatchObject({
      memoryKib: 19456,
      iterations: 2,
    });
    expect(() => loadConfig({ PASSWORD_HASH_MEMORY_KIB: '7167' })).toThrow(
      'PASSWORD_HASH_MEMORY_KIB must be an integer from 7168 to 4194304 (got "7167")',
    );
  });

  it("refuses a password cost below every one of OWASP's argon2id rows with NODE_ENV=production, and allows it elsewhere", () => {
    const production = { NODE_ENV: 'production' };
    const rows = [['47104', '1'], ['19456', '2'], ['12288', '3'], ['9216', '4'], ['7168', '5'], ['65536', '3']];
    for (const [memory, passes] of rows) {
      expect(loadConfig({ ...production, PASSWORD_HASH_MEMORY_KIB: memory, PASSWORD_HASH_ITERATIONS: passes }).identity.passwordHashing).toMatchObject({
        memoryKib: Number(memory),
        iterations: Number(passes),
      });
    }
    for (const [memory, passes] of [['7168', '4'], ['19455', '2'], ['46080', '1'], ['9215', '4']]) {
      expect(() => loadConfig({ ...production, PASSWORD_HASH_MEMORY_KIB: memory, PASSWORD_HASH_ITERATIONS: passes })).toThrow(
        `PASSWORD_HASH_MEMORY_KIB=${memory} with PASSWORD_HASH_ITERATIONS=${passes} is below OWASP's argon2id rows (47104 KiB × 1, 19456 KiB × 2, 12288 KiB × 3, 9216 KiB × 4, 7168 KiB × 5): refused with NODE_ENV=production`,
      );
    }
    expect(loadConfig({ PASSWORD_HASH_MEMORY_KIB: '7168', PASSWORD_HASH_ITERATIONS: '1' }).identity.passwordHashing).toMatchObject({ memoryKib: 7168, iterations: 1 });
  });

  it('runs one password hash a core at once unless PASSWORD_HASH_CONCURRENCY says otherwise, from 1 to 64', () => {
    expect(loadConfig({}).identity.passwordHashing.concurrency).toBe(Math.min(availableParallelism(), 64));
    expect(loadConfig({ PASSWORD_HASH_CONCURRENCY: '1' }).identity.passwordHashing.concurrency).toBe(1);
    for (const outOfBounds of ['0', '65', 'two']) {
      expect(() => loadConfig({ PASSWORD_HASH_CONCURRENCY: outOfBounds })).toThrow(
        `PASSWORD_HASH_CONCURRENCY must be an integer from 1 to 64 (got "${outOfBounds}")`,
      );
    }
  });

  it('takes a first admin from ADMIN_EMAIL and ADMIN_PASSWORD only together, with a password of 10 characters or more', () => {
    expect(loadConfig({ ADMIN_EMAIL: 'a@b.c', ADMIN_PASSWORD: 'long enough' }).identity.admin).toEqual({ email: 'a@b.c', password: 'long enough' });
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.c' })).toThrow('ADMIN_EMAIL and ADMIN_PASSWORD go together');
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.c', ADMIN_PASSWORD: 'short' })).toThrow('ADMIN_PASSWORD must have at least 10 characters');
  });

  it('accepts wallet sign-in messages for its own host and the usual chains unless told otherwise, and refuses bad settings', () => {
    expect(loadConfig({ PORT: '8080' }).identity.wallet).toEqual({ domain: 'localhost:8080', allowedChainIds: [1, 137, 8453, 31337], nonceTtlSeconds: 300 });
    const told = loadConfig({ SIWE_DOMAIN: 'shop.example', SIWE_ALLOWED_CHAIN_IDS: '8453, 1', SIWE_NONCE_TTL_SECONDS: '60' });
    expect(told.identity.wallet).toEqual({ domain: 'shop.example', allowedChainIds: [8453, 1], nonceTtlSeconds: 60 });
    expect(() => loadConfig({ SIWE_DOMAIN: 'https://shop.example' })).toThrow('SIWE_DOMAIN must be a host');
    expect(() => loadConfig({ SIWE_ALLOWED_CHAIN_IDS: '1,polygon' })).toThrow('SIWE_ALLOWED_CHAIN_IDS must be a comma list of EIP-155 chain ids');
    expect(() => loadConfig({ SIWE_ALLOWED_CHAIN_IDS: '0' })).toThrow('SIWE_ALLOWED_CHAIN_IDS');
    expect(() => loadConfig({ SIWE_NONCE_TTL_SECONDS: '5' })).toThrow('SIWE_NONCE_TTL_SECONDS must be an integer from 10 to 3600');
  });

  it('reads no chain unless WEB3_CHAINS enables one, and stops the start on a bad entry, naming its field', () => {
    expect(loadConfig({}).web3.chains).toEqual([]);
    expect(loadConfig({ WEB3_CHAINS: '[{"id": 137, "rpcUrl": "https://polygon.example"}]' }).web3.chains).toMatchObject([{ id: 137, name: 'Polygon' }]);
    expect(() => loadConfig({ WEB3_CHAINS: '[{"id": 137, "rpcUrl": "https://polygon.example", "receiptContract": "0x12"}]' })).toThrow(
      'Invalid configuration: WEB3_CHAINS[0].receiptContract must be an address',
    );
  });

  it('takes crypto payments by on-chain transfer only with CRYPTO_RECEIVING_XPUB, on the chains of WEB3_CHAINS that have a token', () => {
    // A well-formed extended public key (its Base58Check checksum holds).
    const xpub = 'xpub6BosfCnifzxcFwrSzQiqu2DBVTshkCXacvNsWGYJVVhhawA7d4R5WSWGFNbi8Aw6ZRc1brxMyWMzG3DSSSSoekkudhUd9yLb6qx39T9nMdj';
    const chains = JSON.stringify([
      { id: 8453, rpcUrl: 'https://base.example' },
      { id: 31337, rpcUrl: 'http://127.0.0.1:8545', tokens: {} },
    ]);
    expect(loadConfig({ WEB3_CHAINS: chains }).payments.transfers).toBeUndefined();
    const transfers = loadConfig({ WEB3_CHAINS: chains, CRYPTO_RECEIVING_XPUB: xpub, CRYPTO_TRANSFER_EXPIRY_SECONDS: '120' }).payments.transfers;
    expect(transfers).toMatchObject({ defaultChainId: 8453, receivingXpub: xpub, expiryMs: 120_000, pollMs: 2000, chains: [{ chainId: 8453, confirmations: 10 }] });
    expect(() => loadConfig({ CRYPTO_RECEIVING_XPUB: xpub })).toThrow('CRYPTO_RECEIVING_XPUB needs WEB3_CHAINS with at least one chain that has a token');
    expect(() => loadConfig({ WEB3_CHAINS: chains, CRYPTO_RECEIVING_XPUB: 'xprv9s21ZrQH143K' })).toThrow('CRYPTO_RECEIVING_XPUB must be an extended public key');
    expect(() => loadConfig({ WEB3_CHAINS: chains, CRYPTO_RECEIVING_XPUB: xpub, CRYPTO_TRANSFER_CHAIN_ID: '31337' })).toThrow(
      'CRYPTO_TRANSFER_CHAIN_ID must be a chain of WEB3_CHAINS with a token',
    );
  });

  it('opens /docs and /metrics to anyone, except in production unless told so', () => {
    expect(loadConfig({})).toMatchObject({ docs: true, auth: { publicMetrics: true } });
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ docs: false, auth: { publicMetrics: false } });
    expect(loadConfig({ NODE_ENV: 'production', DOCS_ENABLED: 'true', METRICS_PUBLIC: 'true' })).toMatchObject({ docs: true, auth: { publicMetrics: true } });
  });

  it('asks for a login at the operations console unless CONSOLE_AUTH=off, which production and a process without identity refuse', () => {
    expect(loadConfig({}).console).toEqual({ loginRequired: true });
    expect(loadConfig({ CONSOLE_AUTH: 'off' }).console).toEqual({ loginRequired: false });
    expect(() => loadConfig({ CONSOLE_AUTH: 'off', NODE_ENV: 'production' })).toThrow('CONSOLE_AUTH=off lets anyone reach the operations console as staff');
    expect(() => loadConfig({ CONSOLE_AUTH: 'off', MODULES: 'ordering', KAFKA_BROKERS: 'kafka:9092', JWKS_URL: 'http://edge/jwks' })).toThrow(
      'CONSOLE_AUTH=off needs identity in MODULES',
    );
    expect(() => loadConfig({ CONSOLE_AUTH: 'maybe' })).toThrow('CONSOLE_AUTH must be true or false (got "maybe")');
  });

  it('believes X-Forwarded-For only from the proxies TRUST_PROXY names', () => {
    expect(loadConfig({}).edge.trustedProxies).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).edge.trustedProxies).toEqual(['10.0.0.0/8', '127.0.0.1', '::1']);
    for (const bad of ['kong', '10.0.0.0/33', '10.0.0.1/8/2', ',']) {
      expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow('TRUST_PROXY must be a comma list of IP addresses or CIDR ranges');
    }
  });

  it('writes JSON logs unless stdout is a terminal or LOG_FORMAT says pretty', () => {
    expect(loadConfig({}, false).log).toEqual({ level: 'info', format: 'json' });
    expect(loadConfig({}, true).log).toEqual({ level: 'info', format: 'pretty' });
    expect(loadConfig({ LOG_FORMAT: 'pretty', LOG_LEVEL: 'warn' }, false).log).toEqual({ level: 'warn', format: 'pretty' });
    expect(loadConfig({ LOG_FORMAT: 'json' }, true).log.format).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow('LOG_FORMAT must be one of json, pretty (got "xml")');
  });

  it('states every problem on one line', () => {
    expect(() => loadConfig({ PORT: 'eighty', SEED_DEMO: 'maybe' })).toThrow(
      'Invalid configuration: PORT must be an integer from 0 to 65535 (got "eighty"); SEED_DEMO must be true or false (got "maybe")',
    );
  });

  it('limits every caller by default, counted in the Redis of the cache, each bucket set by its RATE_LIMIT_* pair', () => {
    const { rateLimit } = loadConfig({
      REDIS_URL: 'redis://cache:6379',
      CACHE_KEY_PREFIX: 'shop',
      RATE_LIMIT_ORDERS_LIMIT: '3',
      RATE_LIMIT_ORDERS_WINDOW_MS: '120000',
    });
    expect(rateLimit).toEqual({
      enabled: true,
      redisUrl: 'redis://cache:6379',
      keyPrefix: 'shop',
      buckets: {
        default: { limit: 600, windowMs: 60_000 },
        auth: { limit: 20, windowMs: 60_000 },
        authAccount: { limit: 10, windowMs: 900_000 },
        orders: { limit: 3, windowMs: 120_000 },
      },
    });
    expect(loadConfig({ RATE_LIMIT_ENABLED: 'false' }).rateLimit.enabled).toBe(false);
  });

  it('refuses a rate limit of nothing and a window under a second', () => {
    expect(() => loadConfig({ RATE_LIMIT_AUTH_LIMIT: '0' })).toThrow('RATE_LIMIT_AUTH_LIMIT must be an integer from 1 to 1000000');
    expect(() => loadConfig({ RATE_LIMIT_DEFAULT_WINDOW_MS: '500' })).toThrow('RATE_LIMIT_DEFAULT_WINDOW_MS must be an integer from 1000');
  });

  it('bounds the in-process cache in entries and in bytes, and refuses a byte bound under 64 KiB', () => {
    expect(loadConfig({}).cache).toEqual({ redisUrl: undefined, l1MaxEntries: 10_000, l1MaxBytes: 16_777_216, keyPrefix: 'commerce' });
    expect(loadConfig({ CACHE_L1_MAX_BYTES: '1048576' }).cache.l1MaxBytes).toBe(1_048_576);
    expect(() => loadConfig({ CACHE_L1_MAX_BYTES: '1000' })).toThrow('CACHE_L1_MAX_BYTES must be an integer from 65536');
  });

  it('refuses a broker port out of range', () => {
    expect(() => loadConfig({ KAFKA_BROKERS: 'kafka:99999' })).toThrow('KAFKA_BROKERS must be a comma list of host:port');
  });

  it('lets no other origin in and reads small bodies unless told otherwise', () => {
    expect(loadConfig({}).edge).toEqual({ corsOrigins: [], bodyLimitBytes: 65_536, trustedProxies: [] });
    expect(loadConfig({ CORS_ORIGINS: ' https://shop.example, http://localhost:5173 ', HTTP_BODY_LIMIT_BYTES: '1048576' }).edge).toEqual({
      corsOrigins: ['https://shop.example', 'http://localhost:5173'],
      bodyLimitBytes: 1_048_576,
      trustedProxies: [],
    });
  });

  it('refuses CORS origins that a browser would never send', () => {
    for (const origin of ['*', 'shop.example', 'https://shop.example/', 'https://shop.example/app', 'https://Shop.example', 'ftp://shop.example']) {
      expect(() => loadConfig({ CORS_ORIGINS: `https://ok.example,${origin}` })).toThrow(`CORS_ORIGINS must be a comma list of origins`);
    }
    expect(() => loadConfig({ HTTP_BODY_LIMIT_BYTES: '100' })).toThrow('HTTP_BODY_LIMIT_BYTES must be an integer from 1024 to 16777216');
  });
});
