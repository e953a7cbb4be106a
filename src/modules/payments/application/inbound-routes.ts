import { AuthorizePaymentV1, AuthorizePaymentV2, CapturePaymentV1, VoidPaymentV1 } from '../../../../libs/contracts/payments';
import { consumes, on } from '../../../../libs/messaging';
import { AuthorizePaymentCommand } from './authorize-payment/authorize-payment.command';
import { CapturePaymentCommand } from './capture-payment/capture-payment.command';
import { VoidPaymentCommand } from './void-payment/void-payment.command';

/** The saga's payment requests. */
export const paymentsInbound = consumes('payments', [
  // Commits before and after asking the provider, so never inside a batch's shared transaction.
  on(
    AuthorizePaymentV2,
    ({ orderId, customerId, amount, method, paymentMethodRef, paymentMethodRefExpiresAt }) =>
      new AuthorizePaymentCommand(orderId, customerId, amount, method, { sealed: paymentMethodRef, expiresAt: paymentMethodRefExpiresAt }),
    { ownTransactions: true },
  ),
  // Nothing sends V1 any more; requests sent before the upgrade are still answered.
  on(AuthorizePaymentV1, ({ orderId, amount, method, token }) => new AuthorizePaymentCommand(orderId, null, amount, method, { token }), {
    ownTransactions: true,
  }),
  // These too ask the provider between their transactions.
  on(CapturePaymentV1, ({ orderId }) => new CapturePaymentCommand(orderId), { ownTransactions: true }),
  on(VoidPaymentV1, ({ orderId }) => new VoidPaymentCommand(orderId), { ownTransactions: true }),
]);
