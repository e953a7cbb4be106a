/** The providers whose payments the service takes: each keeps its own resources, keys and webhooks. */
export const PAYMENT_PROVIDERS = ['card', 'paypal', 'crypto'] as const;

/** Every simulated provider; latency, failures and call counts are kept per name. */
export const PROVIDER_NAMES = [...PAYMENT_PROVIDERS, 'sms', 'push'] as const;

export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export function perProvider<T>(value: (provider: ProviderName) => T): Record<ProviderName, T> {
  return Object.fromEntries(PROVIDER_NAMES.map((provider) => [provider, value(provider)])) as Record<ProviderName, T>;
}
