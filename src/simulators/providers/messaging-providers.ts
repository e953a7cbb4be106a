import { BoundedLog } from './bounded-log';
import type { Outcome } from './idempotency';
import { invalidRequest } from './provider-error';
import { newId, ProviderRoutes, SimulatedProvider } from './simulated-provider';

/** A valid number that no message reaches: the SMS provider refuses it, finally. */
export const UNREACHABLE_NUMBER = '+15005550009';
/** A device token whose app was uninstalled: the push provider refuses it, finally, as FCM's UNREGISTERED. */
export const UNREGISTERED_DEVICE = 'device_unregistered';

/** What tests may read back of the messages sent, per provider. */
const MESSAGES_KEPT = 10_000;

interface SmsMessage {
  id: string;
  status: 'queued';
  to: string;
  from: string | null;
  body: string;
  created: string;
}

interface PushMessage {
  id: string;
  status: 'sent';
  token: string;
  title: string;
  body: string;
  data: Record<string, string>;
  created: string;
}

const smsBody = {
  type: 'object',
  required: ['to', 'body'],
  additionalProperties: false,
  properties: {
    to: { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$' },
    from: { type: 'string', minLength: 1, maxLength: 15 },
    body: { type: 'string', minLength: 1, maxLength: 1600 },
  },
} as const;

const pushBody = {
  type: 'object',
  required: ['token', 'title', 'body'],
  additionalProperties: false,
  properties: {
    token: { type: 'string', minLength: 1, maxLength: 4096 },
    title: { type: 'string', minLength: 1, maxLength: 256 },
    body: { type: 'string', minLength: 1, maxLength: 4096 },
    data: { type: 'object', maxProperties: 50, additionalProperties: { type: 'string', maxLength: 1024 } },
  },
} as const;

/** Records every message it accepts, for tests to read back. */
abstract class MessageProvider<Message extends { id: string }> implements SimulatedProvider {
  abstract readonly name: 'sms' | 'push';
  abstract readonly prefix: string;
  readonly idempotencyHeader = 'idempotency-key';
  private readonly messages = new BoundedLog<Message>(MESSAGES_KEPT);

  abstract register(routes: ProviderRoutes): void;

  received(): Message[] {
    return this.messages.values();
  }

  clear(): void {
    this.messages.clear();
  }

  protected accept(message: Message, status: number): Outcome {
    this.messages.add(message.id, message);
    return { status, body: message };
  }
}

/** An SMS provider: `POST /sms/v1/messages` with an E.164 number and a text. */
export class SmsProvider extends MessageProvider<SmsMessage> {
  readonly name = 'sms';
  readonly prefix = '/sms/v1';

  register({ scope, mutation }: ProviderRoutes): void {
    scope.post<{ Body: { to: string; from?: string; body: string } }>(
      '/messages',
      { schema: { body: smsBody } },
      mutation(({ body }) => {
        if (body.to === UNREACHABLE_NUMBER) throw invalidRequest('unreachable_destination', `No message can reach ${body.to}`);
        const message: SmsMessage = { id: newId('SM', 16), status: 'queued', to: body.to, from: body.from ?? null, body: body.body, created: new Date().toISOString() };
        return this.accept(message, 201);
      }),
    );
  }
}

/** A push provider: `POST /push/v1/send` with a device token, a title and a text. */
export class PushProvider extends MessageProvider<PushMessage> {
  readonly name = 'push';
  readonly prefix = '/push/v1';

  register({ scope, mutation }: ProviderRoutes): void {
    scope.post<{ Body: { token: string; title: string; body: string; data?: Record<string, string> } }>(
      '/send',
      { schema: { body: pushBody } },
      mutation(({ body }) => {
        if (body.token === UNREGISTERED_DEVICE) throw invalidRequest('unregistered', 'The device token is no longer registered', 404);
        const message: PushMessage = { id: newId('push_'), status: 'sent', ...body, data: body.data ?? {}, created: new Date().toISOString() };
        return this.accept(message, 200);
      }),
    );
  }
}
