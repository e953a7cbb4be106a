import { NotificationChannel, NotificationTemplate } from '../../domain/notification';

export const NOTIFICATION_SENDER = Symbol('NOTIFICATION_SENDER');

export interface OutgoingNotification {
  notificationId: string;
  channel: NotificationChannel;
  customerId: string;
  recipient: string;
  template: NotificationTemplate;
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
  send(notification: OutgoingNotification): Promise<SendOutcome>;
}
