import type { Test } from 'supertest';
import { PAYMENT_PROVIDERS, PaymentProviderName, RunningProviderSimulator, startProviderSimulator } from '../../src/simulators/providers';
import { freePort } from './app-process';
import { sql } from './shop';
import { startTestApp, TestApp } from './test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the simulator's answers are asserted, not typed
export type Json = any;

export function webhookPath(provider: string): string {
  return `/api/v1/payments/webhooks/${provider}`;
}

/** What a provider's endpoint is configured with, on both sides: its secret and, for PayPal, its webhook id. */
export interface EndpointSettings {
  secret: string;
  webhookId?: string;
}

/** The service and the provider simulator, each knowing the other: the simulator signs and sends its events to the service. */
export interface WebhookHarness {
  app: TestApp;
  simulator: RunningProviderSimulator;
  /** The simulator's control API (`/control/…`): GET without a body, POST with one. */
  control(path: string, body?: object): Promise<Json>;
  /** A call to a provider's API, as someone other than payments makes it (or as its call that timed out did): the service is not told. */
  atProvider(path: string, body?: object): Promise<Json>;
  statusOf(orderId: string): Promise<string>;
  providerRefOf(orderId: string): Promise<string | null>;
  /** How many messages of `type` payments published for the order. */
  published(orderId: string, type: string): Promise<number>;
  /** The events recorded about these provider resources, oldest first. */
  recorded(...resourceIds: string[]): Promise<{ type: string; outcome: string }[]>;
  /** Posts a body as it is, with these headers, to the provider's webhook. */
  deliver(provider: string, payload: string, headers: Record<string, string>): Test;
  close(): Promise<void>;
}

export async function startWebhookHarness(endpoints: Partial<Record<PaymentProviderName, EndpointSettings>>): Promise<WebhookHarness> {
  // The simulator must know the service's webhook URL when it starts, and the service the simulator's URL.
  const simulatorPort = await freePort();
  const env: Record<string, string> = { PAYMENT_PROVIDER_URL: `http://127.0.0.1:${simulatorPort}` };
  // Only these providers have an endpoint: an empty secret is none.
  for (const provider of PAYMENT_PROVIDERS) {
    env[`PAYMENT_WEBHOOK_SECRET_${provider.toUpperCase()}`] = endpoints[provider]?.secret ?? '';
  }
  env.PAYMENT_WEBHOOK_ID_PAYPAL = endpoints.paypal?.webhookId ?? '';
  const app = await startTestApp(env);
  const simulator = await startProviderSimulator({
    port: simulatorPort,
    webhooks: Object.fromEntries(
      Object.entries(endpoints).map(([provider, settings]) => [provider, { url: `${app.urlOf('payments')}${webhookPath(provider)}`, ...settings }]),
    ),
  });
  const call = async (path: string, init: RequestInit): Promise<Json> => {
    const response = await fetch(`${simulator.url}${path}`, init);
    return response.status === 204 ? undefined : response.json();
  };
  return {
    app,
    simulator,
    control: (path, body) =>
      call(path, { method: body ? 'POST' : 'GET', headers: body ? { 'content-type': 'application/json' } : {}, body: body && JSON.stringify(body) }),
    atProvider: async (path, body = {}) => {
      const response = await fetch(`${simulator.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `behind-our-back-${path}`, 'paypal-request-id': `behind-our-back-${path}` },
        body: JSON.stringify(body),
      });
      expect(response.status).toBeLessThan(300);
      return response.json();
    },
    statusOf: async (orderId) => {
      const [{ status }] = await sql<{ status: string }>(app, 'SELECT status FROM payments.payment WHERE order_id = $1', [orderId]);
      return status;
    },
    providerRefOf: async (orderId) => {
      const [{ provider_ref }] = await sql<{ provider_ref: string | null }>(app, 'SELECT provider_ref FROM payments.payment WHERE order_id = $1', [orderId]);
      return provider_ref;
    },
    published: async (orderId, type) => {
      const [{ n }] = await sql<{ n: number }>(app, 'SELECT count(*)::int AS n FROM messaging.outbox WHERE aggregate_id = $1 AND type = $2', [orderId, type]);
      return n;
    },
    recorded: (...resourceIds) =>
      sql(app, 'SELECT type, outcome FROM payments.webhook_event WHERE resource_id = ANY($1::text[]) ORDER BY received_at', [resourceIds]),
    deliver: (provider, payload, headers) => app.http().post(webhookPath(provider)).set('content-type', 'application/json').set(headers).send(payload),
    close: async () => {
      await simulator.close();
      await app.close();
    },
  };
}
