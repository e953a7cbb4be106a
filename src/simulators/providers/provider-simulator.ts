import { randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import fastify, { FastifyInstance } from 'fastify';
import { CallStats } from './call-stats';
import { CardProvider } from './card-provider';
import { whileClientWaits } from './client-connection';
import { registerControlRoutes } from './control-routes';
import { CryptoProvider } from './crypto-provider';
import { Behaviour, checkBehaviour, FaultInjection } from './fault-injection';
import { idempotent, IdempotencyKeys } from './idempotency';
import { PushProvider, SmsProvider } from './messaging-providers';
import { PaypalProvider } from './paypal-provider';
import { installErrorBodies, ProviderError } from './provider-error';
import { PAYMENT_PROVIDERS, PaymentProviderName, perProvider, ProviderName } from './provider-names';
import type { SimulatedProvider } from './simulated-provider';
import { WebhookDispatcher, WebhookEndpoint } from './webhooks';

export interface ProviderSimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port, read back from `url`. */
  port?: number;
  /** Seeds which calls fail at random; default a random seed, reported back as `seed`. */
  seed?: number;
  /** Every provider's latency and failure rate, unless `providers` sets its own. */
  latencyMs?: number;
  failureRate?: number;
  providers?: Partial<Record<ProviderName, Partial<Behaviour>>>;
  /** Where each payment provider sends its signed events; none is sent for a provider without one. */
  webhooks?: Partial<Record<PaymentProviderName, WebhookEndpoint>>;
}

export interface RunningProviderSimulator {
  /** Base URL, as `http://127.0.0.1:4010`. */
  url: string;
  port: number;
  seed: number;
  /** Stops listening, ends held and delayed calls and pending webhook deliveries. */
  close(): Promise<void>;
}

/** Requests are small JSON documents; anything larger is refused before it is parsed. */
const BODY_LIMIT_BYTES = 16 * 1024;

function checkWebhooks(webhooks: ProviderSimulatorOptions['webhooks'] = {}): void {
  for (const provider of PAYMENT_PROVIDERS) {
    const endpoint = webhooks[provider];
    if (!endpoint) continue;
    if (!URL.canParse(endpoint.url) || !/^https?:$/.test(new URL(endpoint.url).protocol)) {
      throw new RangeError(`the ${provider} webhook URL must be an http(s) URL, got '${endpoint.url}'`);
    }
    if (!endpoint.secret) throw new RangeError(`the ${provider} webhook needs a secret to sign its events`);
    if (provider === 'paypal' && !/^[A-Za-z0-9]{1,50}$/.test(endpoint.webhookId ?? '')) {
      throw new RangeError('the paypal webhook needs its webhook id (letters and digits), which its signatures cover');
    }
  }
}

/** Bodies are JSON only; a POST without a body is validated as an empty object. */
function acceptJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    body === '' ? done(null, undefined) : parseJson(request, body as string, done),
  );
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.method === 'POST') request.body ??= {};
    done();
  });
}

/** Counts each call of the provider, then delays or fails it as its behaviour says, before its route runs. */
function asProviderScope(scope: FastifyInstance, provider: ProviderName, faults: FaultInjection, stats: CallStats, closing: AbortSignal): void {
  scope.addHook('onRequest', (request, reply, done) => {
    stats.received(provider, `${request.method} ${request.routeOptions.url}`);
    // Ended once answered, or as soon as the client hangs up: its FIN is read before the connection's
    // close is emitted, which can come after the client's next call has already arrived.
    const socket = request.raw.socket;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      socket.off('end', end);
      stats.ended(provider, reply.raw.writableFinished);
    };
    socket.once('end', end);
    reply.raw.once('close', end);
    done();
  });
  scope.addHook('preHandler', async (request) => {
    // A client that gives up during the delay leaves no effect behind: its call is dropped.
    const waiting = whileClientWaits(request, closing);
    try {
      await faults.apply(provider, waiting.signal);
    } catch (error) {
      if (error instanceof ProviderError) stats.failedOnPurpose(provider);
      throw error;
    } finally {
      waiting.done();
    }
  });
}

function urlOf(address: AddressInfo): string {
  const host = { '0.0.0.0': '127.0.0.1', '::': '::1' }[address.address] ?? address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/**
 * The simulated outside providers (card, PayPal, crypto, SMS, push) as one HTTP server, with the
 * control API that sets their faults and counts their calls. Tests start it in-process; `npm run
 * providers` runs it as its own process.
 */
export async function startProviderSimulator(options: ProviderSimulatorOptions = {}): Promise<RunningProviderSimulator> {
  const behaviours = perProvider((provider) => ({
    latencyMs: options.providers?.[provider]?.latencyMs ?? options.latencyMs ?? 0,
    failureRate: options.providers?.[provider]?.failureRate ?? options.failureRate ?? 0,
  }));
  for (const [provider, behaviour] of Object.entries(behaviours)) checkBehaviour(behaviour, provider);
  checkWebhooks(options.webhooks);
  const seed = options.seed ?? randomInt(2 ** 31);

  const closing = new AbortController();
  const faults = new FaultInjection(seed, behaviours);
  const stats = new CallStats();
  const webhooks = new WebhookDispatcher(options.webhooks ?? {}, closing.signal);
  const context = { webhooks, closing: closing.signal };
  const crypto = new CryptoProvider(context);
  const sms = new SmsProvider();
  const push = new PushProvider();
  const providers: SimulatedProvider[] = [new CardProvider(context), new PaypalProvider(context), crypto, sms, push];
  const keys = new Map(providers.map((provider) => [provider.name, new IdempotencyKeys()]));

  const app = fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    // A call held open (tok_timeout, a long latency) must not keep close() waiting.
    forceCloseConnections: true,
    // Unknown properties are refused, not silently dropped; types are not coerced.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });
  installErrorBodies(app);
  acceptJsonBodies(app);
  for (const provider of providers) {
    await app.register(
      (scope, _options, done) => {
        asProviderScope(scope, provider.name, faults, stats, closing.signal);
        const providerKeys = keys.get(provider.name)!;
        provider.register({ scope, mutation: (run) => idempotent(providerKeys, provider.idempotencyHeader, run) });
        done();
      },
      { prefix: provider.prefix },
    );
  }
  registerControlRoutes(app, {
    faults,
    stats,
    webhooks,
    crypto,
    sms,
    push,
    clearState: () => {
      for (const provider of providers) provider.clear();
      for (const providerKeys of keys.values()) providerKeys.clear();
      webhooks.clear();
    },
  });

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address() as AddressInfo;
  return {
    url: urlOf(address),
    port: address.port,
    seed,
    close: async () => {
      closing.abort();
      await app.close();
    },
  };
}
