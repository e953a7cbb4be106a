import { NotificationChannel, NotificationTemplate } from '../../domain/notification';

export const NOTIFICATION_SENDERS = Symbol('NOTIFICATION_SENDERS');

export interface OutgoingNotification {
  notificationId: string;
  /**
   * The same on every retry of one delivery and new for each resend: a provider taking it as its
   * idempotency key sends a retried notification once.
   */
  deliveryKey: string;
  channel: NotificationChannel;
  orderId: string;
  customerId: string;
  recipient: string;
  template: NotificationTemplate;
  /** The e-mail's subject or the push's title; empty for an SMS. */
  subject: string;
  /** Plain text. */
  body: string;
  html: string;
}

/** What became of a send the channel did not refuse: delivered, or deliberately not sent (and why). */
export type SendOutcome = { sent: true } | { sent: false; reason: string };

/**
 * The channel refused or could not be reached. `permanent`: sending again cannot help (a
 * mailbox that does not exist); otherwise it is retried later (a server down or busy).
 */
export class SendFailedError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = SendFailedError.name;
  }
}

/** Delivers a notification on its channel; resolves once the channel accepted it, throws SendFailedError when not. */
export interface NotificationSender {
  /**
   * Why this channel can send nothing at all (no server or provider configured), or undefined
   * when it can. New notifications on such a channel are recorded NOT_SENT with this reason at once.
   */
  readonly unavailable?: string;
  send(notification: OutgoingNotification): Promise<SendOutcome>;
}

/** The sender of each channel; the delivery worker hands every notification to its channel's. */
export type NotificationSenders = Readonly<Record<NotificationChannel, NotificationSender>>;
