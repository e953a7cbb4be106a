import type { FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { Outcome } from './idempotency';
import { invalidRequest, resourceMissing } from './provider-error';
import { IdParams, idParams, optionalFields, paymentToken } from './schemas';
import { newId, PaymentProviderContext, ProviderRoutes, SimulatedProvider, unixSeconds } from './simulated-provider';
import { resourceStore } from './resource-store';
import { authorizes, declineFor, neverAnswer, outcomeOfToken, processingError } from './test-tokens';
import { coinbaseStyleEvent } from './webhooks';

/** The payer's test token that leaves a payment request waiting for its transfer (`POST /control/crypto/…/transfer`). */
export const AWAIT_TRANSFER_TOKEN = 'tok_awaitTransfer';

const ADDRESS_PATTERNS = {
  ethereum: /^0x[0-9a-fA-F]{40}$/,
  polygon: /^0x[0-9a-fA-F]{40}$/,
  bitcoin: /^(bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34})$/,
  solana: /^[1-9A-HJ-NP-Za-km-z]{32,44}$/,
} as const;

type Chain = keyof typeof ADDRESS_PATTERNS;

interface Transfer {
  hash: string;
  direction: 'in' | 'out';
  amount: number;
  address: string;
  confirmations: number;
}

interface PaymentRequest {
  id: string;
  object: 'crypto_payment_request';
  chain: Chain;
  asset: string;
  /** In the asset's smallest unit (wei, satoshi, lamport, or 10^-6 for USDC). */
  amount: number;
  receiving_address: string;
  payment_method: string;
  status: 'awaiting_transfer' | 'settled' | 'cancelled';
  amount_received: number;
  amount_refunded: number;
  transfers: Transfer[];
  metadata: Record<string, string>;
  created: number;
}

interface CreateRequest {
  chain: Chain;
  asset: string;
  amount: number;
  receiving_address: string;
  payment_method: string;
  metadata?: Record<string, string>;
}

const address = { type: 'string', minLength: 1, maxLength: 128 } as const;

const createBody = {
  type: 'object',
  required: ['chain', 'asset', 'amount', 'receiving_address', 'payment_method'],
  additionalProperties: false,
  properties: {
    chain: { type: 'string', enum: Object.keys(ADDRESS_PATTERNS) },
    asset: { type: 'string', pattern: '^[A-Z0-9]{2,10}$' },
    amount: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    receiving_address: address,
    payment_method: paymentToken,
    metadata: { type: 'object', maxProperties: 50, additionalProperties: { type: 'string', maxLength: 500 } },
  },
} as const;

const refundBody = {
  type: 'object',
  required: ['refund_address'],
  additionalProperties: false,
  properties: { amount: createBody.properties.amount, refund_address: address },
} as const;

/**
 * A crypto provider, modest: a payment request names a chain, an asset, an amount and the
 * receiving address; it settles when the payer's on-chain transfer arrives (at once for an
 * approving token, or when the control API sends it). A settled payment is final, as a transfer
 * on a chain is: nothing to capture or void, only refunds (transfers back), in parts up to what
 * was received. A request still waiting can be cancelled.
 */
export class CryptoProvider implements SimulatedProvider {
  readonly name = 'crypto';
  readonly prefix = '/crypto/v1';
  readonly idempotencyHeader = 'idempotency-key';
  private readonly requests = resourceStore<PaymentRequest>();

  constructor(private readonly context: PaymentProviderContext) {}

  register({ scope, mutation }: ProviderRoutes): void {
    scope.post<{ Body: CreateRequest }>(
      '/payment_requests',
      { schema: { body: createBody } },
      mutation((request) => this.create(request)),
    );
    scope.get<{ Params: IdParams }>('/payment_requests/:id', { schema: { params: idParams } }, ({ params }) => this.found(params.id));
    scope.post<{ Params: IdParams }>(
      '/payment_requests/:id/cancel',
      { schema: { params: idParams, body: optionalFields({}) } },
      mutation(({ params }) => this.cancel(params.id)),
    );
    scope.post<{ Params: IdParams; Body: { amount?: number; refund_address: string } }>(
      '/payment_requests/:id/refunds',
      { schema: { params: idParams, body: refundBody } },
      mutation(({ params, body }) => this.refund(params.id, body.amount, body.refund_address)),
    );
  }

  clear(): void {
    this.requests.clear();
  }

  /** The payer's transfer of the full amount lands on chain: what the control API triggers. */
  receiveTransfer(id: string): PaymentRequest {
    const request = this.found(id);
    this.expectStatus(request, 'awaiting_transfer', 'paid');
    request.transfers.push(transfer('in', request.amount, request.chain, request.receiving_address));
    Object.assign(request, { status: 'settled', amount_received: request.amount });
    this.emit('payment_request.settled', request);
    return request;
  }

  private async create(http: FastifyRequest<{ Body: CreateRequest }>): Promise<Outcome> {
    const { body } = http;
    checkAddress(body.chain, body.receiving_address, 'receiving_address');
    const outcome = body.payment_method === AWAIT_TRANSFER_TOKEN ? 'approve' : outcomeOfToken(body.payment_method);
    if (outcome === 'processing_error') throw processingError();
    if (outcome === 'no_answer') return neverAnswer(http, this.context.closing);
    if (!authorizes(outcome)) throw declineFor(outcome);
    const request: PaymentRequest = {
      id: newId('cpr_'),
      object: 'crypto_payment_request',
      chain: body.chain,
      asset: body.asset,
      amount: body.amount,
      receiving_address: body.receiving_address,
      payment_method: body.payment_method,
      status: 'awaiting_transfer',
      amount_received: 0,
      amount_refunded: 0,
      transfers: [],
      metadata: body.metadata ?? {},
      created: unixSeconds(),
    };
    this.requests.set(request.id, request);
    if (body.payment_method !== AWAIT_TRANSFER_TOKEN) this.receiveTransfer(request.id);
    return { status: 201, body: structuredClone(request) };
  }

  private cancel(id: string): Outcome {
    const request = this.found(id);
    this.expectStatus(request, 'awaiting_transfer', 'cancelled');
    request.status = 'cancelled';
    this.emit('payment_request.cancelled', request);
    return { status: 200, body: structuredClone(request) };
  }

  /** Checks and books in one synchronous step, so concurrent refunds never add up past what was received. */
  private refund(id: string, requested: number | undefined, refundAddress: string): Outcome {
    const request = this.found(id);
    checkAddress(request.chain, refundAddress, 'refund_address');
    this.expectStatus(request, 'settled', 'refunded');
    const refundable = request.amount_received - request.amount_refunded;
    if (refundable === 0) throw invalidRequest('already_refunded', `Payment request ${id} has already been refunded in full`);
    const amount = requested ?? refundable;
    if (amount > refundable) {
      throw invalidRequest('amount_too_large', `Refund amount (${amount}) is greater than the unrefunded amount received (${refundable})`);
    }
    request.amount_refunded += amount;
    request.transfers.push(transfer('out', amount, request.chain, refundAddress));
    this.emit('payment_request.refunded', request);
    return { status: 201, body: structuredClone(request) };
  }

  private found(id: string): PaymentRequest {
    const request = this.requests.get(id);
    if (!request) throw resourceMissing('payment_request', id);
    return request;
  }

  private expectStatus(request: PaymentRequest, expected: PaymentRequest['status'], action: string): void {
    if (request.status === expected) return;
    throw invalidRequest(
      'payment_request_unexpected_state',
      `This payment request could not be ${action} because it is ${request.status}; only one ${expected} can be`,
    );
  }

  private emit(type: string, request: PaymentRequest): void {
    this.context.webhooks.emit(this.name, coinbaseStyleEvent(type, structuredClone(request)));
  }
}

function checkAddress(chain: Chain, value: string, field: string): void {
  if (!ADDRESS_PATTERNS[chain].test(value)) throw invalidRequest('invalid_address', `${field} is not a ${chain} address`);
}

function transfer(direction: Transfer['direction'], amount: number, chain: Chain, to: string): Transfer {
  const hash = randomBytes(32).toString('hex');
  return { hash: chain === 'ethereum' || chain === 'polygon' ? `0x${hash}` : hash, direction, amount, address: to, confirmations: 12 };
}
