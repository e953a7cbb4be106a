import { DeadLetter, DeadLetterStore } from './dead-letter.store';
import { DeadLettersController } from './dead-letters.controller';
import { Envelope } from './envelope';

const ORDER_ID = '0190a3f2-3a9c-7d32-9f50-0a1b2c3d4e5f';

function envelope(type: string, payload: unknown): Envelope {
  return {
    id: '0190a3f2-4b0d-7c21-8e6f-1a2b3c4d5e6f',
    type,
    version: 1,
    kind: 'command',
    context: 'payments',
    occurredAt: '2026-01-15T09:30:00.000Z',
    correlationId: ORDER_ID,
    causationId: null,
    aggregateId: ORDER_ID,
    traceparent: null,
    payload,
  };
}

function letter(id: string, stored: Envelope, error = 'provider unreachable'): DeadLetter {
  return {
    id,
    messageId: stored.id,
    type: stored.type,
    version: stored.version,
    consumers: [`payments/${stored.type}@1`],
    error,
    attempts: 8,
    source: 'outbox',
    envelope: stored,
    createdAt: '2026-01-15T09:30:05.000Z',
    replayedAt: null,
  };
}

/** The store as the controller sees it: letters as they were written, secrets and all. */
class StoredLetters {
  constructor(readonly letters: DeadLetter[]) {}

  list(): Promise<DeadLetter[]> {
    return Promise.resolve(this.letters);
  }

  replay(id: string): Promise<DeadLetter> {
    const found = this.letters.find((l) => l.id === id)!;
    return Promise.resolve({ ...found, replayedAt: '2026-01-15T10:00:00.000Z' });
  }
}

describe(DeadLettersController.name, () => {
  const authorize = letter(
    '0190a3f2-0000-7000-8000-000000000001',
    envelope('payments.payment.authorize', {
      orderId: ORDER_ID,
      amount: { amount: 3998, currency: 'EUR' },
      method: 'card',
      token: 'tok_visa',
    }),
  );
  const undecodable = letter(
    '0190a3f2-0000-7000-8000-000000000002',
    {
      undecodable: {
        headers: { 'message-type': 'identity.user.registered', Authorization: 'Bearer eyJhbGciOi.x.y' },
        value: { user: { email: 'jane@example.com', password: 'hunter2hunter2', refreshToken: 'rt_1', apiKey: 'ak_1' } },
      },
    } as unknown as Envelope,
    'duplicate key (email)=(jane@example.com)',
  );
  const store = new StoredLetters([authorize, undecodable]);
  const controller = new DeadLettersController(store as unknown as DeadLetterStore);

  it('lists dead letters with every secret-named field redacted, at any depth, and the rest as stored', async () => {
    const [payment, record] = await controller.list({});

    expect(payment).toEqual({
      ...authorize,
      envelope: {
        ...authorize.envelope,
        payload: { orderId: ORDER_ID, amount: { amount: 3998, currency: 'EUR' }, method: 'card', token: '[redacted]' },
      },
    });
    expect(record.envelope).toEqual({
      undecodable: {
        headers: { 'message-type': 'identity.user.registered', Authorization: '[redacted]' },
        value: { user: { email: '[redacted]', password: '[redacted]', refreshToken: '[redacted]', apiKey: '[redacted]' } },
      },
    });
    expect(record.error).toBe('duplicate key (email)=([redacted])');
    expect(JSON.stringify([payment, record])).not.toMatch(/tok_visa|eyJhbGciOi|jane@|hunter2|rt_1|ak_1/);
  });

  it('answers a replay with the letter redacted too', async () => {
    const replayed = await controller.replay({ id: authorize.id });

    expect(replayed.replayedAt).toBe('2026-01-15T10:00:00.000Z');
    expect(replayed.envelope).toMatchObject({ payload: { token: '[redacted]' } });
  });

  it('leaves the stored envelopes as they were, for replays to send', async () => {
    await controller.list({});

    expect(store.letters[0].envelope.payload).toMatchObject({ token: 'tok_visa' });
  });
});
