import { Inject, Injectable, Logger } from '@nestjs/common';
import { PaymentAuthorizedV1, PaymentDeclinedV1, PaymentParkedV1, PaymentVoidedV1 } from '../../../../../libs/contracts/payments';
import { failpoints } from '../../../../../libs/failpoints';
import { Transaction } from '../../../../../libs/messaging';
import { DECLINE_REASON, Money, Payment, PaymentProviderName, ProviderOutcome } from '../../domain/payment';
import { OpenedPaymentMethod, PaymentMethodOpener } from '../../infrastructure/payment-method-opener';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { PAYMENTS_OPTIONS } from '../../payments.options';
import type { PaymentsOptions } from '../../payments.options';
import { PAYMENT_PROVIDERS, ProviderError, ProviderTimeoutError, ProviderUnavailableError } from '../ports/payment-provider';
import type { PaymentProviders, VoidRequest } from '../ports/payment-provider';
import { withProviderRetries } from '../provider-retries';
import type { PaymentInstrument } from './authorize-payment.command';

/** A payment to authorize at its provider, with the payment method to open for the call. */
export interface AuthorizationTarget {
  paymentId: string;
  orderId: string;
  amount: Money;
  method: string;
  provider: PaymentProviderName;
  instrument: PaymentInstrument;
}

/** What the provider did for one payment; `cause`: the request it answers, if any. */
export interface AuthorizationResult {
  orderId: string;
  outcome: ProviderOutcome;
  attempts: number;
  cause?: object;
}

/** An authorization to void at the provider that made it. */
interface Release extends VoidRequest {
  provider: PaymentProviderName;
}

/**
 * Asking a payment's provider for its authorization and recording the answer: the same for a request
 * from the order and for a parked payment resumed once its provider takes calls again. The provider
 * is asked outside any transaction, under the payment id's idempotency key, so asking again after a
 * crash or a lease that ran out replays the first answer instead of authorizing twice.
 */
@Injectable()
export class ProviderAuthorization {
  private readonly logger = new Logger(ProviderAuthorization.name);

  constructor(
    private readonly payments: PaymentRepository,
    private readonly paymentMethods: PaymentMethodOpener,
    @Inject(PAYMENT_PROVIDERS) private readonly providers: PaymentProviders,
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsOptions,
  ) {}

  /**
   * Calls the provider with retries. An open circuit or a full bulkhead after them, or provider
   * errors that left the circuit open, make the provider unavailable: the payment can wait for it.
   */
  async ask({ paymentId, orderId, amount, method, provider, instrument }: AuthorizationTarget): Promise<{ outcome: ProviderOutcome; attempts: number }> {
    // Opened at the last moment, so an expiry holds until the provider is asked.
    const now = new Date();
    const paymentMethod = this.paymentMethods.open(orderId, instrument, now);
    if (paymentMethod.kind !== 'token') return { outcome: this.unusable(orderId, paymentMethod), attempts: 0 };
    let attempts = 0;
    try {
      const answer = await withProviderRetries((attempt) => {
        attempts = attempt;
        return this.providers.of(provider).authorize({ paymentId, orderId, amount, method, token: paymentMethod.token });
      }, this.options);
      const outcome: ProviderOutcome = answer.approved
        ? { kind: 'approved', reference: answer.reference }
        : { kind: 'declined', reason: answer.reason };
      return { outcome, attempts };
    } catch (error) {
      if (error instanceof ProviderTimeoutError) {
        this.logger.warn(`payment of order ${orderId} has no answer yet: ${error.message}`);
        return { outcome: { kind: 'timed-out' }, attempts };
      }
      const unavailable =
        error instanceof ProviderUnavailableError || (error instanceof ProviderError && this.providers.circuitOf(provider) !== 'closed');
      if (unavailable) {
        const parkUntil = new Date(now.getTime() + this.options.parkMaxMs);
        // A request that carried its token itself (AuthorizePaymentV1) has nothing that may be kept to ask again.
        const sealed = 'sealed' in instrument ? { sealed: instrument.sealed, expiresAt: instrument.expiresAt } : null;
        return { outcome: { kind: 'unavailable', parkUntil, paymentMethod: sealed }, attempts };
      }
      this.logger.warn(`payment of order ${orderId} failed after ${attempts} attempts: ${String(error)}`);
      return { outcome: { kind: 'failed' }, attempts };
    }
  }

  /**
   * Records the answers on the payments, locked, and publishes what each did; returns the
   * authorizations that came after the order's void, to release once committed.
   */
  async record(tx: Transaction, answers: readonly AuthorizationResult[]): Promise<Release[]> {
    const toRelease: Release[] = [];
    if (failpoints.armed) tx.afterCommit(() => failpoints.reach('after-authorize-commit'));
    const payments = await this.payments.lockMany(tx.manager, [...new Set(answers.map(({ orderId }) => orderId))]);
    const before = new Map([...payments.values()].map((payment) => [payment, payment.status]));
    for (const { orderId, outcome, attempts, cause } of answers) {
      const payment = payments.get(orderId);
      // Payments are never deleted, and the answer is about a stored one.
      if (!payment) throw new Error(`payment of order ${orderId} disappeared`);
      const settlement = payment.settle(outcome, attempts);
      switch (settlement.kind) {
        case 'authorized':
          tx.publish(authorized(payment), orderId, cause);
          break;
        case 'declined':
          tx.publish(new PaymentDeclinedV1({ orderId, reason: settlement.reason }), orderId, cause);
          break;
        case 'parked':
          this.logger.warn(`payment of order ${orderId} is parked until ${settlement.until.toISOString()}: its provider is unavailable`);
          tx.publish(new PaymentParkedV1({ orderId, parkedUntil: settlement.until.toISOString() }), orderId, cause);
          break;
        case 'authorized-after-void':
          this.logger.warn(`payment of order ${orderId} was authorized after its void; released at once`);
          toRelease.push({ paymentId: payment.id, reference: payment.providerRef!, provider: payment.provider! });
          tx.publish(new PaymentVoidedV1({ orderId }), orderId, cause);
          break;
        case 'still-pending':
        case 'still-parked':
        case 'already-settled':
          break;
      }
    }
    await this.payments.saveMany(tx.manager, [...before].map(([payment, expectedStatus]) => ({ payment, expectedStatus })));
    return toRelease;
  }

  /**
   * Voids at the provider an authorization that came after the order's void. After the commit, so a
   * failed call costs no recorded answer; a crash before it leaves the authorization to expire at the provider.
   */
  async release(releases: readonly Release[]): Promise<void> {
    await Promise.all(
      releases.map(async ({ provider, ...request }) => {
        try {
          await withProviderRetries(() => this.providers.of(provider).void(request), this.options);
        } catch (error) {
          this.logger.error(`the authorization of payment ${request.paymentId}, voided here, is still held by the provider: ${String(error)}`);
        }
      }),
    );
  }

  /** A payment method that cannot be used is a decline the order can name, without asking the provider. */
  private unusable(orderId: string, paymentMethod: Exclude<OpenedPaymentMethod, { kind: 'token' }>): ProviderOutcome {
    if (paymentMethod.kind === 'expired') return { kind: 'declined', reason: DECLINE_REASON.paymentMethodExpired };
    this.logger.warn(`the payment method of order ${orderId} cannot be used: ${paymentMethod.why}`);
    return { kind: 'declined', reason: DECLINE_REASON.paymentMethodUnknown };
  }
}

export function authorized(payment: Payment): PaymentAuthorizedV1 {
  // Only a payment created by an authorization request can be authorized, so it has an amount.
  const amount = payment.amount!;
  return new PaymentAuthorizedV1({ orderId: payment.orderId, paymentId: payment.id, amount: { ...amount } });
}
