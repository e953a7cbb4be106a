import type { FastifyRequest } from 'fastify';
import type { Outcome } from './idempotency';
import { invalidRequest, resourceMissing } from './provider-error';
import { IdParams, idParams, metadata, minorUnits, optionalFields, paymentToken } from './schemas';
import { newId, PaymentProviderContext, ProviderRoutes, SimulatedProvider, unixSeconds } from './simulated-provider';
import { resourceStore } from './resource-store';
import { authorizes, captureRefusalOf, DECLINE_MESSAGES, declineFor, neverAnswer, outcomeOfToken, processingError } from './test-tokens';
import { stripeStyleEvent } from './webhooks';

type IntentStatus = 'requires_payment_method' | 'requires_capture' | 'succeeded' | 'canceled';

/** Stripe's PaymentIntent, authorized at creation; `amount_refunded` is ours (Stripe keeps it on the charge). */
interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: IntentStatus;
  capture_method: 'manual' | 'automatic';
  amount_capturable: number;
  amount_received: number;
  amount_refunded: number;
  payment_method: string;
  description: string | null;
  metadata: Record<string, string>;
  created: number;
  canceled_at: number | null;
  cancellation_reason: string | null;
  last_payment_error: { code: string; message: string } | null;
}

interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  reason: string | null;
  status: 'succeeded';
  created: number;
}

interface CreateIntent {
  amount: number;
  currency: string;
  payment_method: string;
  capture_method?: 'manual' | 'automatic';
  description?: string;
  metadata?: Record<string, string>;
}

const createIntentBody = {
  type: 'object',
  required: ['amount', 'currency', 'payment_method'],
  additionalProperties: false,
  properties: {
    amount: minorUnits,
    currency: { type: 'string', pattern: '^[a-z]{3}$' },
    payment_method: paymentToken,
    capture_method: { type: 'string', enum: ['manual', 'automatic'] },
    description: { type: 'string', maxLength: 1000 },
    metadata,
  },
} as const;

const captureBody = optionalFields({ amount_to_capture: minorUnits });

const cancelBody = optionalFields({
  cancellation_reason: { type: 'string', enum: ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'] },
});

const refundBody = {
  type: 'object',
  required: ['payment_intent'],
  additionalProperties: false,
  properties: {
    payment_intent: idParams.properties.id,
    amount: minorUnits,
    reason: { type: 'string', enum: ['duplicate', 'fraudulent', 'requested_by_customer'] },
  },
} as const;

/**
 * A Stripe-like card provider: payment intents authorized at creation (manual capture unless
 * `capture_method: automatic`), captured in full or in part, cancelled (voided) before capture,
 * and refunded in parts up to what was captured.
 */
export class CardProvider implements SimulatedProvider {
  readonly name = 'card';
  readonly prefix = '/card/v1';
  readonly idempotencyHeader = 'idempotency-key';
  private readonly intents = resourceStore<PaymentIntent>();
  private readonly refunds = resourceStore<Refund>();

  constructor(private readonly context: PaymentProviderContext) {}

  register({ scope, mutation }: ProviderRoutes): void {
    scope.post<{ Body: CreateIntent }>(
      '/payment_intents',
      { schema: { body: createIntentBody } },
      mutation((request) => this.create(request)),
    );
    scope.get<{ Params: IdParams }>('/payment_intents/:id', { schema: { params: idParams } }, (request) =>
      this.intent(request.params.id),
    );
    scope.post<{ Params: IdParams; Body: { amount_to_capture?: number } }>(
      '/payment_intents/:id/capture',
      { schema: { params: idParams, body: captureBody } },
      mutation(({ params, body }) => this.capture(params.id, body.amount_to_capture)),
    );
    scope.post<{ Params: IdParams; Body: { cancellation_reason?: string } }>(
      '/payment_intents/:id/cancel',
      { schema: { params: idParams, body: cancelBody } },
      mutation(({ params, body }) => this.cancel(params.id, body.cancellation_reason)),
    );
    scope.post<{ Body: { payment_intent: string; amount?: number; reason?: string } }>(
      '/refunds',
      { schema: { body: refundBody } },
      mutation(({ body }) => this.refund(body.payment_intent, body.amount, body.reason)),
    );
    scope.get<{ Params: IdParams }>('/refunds/:id', { schema: { params: idParams } }, (request) => {
      const refund = this.refunds.get(request.params.id);
      if (!refund) throw resourceMissing('refund', request.params.id);
      return refund;
    });
  }

  clear(): void {
    this.intents.clear();
    this.refunds.clear();
  }

  private async create(request: FastifyRequest<{ Body: CreateIntent }>): Promise<Outcome> {
    const { body } = request;
    const outcome = outcomeOfToken(body.payment_method);
    if (outcome === 'processing_error') throw processingError();
    if (outcome === 'no_answer') return neverAnswer(request, this.context.closing);
    const intent: PaymentIntent = {
      id: newId('pi_'),
      object: 'payment_intent',
      amount: body.amount,
      currency: body.currency,
      status: 'requires_capture',
      capture_method: body.capture_method ?? 'manual',
      amount_capturable: body.amount,
      amount_received: 0,
      amount_refunded: 0,
      payment_method: body.payment_method,
      description: body.description ?? null,
      metadata: body.metadata ?? {},
      created: unixSeconds(),
      canceled_at: null,
      cancellation_reason: null,
      last_payment_error: null,
    };
    this.intents.set(intent.id, intent);
    if (!authorizes(outcome)) {
      const lastPaymentError = { code: outcome, message: DECLINE_MESSAGES[outcome] };
      Object.assign(intent, { status: 'requires_payment_method', amount_capturable: 0, last_payment_error: lastPaymentError });
      this.emit('payment_intent.payment_failed', intent);
      throw declineFor(outcome, { payment_intent: { ...intent } });
    }
    this.emit('payment_intent.amount_capturable_updated', intent);
    if (intent.capture_method === 'automatic') return this.capture(intent.id, undefined);
    return { status: 200, body: { ...intent } };
  }

  private intent(id: string): PaymentIntent {
    const intent = this.intents.get(id);
    if (!intent) throw resourceMissing('payment_intent', id);
    return intent;
  }

  private capture(id: string, amountToCapture: number | undefined): Outcome {
    const intent = this.intent(id);
    this.expectStatus(intent, 'requires_capture', 'captured');
    const refusal = captureRefusalOf(intent.payment_method);
    if (refusal) throw refusal;
    const amount = amountToCapture ?? intent.amount_capturable;
    if (amount > intent.amount_capturable) {
      throw invalidRequest('amount_too_large', `amount_to_capture (${amount}) is greater than the amount capturable (${intent.amount_capturable})`);
    }
    // As Stripe does, a partial capture releases the rest of the authorization.
    Object.assign(intent, { status: 'succeeded', amount_received: amount, amount_capturable: 0 });
    this.emit('payment_intent.succeeded', intent);
    return { status: 200, body: { ...intent } };
  }

  private cancel(id: string, reason: string | undefined): Outcome {
    const intent = this.intent(id);
    if (intent.status !== 'requires_payment_method') this.expectStatus(intent, 'requires_capture', 'canceled');
    Object.assign(intent, { status: 'canceled', amount_capturable: 0, canceled_at: unixSeconds(), cancellation_reason: reason ?? null });
    this.emit('payment_intent.canceled', intent);
    return { status: 200, body: { ...intent } };
  }

  /** Checks and books in one synchronous step, so concurrent refunds never add up past the captured amount. */
  private refund(intentId: string, requested: number | undefined, reason: string | undefined): Outcome {
    const intent = this.intent(intentId);
    this.expectStatus(intent, 'succeeded', 'refunded');
    const refundable = intent.amount_received - intent.amount_refunded;
    if (refundable === 0) throw invalidRequest('charge_already_refunded', `PaymentIntent ${intent.id} has already been refunded in full`);
    const amount = requested ?? refundable;
    if (amount > refundable) {
      throw invalidRequest('amount_too_large', `Refund amount (${amount}) is greater than the unrefunded amount of the payment (${refundable})`);
    }
    intent.amount_refunded += amount;
    const refund: Refund = {
      id: newId('re_'),
      object: 'refund',
      amount,
      currency: intent.currency,
      payment_intent: intent.id,
      reason: reason ?? null,
      status: 'succeeded',
      created: unixSeconds(),
    };
    this.refunds.set(refund.id, refund);
    this.emit('refund.created', refund);
    return { status: 200, body: refund };
  }

  private expectStatus(intent: PaymentIntent, expected: IntentStatus, action: string): void {
    if (intent.status === expected) return;
    throw invalidRequest(
      'payment_intent_unexpected_state',
      `This PaymentIntent could not be ${action} because it has a status of ${intent.status}; only a PaymentIntent with status ${expected} can be`,
    );
  }

  private emit(type: string, object: PaymentIntent | Refund): void {
    this.context.webhooks.emit(this.name, stripeStyleEvent(type, structuredClone(object)));
  }
}
