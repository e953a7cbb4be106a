import { parseArgs } from 'node:util';
import { PAYMENT_PROVIDERS, PaymentProviderName, PROVIDER_NAMES, ProviderName } from './provider-names';
import type { ProviderSimulatorOptions } from './provider-simulator';
import type { WebhookEndpoint } from './webhooks';

/** The port `npm run providers` listens on when neither `--port` nor PROVIDERS_PORT says. */
export const DEFAULT_PORT = 4010;

const FLAGS = [
  'host',
  'port',
  'seed',
  'latency-ms',
  'failure-rate',
  ...PROVIDER_NAMES.flatMap((provider) => [`${provider}-latency-ms`, `${provider}-failure-rate`]),
  ...PAYMENT_PROVIDERS.flatMap((provider) => [`${provider}-webhook-url`, `${provider}-webhook-secret`]),
  'paypal-webhook-id',
];

/** Each flag's environment variable: `--card-failure-rate` is PROVIDERS_CARD_FAILURE_RATE. */
export function environmentVariableOf(flag: string): string {
  return `PROVIDERS_${flag.toUpperCase().replaceAll('-', '_')}`;
}

/**
 * The simulator's options from `npm run providers -- --flag value …`, each flag falling back to
 * its environment variable. Numbers are checked for shape here and for range when it starts.
 */
export function optionsFromCommandLine(argv: string[], env: NodeJS.ProcessEnv): ProviderSimulatorOptions {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(FLAGS.map((flag) => [flag, { type: 'string' }] as const)),
    strict: true,
    allowPositionals: false,
  });
  const setting = (flag: string): string | undefined => values[flag] ?? (env[environmentVariableOf(flag)] || undefined);
  const number = (flag: string, integer = false): number | undefined => {
    const text = setting(flag);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      throw new RangeError(`--${flag} (${environmentVariableOf(flag)}) must be ${integer ? 'an integer' : 'a number'}, got '${text}'`);
    }
    return value;
  };
  const port = number('port', true) ?? DEFAULT_PORT;
  if (port < 0 || port > 65_535) throw new RangeError(`--port (PROVIDERS_PORT) must be from 0 to 65535, got ${port}`);
  const providers: Partial<Record<ProviderName, { latencyMs?: number; failureRate?: number }>> = {};
  for (const provider of PROVIDER_NAMES) {
    providers[provider] = { latencyMs: number(`${provider}-latency-ms`, true), failureRate: number(`${provider}-failure-rate`) };
  }
  const webhooks: Partial<Record<PaymentProviderName, WebhookEndpoint>> = {};
  for (const provider of PAYMENT_PROVIDERS) {
    const url = setting(`${provider}-webhook-url`);
    if (url) webhooks[provider] = { url, secret: setting(`${provider}-webhook-secret`) ?? '', webhookId: provider === 'paypal' ? setting('paypal-webhook-id') : undefined };
  }
  return {
    host: setting('host') ?? '127.0.0.1',
    port,
    seed: number('seed', true),
    latencyMs: number('latency-ms', true),
    failureRate: number('failure-rate'),
    providers,
    webhooks,
  };
}
