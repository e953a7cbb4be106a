import { randomUUID } from 'node:crypto';
import { sleep } from '../../../../libs/resilience';
import {
  AuthorizationRequest,
  PaymentProvider,
  ProviderAnswer,
  ProviderError,
} from '../application/ports/payment-provider';

export interface SimulatedProviderOptions {
  latencyMs: number;
  /** Share of calls, in [0, 1), that fail whatever the token. */
  failureRate: number;
}

/**
 * A provider that answers by test token, like Stripe's test mode: `tok_chargeDeclined`
 * declines, `tok_processingError` always fails, `tok_timeout` never answers, and any other
 * `tok_…` token (`tok_visa`) approves.
 */
export class SimulatedPaymentProvider implements PaymentProvider {
  constructor(
    private readonly options: SimulatedProviderOptions,
    private readonly random: () => number = Math.random,
  ) {}

  async authorize(request: AuthorizationRequest): Promise<ProviderAnswer> {
    if (this.options.latencyMs > 0) await sleep(this.options.latencyMs);
    if (this.random() < this.options.failureRate) throw new ProviderError('simulated provider outage');
    switch (request.token) {
      case 'tok_chargeDeclined':
        return { approved: false, reason: 'card_declined' };
      case 'tok_processingError':
        throw new ProviderError('simulated processing error');
      case 'tok_timeout':
        return new Promise<never>(() => undefined);
    }
    if (!request.token.startsWith('tok_')) return { approved: false, reason: 'invalid_token' };
    return { approved: true, reference: `sim_${randomUUID()}` };
  }
}
