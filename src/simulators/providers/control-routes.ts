import type { FastifyInstance } from 'fastify';
import type { CallStats } from './call-stats';
import type { CryptoProvider } from './crypto-provider';
import { FaultInjection, MAX_LATENCY_MS } from './fault-injection';
import type { PushProvider, SmsProvider } from './messaging-providers';
import { ProviderName, PROVIDER_NAMES } from './provider-names';
import { IdParams, idParams } from './schemas';
import type { WebhookDispatcher } from './webhooks';

/** What the control API acts on: everything a test may set, read or clear while the simulator runs. */
export interface Controlled {
  faults: FaultInjection;
  stats: CallStats;
  webhooks: WebhookDispatcher;
  crypto: CryptoProvider;
  sms: SmsProvider;
  push: PushProvider;
  /** Forgets every provider's resources and idempotency keys. */
  clearState(): void;
}

const behaviourBody = {
  type: 'object',
  additionalProperties: false,
  anyOf: [{ required: ['failureRate'] }, { required: ['latencyMs'] }],
  properties: {
    failureRate: { type: 'number', minimum: 0, maximum: 1 },
    latencyMs: { type: 'integer', minimum: 0, maximum: MAX_LATENCY_MS },
    provider: { type: 'string', enum: PROVIDER_NAMES },
  },
} as const;

const resetBody = { type: 'object', additionalProperties: false, properties: { state: { type: 'boolean' } } } as const;

const releaseBody = {
  type: 'object',
  additionalProperties: false,
  properties: { order: { type: 'string', enum: ['emitted', 'reverse'] } },
} as const;

const resendBody = {
  type: 'object',
  required: ['eventIds'],
  additionalProperties: false,
  properties: { eventIds: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 64 } } },
} as const;

function recipientQuery(field: string, maxLength: number) {
  return { type: 'object', additionalProperties: false, properties: { [field]: { type: 'string', minLength: 1, maxLength } } } as const;
}

/**
 * The simulator's own API, for tests and operators, never for the service's adapters: calls
 * here are not counted, delayed or failed.
 */
export function registerControlRoutes(app: FastifyInstance, controlled: Controlled): void {
  const { faults, stats, webhooks } = controlled;
  app.get('/health', () => ({ status: 'ok' }));
  app.get('/control', () => faults.snapshot());
  app.post<{ Body: { failureRate?: number; latencyMs?: number; provider?: ProviderName } }>(
    '/control',
    { schema: { body: behaviourBody } },
    ({ body: { provider, ...change } }) => {
      faults.change(change, provider);
      return faults.snapshot();
    },
  );
  app.get('/control/stats', () => stats.snapshot());
  app.post<{ Body: { state?: boolean } }>('/control/reset', { schema: { body: resetBody } }, async ({ body }, reply) => {
    stats.clear();
    faults.reseed();
    if (body.state) controlled.clearState();
    return reply.code(204).send();
  });

  app.get<{ Querystring: { to?: string } }>('/control/sms/messages', { schema: { querystring: recipientQuery('to', 16) } }, ({ query }) => ({
    data: controlled.sms.received().filter((message) => query.to === undefined || message.to === query.to),
  }));
  app.get<{ Querystring: { token?: string } }>(
    '/control/push/messages',
    { schema: { querystring: recipientQuery('token', 4096) } },
    ({ query }) => ({ data: controlled.push.received().filter((message) => query.token === undefined || message.token === query.token) }),
  );
  app.post<{ Params: IdParams }>('/control/crypto/payment_requests/:id/transfer', { schema: { params: idParams } }, ({ params }) =>
    controlled.crypto.receiveTransfer(params.id),
  );

  app.get('/control/webhooks', () => ({ data: webhooks.list() }));
  app.post('/control/webhooks/hold', async (_request, reply) => {
    webhooks.hold();
    return reply.code(204).send();
  });
  app.post<{ Body: { order?: 'emitted' | 'reverse' } }>('/control/webhooks/release', { schema: { body: releaseBody } }, async ({ body }) => ({
    data: await webhooks.release(body.order ?? 'emitted'),
  }));
  app.post<{ Body: { eventIds: string[] } }>('/control/webhooks/resend', { schema: { body: resendBody } }, async ({ body }) => ({
    data: await webhooks.resend(body.eventIds),
  }));
}
