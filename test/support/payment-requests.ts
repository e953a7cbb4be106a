import { IntegrationMessage } from '../../libs/contracts';
import { AuthorizePaymentV2 } from '../../libs/contracts/payments';
import { newId } from '../../libs/persistence';
import { loadConfig } from '../../src/config/app-config';
import { PaymentMethodSealer } from '../../src/modules/ordering/infrastructure/payment-method-sealer';
import { sql } from './shop';
import { TestApp } from './test-app';
import { TEST_ENV } from './test-env';

/** Seals payment tokens as ordering does, with the key every process under test is given. */
const sealer = PaymentMethodSealer.forKey(loadConfig(TEST_ENV).paymentMethodRefs);

/** The order's payment token sealed for payments at `sealedAt`, as ordering seals it. */
export function sealPaymentMethod(orderId: string, token: string, sealedAt = new Date()): { ref: string; expiresAt: Date } {
  return sealer.seal(orderId, token, sealedAt);
}

/**
 * Asks payments, as the saga does, to authorize a new order's payment of `amount` EUR cents by
 * `method`; resolves once the request has its outcome, with the payment's row.
 */
export async function requestAuthorization(
  app: TestApp,
  amount = 1500,
  method: 'card' | 'paypal' | 'crypto' = 'card',
): Promise<{ orderId: string; status: string; providerRef: string | null }> {
  const orderId = newId();
  await sendAuthorizationRequest(app, orderId, amount, method);
  const [row] = await app.eventually(async () => {
    const rows = await sql<{ status: string; provider_ref: string | null }>(
      app,
      `SELECT status, provider_ref FROM payments.payment WHERE order_id = $1 AND status <> 'PENDING'`,
      [orderId],
    );
    expect(rows).toHaveLength(1);
    return rows;
  });
  return { orderId, status: row.status, providerRef: row.provider_ref };
}

/** The saga's authorization request for the order, paid with `tok_visa`. */
export function authorizationRequest(orderId: string, amount = 1500, method: 'card' | 'paypal' | 'crypto' = 'card'): AuthorizePaymentV2 {
  const { ref, expiresAt } = sealPaymentMethod(orderId, 'tok_visa');
  return new AuthorizePaymentV2({
    orderId,
    customerId: 'cus_payment_requests',
    amount: { amount, currency: 'EUR' },
    method,
    paymentMethodRef: ref,
    paymentMethodRefExpiresAt: expiresAt.toISOString(),
  });
}

/** Sends payments the saga's authorization request for the order (a first one, or one re-driven), paid with `tok_visa`. */
export async function sendAuthorizationRequest(app: TestApp, orderId: string, amount = 1500, method: 'card' | 'paypal' | 'crypto' = 'card'): Promise<void> {
  await sendToPayments(app, authorizationRequest(orderId, amount, method), orderId);
}

/** Publishes a message to payments as the order's saga does, keyed by the order. */
export function sendToPayments(app: TestApp, message: IntegrationMessage, orderId: string): Promise<void> {
  return app.publish(message, orderId);
}
