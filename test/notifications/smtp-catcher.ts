import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** An error smtp-server answers with this SMTP reply code. */
function reply(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * A real SMTP server on a free local port that keeps what it receives. It can be out for the
 * next few messages ("421 service not available"), put an address off for ever (451) or
 * refuse it for good (550).
 */
export class SmtpCatcher {
  readonly received: ParsedMail[] = [];
  /** Messages answered 421 during outages. */
  deferred = 0;
  private readonly refused = new Set<string>();
  private readonly putOff = new Set<string>();
  private outageLeft = 0;

  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo: (address, _session, callback) => callback(this.answerTo(address.address)),
    onData: (stream, _session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          this.received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });

  private constructor() {}

  static async start(): Promise<SmtpCatcher> {
    const catcher = new SmtpCatcher();
    await new Promise<void>((resolve) => catcher.server.listen(0, '127.0.0.1', resolve));
    return catcher;
  }

  /** The server's answer to a recipient: none (accepted), or an error with its reply code. */
  private answerTo(address: string): Error | undefined {
    if (this.outageLeft > 0) {
      this.outageLeft--;
      this.deferred++;
      return reply(421, 'Service not available, try again later');
    }
    if (this.refused.has(address)) return reply(550, 'Mailbox unavailable');
    if (this.putOff.has(address)) return reply(451, 'Local error in processing');
    return undefined;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  /** Every message to `address` is refused with 550 from now on. */
  refuse(address: string): void {
    this.refused.add(address);
  }

  /** The next `messages` are answered 421, whoever they are for; then the server is back. */
  outageFor(messages: number): void {
    this.outageLeft = messages;
  }

  /** Every message to `address` is answered 451 from now on: a transient error that never clears. */
  putOffForEver(address: string): void {
    this.putOff.add(address);
  }

  /** The messages received for `address`. */
  to(address: string): ParsedMail[] {
    return this.received.filter((mail) => [mail.to].flat().some((to) => to?.value.some((v) => v.address === address)));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
