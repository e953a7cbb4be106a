import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderEvent } from '../application/apply-provider-event/apply-provider-event.command';
import type { PaymentsOptions, WebhookProvider } from '../payments.options';
import { cardEventOf } from './card-webhook-event';
import { checkCryptoSignature, CRYPTO_SIGNATURE_HEADER } from './crypto-webhook-signature';
import { cryptoEventOf } from './crypto-webhook-event';
import { paypalEventOf } from './paypal-webhook-event';
import { checkPaypalSignature, PAYPAL_HEADERS, PaypalTransmission } from './paypal-webhook-signature';
import { checkSignature, MAX_HEADER_LENGTH, SIGNATURE_HEADER, SignatureCheck } from './webhook-signature';

/** A webhook request as received: its headers, its body's bytes as signed, and the body as parsed. */
export interface WebhookDelivery {
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  body: unknown;
}

/** How one provider signs its deliveries and writes its events. */
export interface WebhookScheme {
  verify(delivery: WebhookDelivery, secret: string, options: PaymentsOptions): SignatureCheck;
  /** The event, read into the shape every provider's takes; undefined when the body is not one. */
  read(body: unknown): ProviderEvent | undefined;
}

/** A header given once and of a sane length; a repeated or oversized one counts as missing. */
function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' && value.length <= MAX_HEADER_LENGTH ? value : undefined;
}

export const WEBHOOK_SCHEMES: Readonly<Record<WebhookProvider, WebhookScheme>> = {
  card: {
    verify: ({ headers, rawBody }, secret, options) =>
      checkSignature(headerOf(headers, SIGNATURE_HEADER), rawBody, secret, options.webhookToleranceSeconds),
    read: cardEventOf,
  },
  paypal: {
    verify: ({ headers, rawBody }, secret, options) => {
      const transmission: PaypalTransmission = Object.fromEntries(Object.values(PAYPAL_HEADERS).map((name) => [name, headerOf(headers, name)]));
      // The options refuse a PayPal secret without its webhook id.
      return checkPaypalSignature(transmission, rawBody, secret, options.paypalWebhookId!, options.webhookToleranceSeconds);
    },
    read: paypalEventOf,
  },
  crypto: {
    verify: ({ headers, rawBody, body }, secret, options) =>
      checkCryptoSignature(headerOf(headers, CRYPTO_SIGNATURE_HEADER), rawBody, body, secret, options.webhookToleranceSeconds),
    read: cryptoEventOf,
  },
};
