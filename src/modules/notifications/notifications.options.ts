import type { BaseUrl } from '../../../libs/http';

export const NOTIFICATIONS_OPTIONS = Symbol('NOTIFICATIONS_OPTIONS');

export interface NotificationsOptions {
  /** `smtp://host:port` of the mail server; unset, e-mails are rendered and kept NOT_SENT. */
  smtpUrl?: string;
  /** The From address of the e-mails. */
  smtpFrom: string;
  /** Bound on connecting to, greeting by and each answer of the mail server. */
  smtpTimeoutMs: number;
  /**
   * Where the SMS provider's and the push provider's APIs live, as `http://127.0.0.1:4010`; a
   * function for a provider the process starts itself, asked for its URL at each call.
   * Unset, notifications on that channel are rendered and kept NOT_SENT.
   */
  smsProviderUrl?: BaseUrl;
  pushProviderUrl?: BaseUrl;
  /** A provider call without a whole answer after this long is abandoned, and retried later. */
  providerTimeoutMs: number;
  /** Sends of one notification, the first included, before it is FAILED and dead-lettered. */
  maxAttempts: number;
  /** First retry delay; it doubles on each retry, with jitter, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often the delivery worker looks for due notifications besides being woken by new ones. */
  pollIntervalMs: number;
  /** Notifications one worker claims and sends at once. */
  batchSize: number;
  /** A claimed notification whose worker died is claimed again after this long. */
  leaseMs: number;
}

export const DEFAULT_NOTIFICATIONS_OPTIONS: NotificationsOptions = {
  smtpFrom: 'Commerce <no-reply@commerce.local>',
  smtpTimeoutMs: 10_000,
  providerTimeoutMs: 5000,
  maxAttempts: 8,
  retryBaseMs: 1000,
  retryMaxMs: 300_000,
  pollIntervalMs: 1000,
  batchSize: 20,
  leaseMs: 60_000,
};
