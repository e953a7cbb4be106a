import { DynamicModule, Module, Provider } from '@nestjs/common';
import { getToken, makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { makeScrapedGaugeProvider } from '../../../libs/observability';
import { ChainClients } from '../../../libs/chain';
import { CircuitBreakerModule, CircuitBreakerRegistry } from '../../../libs/resilience';
import { PaymentProvidersController } from './api/payment-providers.controller';
import { PaymentWebhooksController } from './api/payment-webhooks.controller';
import { WebhookRawBody } from './api/webhook-raw-body';
import { ApplyProviderEventHandler } from './application/apply-provider-event/apply-provider-event.handler';
import { PaymentsController } from './api/payments.controller';
import { RefundsController } from './api/refunds.controller';
import { AuthorizePaymentHandler } from './application/authorize-payment/authorize-payment.handler';
import { ProviderAuthorization } from './application/authorize-payment/provider-authorization';
import { TransferRequester } from './application/authorize-payment/transfer-requester';
import { CHAIN_LEDGERS } from './application/ports/chain-ledger';
import type { ChainLedger } from './application/ports/chain-ledger';
import { TransferWatcher } from './application/watch-transfers/transfer-watcher';
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
import { CircuitBreakingPaymentProvider, CircuitBreakingPaymentProviders, ProviderCallMetrics } from './infrastructure/circuit-breaking-payment-provider';
import { CryptoPaymentProvider } from './infrastructure/crypto-payment-provider';
import { PaypalPaymentProvider } from './infrastructure/paypal-payment-provider';
import { PaymentMethodOpener } from './infrastructure/payment-method-opener';
import { PaymentRepository } from './infrastructure/payment.repository';
import { WebhookEventRepository } from './infrastructure/webhook-event.repository';
import { RefundRepository } from './infrastructure/refund.repository';
import { TransferPaymentProvider } from './infrastructure/transfer-payment-provider';
import { TransferRequestRepository } from './infrastructure/transfer-request.repository';
import { ViemChainLedger } from './infrastructure/viem-chain-ledger';
import { PAYMENT_PROVIDER_NAMES, PaymentProviderName } from './domain/payment';
import { PAYMENTS_OPTIONS, PaymentsOptions, resolvePaymentsOptions, TransferPaymentOptions } from './payments.options';

const PAYMENTS_PROCESSED = 'payments_processed_total';

/** Crypto payments paid by the payer's own transfer: requested at authorization, settled by the watcher of each chain. */
function transferPaymentProviders({ chains }: TransferPaymentOptions): Provider[] {
  return [
    TransferRequester,
    TransferWatcher,
    {
      provide: CHAIN_LEDGERS,
      useFactory: (clients: ChainClients): ChainLedger[] => chains.map(({ chainId }) => new ViemChainLedger(chainId, clients.publicClient(chainId))),
      inject: [ChainClients],
    },
  ];
}
const PAYMENT_PROCESSING_DURATION = 'payment_processing_duration_seconds';

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
          useFactory: (
            breakers: CircuitBreakerRegistry,
            processed: ProviderCallMetrics['processed'],
            duration: ProviderCallMetrics['duration'],
          ): PaymentProviders => {
            const endpoint = { baseUrl: resolved.providerUrl, timeoutMs: resolved.providerTimeoutMs };
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
                { processed, duration },
              );
            return new CircuitBreakingPaymentProviders({
              card: guarded('card', new CardPaymentProvider(endpoint)),
              paypal: guarded('paypal', new PaypalPaymentProvider(endpoint)),
              // Paid by the payer's own on-chain transfer when transfer payments are configured; else the crypto provider's API.
              crypto: guarded('crypto', resolved.transfers ? new TransferPaymentProvider() : new CryptoPaymentProvider(endpoint, resolved.crypto)),
            });
          },
          inject: [CircuitBreakerRegistry, getToken(PAYMENTS_PROCESSED), getToken(PAYMENT_PROCESSING_DURATION)],
        },
        { provide: PaymentMethodOpener, useFactory: () => PaymentMethodOpener.forKey(resolved.paymentMethodRefs) },
        AuthorizePaymentHandler,
        ProviderAuthorization,
        ParkedPaymentResumer,
        makeCounterProvider({
          name: PAYMENTS_PROCESSED,
          help: 'Calls to payment providers, by provider, operation and result (ok, declined, refused, unavailable, error)',
          labelNames: ['provider', 'operation', 'result'],
        }),
        makeHistogramProvider({
          name: PAYMENT_PROCESSING_DURATION,
          help: 'Duration of calls to payment providers, the wait for a free slot included',
          labelNames: ['provider', 'operation'],
          buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        }),
        makeScrapedGaugeProvider({
          name: 'payments_parked',
          help: 'Payments parked while their provider is unavailable, per provider (counted in the database, so every process shows all of them)',
          labelNames: ['provider'],
          inject: [PaymentRepository],
          read: async (payments: PaymentRepository) => {
            const parked = await payments.parkedCounts();
            return PAYMENT_PROVIDER_NAMES.map((provider) => [{ provider }, parked.get(provider) ?? 0] as const);
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
        TransferRequestRepository,
        ...(resolved.transfers ? transferPaymentProviders(resolved.transfers) : []),
      ],
    };
  }
}
