import { DEFAULT_NOTIFICATIONS_OPTIONS as DEFAULTS, type NotificationsOptions } from '../modules/notifications';

interface EnvReading {
  readonly problems: string[];
  string(name: string, fallback: string): string;
  int(name: string, fallback: number, min: number, max?: number): number;
  url(name: string, protocols: string[]): string | undefined;
}

/**
 * E-mail delivery: `SMTP_URL` (`smtp://host:port`) turns sending on; without it e-mails are
 * rendered and kept NOT_SENT ("no SMTP_URL"), so the shop runs with nothing else installed.
 * SMS and push: `SMS_PROVIDER_URL` and `PUSH_PROVIDER_URL` name the providers' APIs; unset, the
 * application falls back to the provider simulator where it hosts one (see app.module.ts).
 */
export function notificationsOf(read: EnvReading): NotificationsOptions {
  const smtpUrl = read.url('SMTP_URL', ['smtp:']);
  if (smtpUrl !== undefined) {
    const { hostname, port, pathname, username } = new URL(smtpUrl);
    if (hostname === '' || port === '' || (pathname !== '' && pathname !== '/') || username !== '') {
      read.problems.push('SMTP_URL must be smtp://host:port, with a port and nothing else');
    }
  }
  const smtpFrom = read.string('SMTP_FROM', DEFAULTS.smtpFrom);
  if (!/^[^<>]*<?[^@\s<>]+@[^@\s<>]+>?$/.test(smtpFrom)) {
    read.problems.push(`SMTP_FROM must be an address, e.g. "Shop <shop@example.com>" (got "${smtpFrom}")`);
  }
  const retryMaxMs = read.int('NOTIFICATION_RETRY_MAX_MS', DEFAULTS.retryMaxMs, 1, 86_400_000);
  return {
    smtpUrl,
    smtpFrom,
    smtpTimeoutMs: read.int('SMTP_TIMEOUT_MS', DEFAULTS.smtpTimeoutMs, 100, 300_000),
    smsProviderUrl: read.url('SMS_PROVIDER_URL', ['http:', 'https:']),
    pushProviderUrl: read.url('PUSH_PROVIDER_URL', ['http:', 'https:']),
    providerTimeoutMs: read.int('NOTIFICATION_PROVIDER_TIMEOUT_MS', DEFAULTS.providerTimeoutMs, 100, 300_000),
    maxAttempts: read.int('NOTIFICATION_MAX_ATTEMPTS', DEFAULTS.maxAttempts, 1, 100),
    retryBaseMs: read.int('NOTIFICATION_RETRY_BASE_MS', DEFAULTS.retryBaseMs, 1, retryMaxMs),
    retryMaxMs,
    pollIntervalMs: read.int('NOTIFICATION_POLL_MS', DEFAULTS.pollIntervalMs, 10, 3_600_000),
    batchSize: read.int('NOTIFICATION_BATCH_SIZE', DEFAULTS.batchSize, 1, 500),
    leaseMs: read.int('NOTIFICATION_LEASE_MS', DEFAULTS.leaseMs, 1000, 3_600_000),
  };
}
