import { Inject, Injectable } from '@nestjs/common';
import { PaymentDeclinedV1, PaymentTransferRequestedV1 } from '../../../../../libs/contracts/payments';
import { Transaction } from '../../../../../libs/messaging';
import { Payment } from '../../domain/payment';
import { STABLECOIN_OF_CURRENCY, tokenAmountOf, TransferRequest } from '../../domain/transfer-request';
import { PaymentMethodOpener } from '../../infrastructure/payment-method-opener';
import { ReceivingAddresses } from '../../infrastructure/receiving-addresses';
import { PaymentRepository } from '../../infrastructure/payment.repository';
import { TransferRequestRepository } from '../../infrastructure/transfer-request.repository';
import { PAYMENTS_OPTIONS } from '../../payments.options';
import type { PaymentsOptions, TransferPaymentChain } from '../../payments.options';
import type { PaymentInstrument } from './authorize-payment.command';

/** A crypto payment method naming its chain, CAIP-2 style. */
const CHAIN_METHOD = /^eip155:(\d{1,10})$/;

/** Why a transfer could not be asked for, as told to the order. */
export const TRANSFER_DECLINE_REASON = {
  /** The payment method names a chain payments does not take transfers on. */
  chainNotSupported: 'chain_not_supported',
  /** The chain has no stablecoin of the order's currency configured. */
  currencyNotSupported: 'currency_not_supported',
} as const;

/**
 * Asks the payer of a crypto payment for an on-chain transfer instead of asking a provider: in the
 * transaction that records the authorization request, the payment gets a transfer request (the
 * chain, the currency's stablecoin, an address made for it alone, the amount, an expiry), turns
 * AWAITING_TRANSFER, and the order hears where to pay (PaymentTransferRequestedV1). The transfer
 * watcher settles it. Provided only with transfer payments configured.
 */
@Injectable()
export class TransferRequester {
  private readonly addresses: ReceivingAddresses;

  constructor(
    private readonly requests: TransferRequestRepository,
    private readonly payments: PaymentRepository,
    private readonly paymentMethods: PaymentMethodOpener,
    @Inject(PAYMENTS_OPTIONS) private readonly options: PaymentsOptions,
  ) {
    this.addresses = new ReceivingAddresses(options.transfers!.receivingXpub);
  }

  /** Opens the transfer request of a PENDING crypto payment, or declines the payment when it cannot be paid so. */
  async request(tx: Transaction, payment: Payment, instrument: PaymentInstrument, cause: object): Promise<void> {
    const { orderId } = payment;
    const amount = payment.amount!;
    const now = new Date();
    const chain = this.chainOf(orderId, instrument, now);
    const symbol = STABLECOIN_OF_CURRENCY[amount.currency];
    const token = chain && symbol ? chain.tokens[symbol] : undefined;
    if (!chain || !token) {
      const reason = chain ? TRANSFER_DECLINE_REASON.currencyNotSupported : TRANSFER_DECLINE_REASON.chainNotSupported;
      payment.settle({ kind: 'declined', reason }, 0);
      await this.payments.save(tx.manager, payment, 'PENDING');
      tx.publish(new PaymentDeclinedV1({ orderId, reason }), orderId, cause);
      return;
    }
    const addressIndex = await this.requests.nextAddressIndex(tx.manager);
    const request = TransferRequest.open({
      paymentId: payment.id,
      orderId,
      chainId: chain.chainId,
      token: symbol,
      tokenAddress: token.address.toLowerCase(),
      receivingAddress: this.addresses.at(addressIndex),
      amount: tokenAmountOf(amount, token.decimals),
      expiresAt: new Date(now.getTime() + this.options.transfers!.expiryMs),
    });
    await this.requests.insert(tx.manager, request, addressIndex);
    payment.awaitTransfer();
    await this.payments.save(tx.manager, payment, 'PENDING');
    tx.publish(requested(request), orderId, cause);
  }

  /** Answers a repeated authorization request of a payment awaiting its transfer with the same request. */
  async repeat(tx: Transaction, payment: Payment, cause: object): Promise<void> {
    const request = await this.requests.find(tx.manager, payment.id);
    if (!request) throw new Error(`payment ${payment.id} awaits a transfer without a transfer request`);
    tx.publish(requested(request), payment.orderId, cause);
  }

  /** The chain the payment method names (`eip155:<chain id>`), else the default one; none when it names another. */
  private chainOf(orderId: string, instrument: PaymentInstrument, now: Date): TransferPaymentChain | undefined {
    const { chains, defaultChainId } = this.options.transfers!;
    const method = this.paymentMethods.open(orderId, instrument, now);
    const named = method.kind === 'token' ? CHAIN_METHOD.exec(method.token) : null;
    const chainId = named ? Number(named[1]) : defaultChainId;
    return chains.find((chain) => chain.chainId === chainId);
  }
}

function requested(request: TransferRequest): PaymentTransferRequestedV1 {
  const { orderId, paymentId, chainId, token, tokenAddress, receivingAddress, amount, expiresAt } = request.toState();
  return new PaymentTransferRequestedV1({
    orderId,
    paymentId,
    chainId,
    token,
    tokenAddress,
    receivingAddress,
    amount: amount.toString(),
    expiresAt: expiresAt.toISOString(),
  });
}
