import type { BaseUrl } from '../../../libs/http';
import type { CryptoSettlement } from './infrastructure/crypto-payment-provider';
import type { PaymentMethodKey } from './infrastructure/payment-method-opener';

export const PAYMENTS_OPTIONS = Symbol('PAYMENTS_OPTIONS');

/** The providers whose signed webhook events payments receives. */
export const WEBHOOK_PROVIDERS = ['card', 'paypal', 'crypto'] as const;
export type WebhookProvider = (typeof WEBHOOK_PROVIDERS)[number];

export interface PaymentsOptions {
  /**
   * Where the payment providers' APIs listen (card, PayPal and crypto, each under its prefix), as `http://127.0.0.1:4010`; a function for a provider
   * the process starts itself, asked for its URL at each call.
   */
  providerUrl: BaseUrl;
  /** A provider call without an answer after this long counts as timed out. */
  providerTimeoutMs: number;
  /** Provider calls under way at once, per provider (a bulkhead); more wait for a free slot… */
  providerMaxConcurrent: number;
  /** …up to this long, then are refused, and retried like an unavailable provider. */
  providerMaxWaitMs: number;
  /** Each provider's circuit opens past this share of failed calls, in percent, over its rolling window… */
  breakerErrorPercent: number;
  /** …once the window holds this many calls, */
  breakerVolume: number;
  /** …or after this many failures in a row. */
  breakerConsecutiveFailures: number;
  /** It stays open this long, then one probe call closes it or opens it again. */
  breakerResetMs: number;
  /** Provider calls per authorization request, the first included. */
  retryAttempts: number;
  /** First retry delay; it doubles on each retry, with jitter. */
  retryBaseMs: number;
  /**
   * How long a payment whose provider is unavailable waits parked for it, at most (and never past
   * its sealed payment method's expiry), before it is declined `provider_unavailable`.
   */
  parkMaxMs: number;
  /** How often parked payments are looked at: resumed where their provider takes calls, declined past their deadline. */
  parkSweepMs: number;
  /** The chain and addresses crypto payments are received on and refunded from. */
  crypto: CryptoSettlement;
  /** Crypto payments made by the payer's own on-chain transfer, watched here; absent, crypto goes to the crypto provider's HTTP API. */
  transfers?: TransferPaymentOptions;
  /** Opens the payment methods of authorization requests (docs/decisions/0022). */
  paymentMethodRefs: PaymentMethodKey;
  /** The secret each provider signs its webhook events with; a provider without one has no webhook endpoint (404). */
  webhookSecrets: Partial<Record<WebhookProvider, string>>;
  /** The id PayPal gave the webhook subscription, which each of its transmission signatures covers; required with PayPal's secret. */
  paypalWebhookId?: string;
  /** How far, in seconds, a webhook's signed timestamp may be from this process's clock. */
  webhookToleranceSeconds: number;
}

/** A chain crypto payments may be made on, and the stablecoins asked for on it, by symbol (`EURC`, `USDC`). */
export interface TransferPaymentChain {
  chainId: number;
  /** Blocks on top of a transfer's, its own included, before it counts. */
  confirmations: number;
  tokens: Readonly<Record<string, { address: string; decimals: number }>>;
}

export interface TransferPaymentOptions {
  chains: readonly TransferPaymentChain[];
  /** The chain of a crypto payment whose payment method names none (`eip155:<chain id>` names one). */
  defaultChainId: number;
  /** The extended public key (xpub, the account level m/44'/60'/0') each request's receiving address is derived from. */
  receivingXpub: string;
  /** How long a transfer request is open, by the time of the transfer's block. */
  expiryMs: number;
  /** How often each chain's new blocks are read. */
  pollMs: number;
  /** Blocks read per log query, at most. */
  maxBlockRange: number;
}

export const DEFAULT_PAYMENTS_OPTIONS: Omit<PaymentsOptions, 'providerUrl'> = {
  providerTimeoutMs: 2000,
  providerMaxConcurrent: 400,
  providerMaxWaitMs: 1000,
  breakerErrorPercent: 50,
  breakerVolume: 10,
  breakerConsecutiveFailures: 5,
  breakerResetMs: 60_000,
  retryAttempts: 3,
  retryBaseMs: 100,
  // Below the 15 minutes a sealed payment method lives (PAYMENT_METHOD_REF_TTL_MS), so it still opens at the end.
  parkMaxMs: 600_000,
  parkSweepMs: 5000,
  paymentMethodRefs: { keyMadeAtStart: false },
  // The simulator's: it checks only that the addresses are Polygon's.
  crypto: {
    chain: 'polygon',
    receivingAddress: '0x5e7a1c0ffee0000000000000000000000000c0de',
    refundAddress: '0x5e7a1c0ffee0000000000000000000000000fee5',
  },
  webhookSecrets: {},
  // Stripe's libraries' default.
  webhookToleranceSeconds: 300,
};

/** Fills in the defaults and rejects values the module cannot run with. */
export function resolvePaymentsOptions(options: Partial<PaymentsOptions> & Pick<PaymentsOptions, 'providerUrl'>): PaymentsOptions {
  const resolved = { ...DEFAULT_PAYMENTS_OPTIONS, ...options };
  const problems: string[] = [];
  if (typeof resolved.providerUrl === 'string' && !URL.canParse(resolved.providerUrl)) problems.push('providerUrl must be a URL');
  if (!(resolved.providerTimeoutMs > 0)) problems.push('providerTimeoutMs must be > 0');
  for (const name of ['providerMaxConcurrent', 'providerMaxWaitMs', 'breakerVolume', 'breakerConsecutiveFailures', 'breakerResetMs', 'parkMaxMs', 'parkSweepMs'] as const) {
    if (!Number.isInteger(resolved[name]) || resolved[name] < 1) problems.push(`${name} must be an integer >= 1`);
  }
  if (!(resolved.breakerErrorPercent > 0 && resolved.breakerErrorPercent <= 100)) problems.push('breakerErrorPercent must be in (0, 100]');
  if (!Number.isInteger(resolved.retryAttempts) || resolved.retryAttempts < 1) {
    problems.push('retryAttempts must be an integer >= 1');
  }
  if (!(resolved.retryBaseMs >= 0)) problems.push('retryBaseMs must be >= 0');
  if (!Number.isInteger(resolved.webhookToleranceSeconds) || resolved.webhookToleranceSeconds < 1) {
    problems.push('webhookToleranceSeconds must be an integer >= 1');
  }
  if (resolved.webhookSecrets.paypal !== undefined && !resolved.paypalWebhookId) problems.push('paypalWebhookId is required with a paypal webhook secret');
  if (resolved.transfers) problems.push(...transferProblems(resolved.transfers));
  if (problems.length > 0) throw new Error(`Invalid payments options: ${problems.join('; ')}`);
  return resolved;
}

function transferProblems({ chains, defaultChainId, expiryMs, pollMs, maxBlockRange }: TransferPaymentOptions): string[] {
  const problems: string[] = [];
  if (!chains.some(({ chainId }) => chainId === defaultChainId)) problems.push(`transfers.defaultChainId ${defaultChainId} is not one of its chains`);
  for (const { chainId, confirmations } of chains) {
    if (!Number.isInteger(confirmations) || confirmations < 1) problems.push(`transfers: chain ${chainId} needs an integer confirmations >= 1`);
  }
  for (const [name, value] of Object.entries({ expiryMs, pollMs, maxBlockRange })) {
    if (!Number.isInteger(value) || value < 1) problems.push(`transfers.${name} must be an integer >= 1`);
  }
  return problems;
}
