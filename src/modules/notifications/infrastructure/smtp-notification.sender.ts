import { Logger } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { NotificationSender, OutgoingNotification, SendFailedError, SendOutcome } from '../application/ports/notification-sender';

export interface SmtpSenderOptions {
  /** `smtp://host:port` */
  url: string;
  from: string;
  /** Bound on connecting, on the server's greeting, and on each of its answers. */
  timeoutMs: number;
}

/** What nodemailer's errors carry: the SMTP reply code when the server answered, else a code like ECONNECTION. */
interface MailError {
  responseCode?: number;
  code?: string;
  message?: string;
}

/**
 * RFC 5321: a 5yz reply is a permanent refusal (550 mailbox unavailable), sending again gets
 * it again; except 503 (bad sequence of commands), which is about the session, not the
 * message. 4yz replies (421 service not available, 451 local error) and every error without
 * a reply (refused connection, timeout, reset) are transient. An envelope nodemailer itself
 * finds invalid, before any reply, is permanent too.
 */
export function isPermanentSmtpFailure(error: MailError): boolean {
  const code = error.responseCode;
  if (code !== undefined) return code >= 500 && code < 600 && code !== 503;
  return error.code === 'EENVELOPE';
}

/** E-mail over SMTP, one connection per message: multipart/alternative, plain text and HTML. */
export class SmtpNotificationSender implements NotificationSender {
  private readonly logger = new Logger('NotificationSender');
  private readonly transport;

  constructor(private readonly options: SmtpSenderOptions) {
    const url = new URL(options.url);
    this.transport = createTransport({
      host: url.hostname,
      port: Number(url.port || 25),
      secure: false,
      connectionTimeout: options.timeoutMs,
      greetingTimeout: options.timeoutMs,
      socketTimeout: options.timeoutMs,
    });
  }

  async send(notification: OutgoingNotification): Promise<SendOutcome> {
    try {
      await this.transport.sendMail({
        from: this.options.from,
        to: notification.recipient,
        subject: notification.subject,
        text: notification.body,
        html: notification.html,
        headers: { 'X-Notification-Id': notification.notificationId },
      });
    } catch (error) {
      const failure = error as MailError;
      const reply = failure.responseCode === undefined ? (failure.code ?? 'no reply') : `SMTP ${failure.responseCode}`;
      throw new SendFailedError(`${reply}: ${failure.message ?? String(error)}`, isPermanentSmtpFailure(failure));
    }
    this.logger.log({ msg: 'notification sent', notificationId: notification.notificationId, template: notification.template });
    return { sent: true };
  }
}
