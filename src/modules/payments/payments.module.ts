import { DynamicModule, Module } from '@nestjs/common';
import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { CircuitBreakerModule, CircuitBreakerRegistry } from '../../../libs/resilience';
import { PaymentProvidersController } from './api/payment-providers.controller';
import { PaymentWebhooksController } from './api/payment-webhooks.controller';
import { WebhookRawBody } from './api/webhook-raw-body';
import { ApplyProviderEventHandler } from './application/apply-provider-event/apply-provider-event.handler';
import { PaymentsController } from './api/payments.controller';
import { RefundsController } from './api/refunds.controller';
import { AuthorizePaymentHandler } from './application/authorize-payment/authorize-payment.handler';
import { ProviderAuthorization } from './application/authorize-payment/provider-authorization';
import { ParkedPaymentResumer } from './application/resume-parked-payments/parked-payment-resumer';
import { CapturePaymentHandler } from './application/capture-payment/capture-payment.handler';
import { paymentsInbound } from './application/inbound-routes';
import { ListPaymentProvidersHandler } from './application/list-payment-providers/list-payment-providers.handler';
import { ListPaymentsHandler } from './application/list-payments/list-payments.handler';
import { ListRefundsHandler } from './application/list-refunds/list-refunds.handler';
import { PAYMENT_PROVIDERS } from './application/ports/payment-provider';
import type { PaymentProvider, PaymentProviders } from './application/ports/payment-provider';
import { PendingRefundSweeper } from './application/refund-payment/pending-refund.sweeper';
import { RefundPaymentHandler } from './application/refund-payment/refund-payment.handler';
import { RefundSettlement } from './application/refund-payment/refund-settlement';
import { VoidPaymentHandler } from './application/void-payment/void-payment.handler';
import { CardPaymentProvider } from './infrastructure/card-payment-provider';
import { CircuitBreakingPaymentProvider, CircuitBreakingPaymentProviders } from './infrastructure/circuit-breaking-payment-provider';
import { CryptoPaymentProvider } from './infrastructure/crypto-payment-provider';
import { PaypalPaymentProvider } from './infrastructure/paypal-payment-provider';
import { PaymentMethodOpener } from './infrastructure/payment-method-opener';
import { PaymentRepository } from './infrastructure/payment.repository';
import { WebhookEventRepository } from './infrastructure/webhook-event.repository';
import { RefundRepository } from './infrastructure/refund.repository';
import { PAYMENT_PROVIDER_NAMES, PaymentProviderName } from './domain/payment';
import { PAYMENTS_OPTIONS, PaymentsOptions, resolvePaymentsOptions } from './payments.options';

/** Payment authorization, capture, void and refunds at the card, PayPal or crypto provider of each payment's method, over HTTP. */
@Module({})
export class PaymentsModule {
  static forRoot(options: Partial<PaymentsOptions> & Pick<PaymentsOptions, 'providerUrl'>): DynamicModule {
    const resolved = resolvePaymentsOptions(options);
    return {
      module: PaymentsModule,
      imports: [CircuitBreakerModule],
      controllers: [PaymentsController, PaymentProvidersController, PaymentWebhooksController, RefundsController],
      providers: [
        { provide: PAYMENTS_OPTIONS, useValue: resolved },
        {
          provide: PAYMENT_PROVIDERS,
          useFactory: async (breakers: CircuitBreakerRegistry): Promise<PaymentProviders> => {
            const { providerUrl, providerTimeoutMs } = resolved;
            const endpoint = { baseUrl: typeof providerUrl === 'string' ? providerUrl : await providerUrl(), timeoutMs: providerTimeoutMs };
            // One breaker and bulkhead each, so one provider failing neither blocks nor uses up the calls of the others.
            const guarded = (name: PaymentProviderName, provider: PaymentProvider) =>
              new CircuitBreakingPaymentProvider(
                provider,
                {
                  name,
                  errorPercent: resolved.breakerErrorPercent,
                  volume: resolved.breakerVolume,
                  consecutiveFailures: resolved.breakerConsecutiveFailures,
                  resetMs: resolved.breakerResetMs,
                  maxConcurrent: resolved.providerMaxConcurrent,
                  maxWaitMs: resolved.providerMaxWaitMs,
                },
                breakers,
              );
            return new CircuitBreakingPaymentProviders({
              card: guarded('card', new CardPaymentProvider(endpoint)),
              paypal: guarded('paypal', new PaypalPaymentProvider(endpoint)),
              crypto: guarded('crypto', new CryptoPaymentProvider(endpoint, resolved.crypto)),
            });
          },
          inject: [CircuitBreakerRegistry],
        },
        { provide: PaymentMethodOpener, useFactory: () => PaymentMethodOpener.forKey(resolved.paymentMethodRefs) },
        AuthorizePaymentHandler,
        ProviderAuthorization,
        ParkedPaymentResumer,
        makeGaugeProvider({
          name: 'payments_parked',
          help: 'Payments parked while their provider is unavailable, per provider (counted in the database, so every process shows all of them)',
          labelNames: ['provider'],
          inject: [PaymentRepository],
          async collect(this: Gauge<'provider'>, payments: PaymentRepository) {
            // A scrape while the database is unreachable keeps the last counts instead of failing /metrics.
            const parked = await payments.parkedCounts().catch(() => undefined);
            if (parked) for (const provider of PAYMENT_PROVIDER_NAMES) this.set({ provider }, parked.get(provider) ?? 0);
          },
        }),
        CapturePaymentHandler,
        VoidPaymentHandler,
        RefundPaymentHandler,
        RefundSettlement,
        PendingRefundSweeper,
        ListPaymentsHandler,
        ListRefundsHandler,
        ListPaymentProvidersHandler,
        ApplyProviderEventHandler,
        WebhookRawBody,
        paymentsInbound.provider,
        PaymentRepository,
        WebhookEventRepository,
        RefundRepository,
      ],
    };
  }
}
