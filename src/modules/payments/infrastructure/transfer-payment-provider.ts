import {
  CaptureRequest,
  PaymentProvider,
  ProviderAnswer,
  ProviderRefusedError,
  RefundRequest,
  VoidRequest,
} from '../application/ports/payment-provider';

/**
 * The crypto payments the payer made by an on-chain transfer to an address of the shop's: there is
 * no provider to call. The money is the shop's once the transfer has its confirmations, so a
 * capture takes nothing; giving it back is a transfer from the wallet that holds the receiving key,
 * which the service does not hold, so a void or refund is refused for good (the message
 * dead-lettered for support, which pays the payer back from that wallet).
 */
export class TransferPaymentProvider implements PaymentProvider {
  authorize(): Promise<ProviderAnswer> {
    return Promise.reject(new ProviderRefusedError('transfer_requested', 'a crypto payment is paid by the payer\'s transfer, never authorized by a call'));
  }

  capture({ reference }: CaptureRequest): Promise<string> {
    return Promise.resolve(reference);
  }

  void({ paymentId }: VoidRequest): Promise<void> {
    return Promise.reject(giveBackRefused(`payment ${paymentId}`));
  }

  refund({ refundId }: RefundRequest): Promise<string> {
    return Promise.reject(giveBackRefused(`refund ${refundId}`));
  }
}

function giveBackRefused(what: string): ProviderRefusedError {
  return new ProviderRefusedError(
    'transfer_give_back_manual',
    `${what} was paid by an on-chain transfer: support gives it back by a transfer from the wallet that holds the receiving key`,
  );
}
