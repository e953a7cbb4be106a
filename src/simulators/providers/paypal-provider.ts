import type { FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { Outcome } from './idempotency';
import { invalidRequest, resourceMissing } from './provider-error';
import { IdParams, idParams, optionalFields, paymentToken } from './schemas';
import { PaymentProviderContext, ProviderRoutes, SimulatedProvider } from './simulated-provider';
import { resourceStore } from './resource-store';
import { authorizes, captureRefusalOf, declineFor, neverAnswer, outcomeOfToken, processingError } from './test-tokens';

/** PayPal's money: a currency code and a decimal string with two places. */
interface Money {
  currency_code: string;
  value: string;
}

interface Order {
  id: string;
  status: 'APPROVED' | 'COMPLETED';
  tokenId: string;
  referenceId: string;
  description?: string;
  currency: string;
  amount: number;
  authorizationId?: string;
  createTime: string;
  updateTime: string;
}

interface Authorization {
  id: string;
  orderId: string;
  status: 'CREATED' | 'PARTIALLY_CAPTURED' | 'CAPTURED' | 'VOIDED';
  currency: string;
  amount: number;
  captured: number;
  captureIds: string[];
  createTime: string;
  updateTime: string;
}

interface Capture {
  id: string;
  authorizationId: string;
  status: 'COMPLETED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
  currency: string;
  amount: number;
  refunded: number;
  finalCapture: boolean;
  invoiceId?: string;
  createTime: string;
  updateTime: string;
}

interface Refund {
  id: string;
  captureId: string;
  status: 'COMPLETED';
  currency: string;
  amount: number;
  noteToPayer?: string;
  createTime: string;
}

interface CreateOrder {
  intent: 'AUTHORIZE';
  purchase_units: { reference_id?: string; description?: string; amount: Money }[];
  payment_source: { token: { id: string; type: 'BILLING_AGREEMENT' } };
}

interface CaptureRequest {
  amount?: Money;
  final_capture?: boolean;
  invoice_id?: string;
}

interface RefundRequest {
  amount?: Money;
  note_to_payer?: string;
}

const money = {
  type: 'object',
  required: ['currency_code', 'value'],
  additionalProperties: false,
  properties: {
    currency_code: { type: 'string', pattern: '^[A-Z]{3}$' },
    // Up to 99,999,999.99, more than zero.
    value: { type: 'string', pattern: '^(?!0(\\.00)?$)(0|[1-9][0-9]{0,7})(\\.[0-9]{2})?$' },
  },
} as const;

const createOrderBody = {
  type: 'object',
  required: ['intent', 'purchase_units', 'payment_source'],
  additionalProperties: false,
  properties: {
    intent: { type: 'string', enum: ['AUTHORIZE'] },
    purchase_units: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        type: 'object',
        required: ['amount'],
        additionalProperties: false,
        properties: {
          reference_id: { type: 'string', minLength: 1, maxLength: 256 },
          description: { type: 'string', maxLength: 127 },
          amount: money,
        },
      },
    },
    payment_source: {
      type: 'object',
      required: ['token'],
      additionalProperties: false,
      properties: {
        token: {
          type: 'object',
          required: ['id', 'type'],
          additionalProperties: false,
          properties: { id: paymentToken, type: { type: 'string', enum: ['BILLING_AGREEMENT'] } },
        },
      },
    },
  },
} as const;

const captureBody = optionalFields({ amount: money, final_capture: { type: 'boolean' }, invoice_id: { type: 'string', maxLength: 127 } });
const refundBody = optionalFields({ amount: money, note_to_payer: { type: 'string', maxLength: 255 } });
const noBody = optionalFields({});

function toMinor(value: Money['value']): number {
  const [units, cents = '00'] = value.split('.');
  return Number(units) * 100 + Number(cents);
}

function toMoney(minor: number, currency: string): Money {
  return { currency_code: currency, value: (minor / 100).toFixed(2) };
}

/** PayPal's ids: 17 upper-case letters and digits. */
function paypalId(): string {
  return randomBytes(9).toString('hex').toUpperCase().slice(0, 17);
}

/** PayPal refuses a business rule with 422 and names the rule. */
function unprocessable(code: string, message: string) {
  return invalidRequest(code, message, 422);
}

/**
 * A PayPal-like provider (Orders v2 and Payments v2): an order paid with a vaulted token is
 * approved at creation; authorizing it makes an authorization, which is captured (in parts while
 * `final_capture` is false) or voided before any capture; each capture is refunded in parts.
 */
export class PaypalProvider implements SimulatedProvider {
  readonly name = 'paypal';
  readonly prefix = '/paypal/v2';
  readonly idempotencyHeader = 'paypal-request-id';
  private readonly orders = resourceStore<Order>();
  private readonly authorizations = resourceStore<Authorization>();
  private readonly captures = resourceStore<Capture>();
  private readonly refunds = resourceStore<Refund>();

  constructor(private readonly context: PaymentProviderContext) {}

  register({ scope, mutation }: ProviderRoutes): void {
    const byId = { schema: { params: idParams } };
    scope.post<{ Body: CreateOrder }>(
      '/checkout/orders',
      { schema: { body: createOrderBody } },
      mutation(({ body }) => this.createOrder(body)),
    );
    scope.get<{ Params: IdParams }>('/checkout/orders/:id', byId, ({ params }) => this.orderView(this.found(this.orders, 'order', params.id)));
    scope.post<{ Params: IdParams }>(
      '/checkout/orders/:id/authorize',
      { schema: { params: idParams, body: noBody } },
      mutation((request) => this.authorize(request)),
    );
    scope.get<{ Params: IdParams }>('/payments/authorizations/:id', byId, ({ params }) =>
      authorizationView(this.found(this.authorizations, 'authorization', params.id)),
    );
    scope.post<{ Params: IdParams; Body: CaptureRequest }>(
      '/payments/authorizations/:id/capture',
      { schema: { params: idParams, body: captureBody } },
      mutation(({ params, body }) => this.capture(params.id, body)),
    );
    scope.post<{ Params: IdParams }>(
      '/payments/authorizations/:id/void',
      { schema: { params: idParams, body: noBody } },
      mutation(({ params }) => this.void(params.id)),
    );
    scope.get<{ Params: IdParams }>('/payments/captures/:id', byId, ({ params }) => captureView(this.found(this.captures, 'capture', params.id)));
    scope.post<{ Params: IdParams; Body: RefundRequest }>(
      '/payments/captures/:id/refund',
      { schema: { params: idParams, body: refundBody } },
      mutation(({ params, body }) => this.refund(params.id, body)),
    );
    scope.get<{ Params: IdParams }>('/payments/refunds/:id', byId, ({ params }) => refundView(this.found(this.refunds, 'refund', params.id)));
  }

  clear(): void {
    for (const store of [this.orders, this.authorizations, this.captures, this.refunds]) store.clear();
  }

  private createOrder(body: CreateOrder): Outcome {
    const [unit] = body.purchase_units;
    const now = new Date().toISOString();
    const order: Order = {
      id: paypalId(),
      status: 'APPROVED',
      tokenId: body.payment_source.token.id,
      referenceId: unit.reference_id ?? 'default',
      description: unit.description,
      currency: unit.amount.currency_code,
      amount: toMinor(unit.amount.value),
      createTime: now,
      updateTime: now,
    };
    this.orders.set(order.id, order);
    return { status: 201, body: this.orderView(order) };
  }

  private async authorize(request: FastifyRequest<{ Params: IdParams }>): Promise<Outcome> {
    const order = this.found(this.orders, 'order', request.params.id);
    if (order.status !== 'APPROVED') throw unprocessable('order_already_authorized', `Order ${order.id} has already been authorized`);
    const outcome = outcomeOfToken(order.tokenId);
    if (outcome === 'processing_error') throw processingError();
    if (outcome === 'no_answer') return neverAnswer(request, this.context.closing);
    if (!authorizes(outcome)) throw declineFor(outcome);
    const now = new Date().toISOString();
    const authorization: Authorization = {
      id: paypalId(),
      orderId: order.id,
      status: 'CREATED',
      currency: order.currency,
      amount: order.amount,
      captured: 0,
      captureIds: [],
      createTime: now,
      updateTime: now,
    };
    this.authorizations.set(authorization.id, authorization);
    Object.assign(order, { status: 'COMPLETED', authorizationId: authorization.id, updateTime: now });
    this.emit('PAYMENT.AUTHORIZATION.CREATED', 'authorization', authorizationView(authorization));
    return { status: 201, body: this.orderView(order) };
  }

  private capture(id: string, request: CaptureRequest): Outcome {
    const authorization = this.found(this.authorizations, 'authorization', id);
    if (authorization.status === 'VOIDED') throw unprocessable('authorization_voided', `Authorization ${id} has been voided`);
    if (authorization.status === 'CAPTURED') throw unprocessable('authorization_already_captured', `Authorization ${id} has been captured in full`);
    const refusal = captureRefusalOf(this.found(this.orders, 'order', authorization.orderId).tokenId);
    if (refusal) throw refusal;
    const remaining = authorization.amount - authorization.captured;
    const amount = this.amountOf(request.amount, authorization.currency) ?? remaining;
    if (amount > remaining) {
      throw unprocessable('max_capture_amount_exceeded', `The capture (${toMoney(amount, authorization.currency).value}) exceeds what remains authorized (${toMoney(remaining, authorization.currency).value})`);
    }
    const finalCapture = request.final_capture ?? true;
    const now = new Date().toISOString();
    const capture: Capture = {
      id: paypalId(),
      authorizationId: id,
      status: 'COMPLETED',
      currency: authorization.currency,
      amount,
      refunded: 0,
      finalCapture,
      invoiceId: request.invoice_id,
      createTime: now,
      updateTime: now,
    };
    this.captures.set(capture.id, capture);
    authorization.captured += amount;
    authorization.captureIds.push(capture.id);
    authorization.status = finalCapture || authorization.captured === authorization.amount ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
    authorization.updateTime = now;
    this.emit('PAYMENT.CAPTURE.COMPLETED', 'capture', captureView(capture));
    return { status: 201, body: captureView(capture) };
  }

  private void(id: string): Outcome {
    const authorization = this.found(this.authorizations, 'authorization', id);
    if (authorization.status === 'VOIDED') throw unprocessable('authorization_voided', `Authorization ${id} has been voided`);
    if (authorization.status !== 'CREATED') throw unprocessable('previously_captured', `Authorization ${id} has been captured and cannot be voided`);
    Object.assign(authorization, { status: 'VOIDED', updateTime: new Date().toISOString() });
    this.emit('PAYMENT.AUTHORIZATION.VOIDED', 'authorization', authorizationView(authorization));
    return { status: 200, body: authorizationView(authorization) };
  }

  /** Checks and books in one synchronous step, so concurrent refunds never add up past the capture. */
  private refund(captureId: string, request: RefundRequest): Outcome {
    const capture = this.found(this.captures, 'capture', captureId);
    const refundable = capture.amount - capture.refunded;
    if (refundable === 0) throw unprocessable('capture_fully_refunded', `Capture ${captureId} has been refunded in full`);
    const amount = this.amountOf(request.amount, capture.currency) ?? refundable;
    if (amount > refundable) {
      throw unprocessable('refund_amount_exceeded', `The refund (${toMoney(amount, capture.currency).value}) exceeds what remains of the capture (${toMoney(refundable, capture.currency).value})`);
    }
    const now = new Date().toISOString();
    capture.refunded += amount;
    capture.status = capture.refunded === capture.amount ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    capture.updateTime = now;
    const refund: Refund = { id: paypalId(), captureId, status: 'COMPLETED', currency: capture.currency, amount, noteToPayer: request.note_to_payer, createTime: now };
    this.refunds.set(refund.id, refund);
    this.emit('PAYMENT.CAPTURE.REFUNDED', 'refund', refundView(refund));
    return { status: 201, body: refundView(refund) };
  }

  private amountOf(requested: Money | undefined, currency: string): number | undefined {
    if (!requested) return undefined;
    if (requested.currency_code !== currency) {
      throw unprocessable('currency_mismatch', `The amount is in ${requested.currency_code}, the payment in ${currency}`);
    }
    return toMinor(requested.value);
  }

  private found<T extends object>(store: { get(id: string): T | undefined }, kind: string, id: string): T {
    const resource = store.get(id);
    if (!resource) throw resourceMissing(kind, id);
    return resource;
  }

  private orderView(order: Order): object {
    const authorization = order.authorizationId ? this.authorizations.get(order.authorizationId) : undefined;
    return {
      id: order.id,
      intent: 'AUTHORIZE',
      status: order.status,
      payment_source: { token: { id: order.tokenId, type: 'BILLING_AGREEMENT' } },
      purchase_units: [
        {
          reference_id: order.referenceId,
          description: order.description,
          amount: toMoney(order.amount, order.currency),
          ...(authorization && { payments: { authorizations: [authorizationView(authorization)] } }),
        },
      ],
      create_time: order.createTime,
      update_time: order.updateTime,
      links: [{ href: `/paypal/v2/checkout/orders/${order.id}`, rel: 'self', method: 'GET' }],
    };
  }

  private emit(eventType: string, resourceType: string, resource: object): void {
    const id = `WH-${paypalId()}`;
    const body = { id, event_version: '1.0', create_time: new Date().toISOString(), resource_type: resourceType, event_type: eventType, resource };
    this.context.webhooks.emit(this.name, { id, type: eventType, body });
  }
}

function authorizationView(authorization: Authorization): object {
  return {
    id: authorization.id,
    status: authorization.status,
    amount: toMoney(authorization.amount, authorization.currency),
    supplementary_data: { related_ids: { order_id: authorization.orderId } },
    create_time: authorization.createTime,
    update_time: authorization.updateTime,
    links: [{ href: `/paypal/v2/payments/authorizations/${authorization.id}`, rel: 'self', method: 'GET' }],
  };
}

function captureView(capture: Capture): object {
  return {
    id: capture.id,
    status: capture.status,
    amount: toMoney(capture.amount, capture.currency),
    final_capture: capture.finalCapture,
    invoice_id: capture.invoiceId,
    supplementary_data: { related_ids: { authorization_id: capture.authorizationId } },
    create_time: capture.createTime,
    update_time: capture.updateTime,
    links: [{ href: `/paypal/v2/payments/captures/${capture.id}`, rel: 'self', method: 'GET' }],
  };
}

function refundView(refund: Refund): object {
  return {
    id: refund.id,
    status: refund.status,
    amount: toMoney(refund.amount, refund.currency),
    note_to_payer: refund.noteToPayer,
    supplementary_data: { related_ids: { capture_id: refund.captureId } },
    create_time: refund.createTime,
    links: [{ href: `/paypal/v2/payments/refunds/${refund.id}`, rel: 'self', method: 'GET' }],
  };
}
