import { AsyncLocalStorage } from 'node:async_hooks';
import { newId } from '../persistence/ids';
import { EnvelopeOrigin } from './envelope';
import type { Transaction } from './unit-of-work';

/** The inbound message a consumer is handling, so its transaction can record it in the inbox. */
export interface InboundDelivery {
  consumer: string;
  messageId: string;
  /** Set once a transaction has written the inbox row for this delivery. */
  recorded: boolean;
}

export interface MessageContextState {
  correlationId: string;
  /** Id of the message being handled; messages emitted now are caused by it. */
  causationId: string | null;
  traceparent: string | null;
  inbound?: InboundDelivery;
  /** The transaction of the batch being handled, which every unit of work joins. */
  batch?: Transaction;
}

const storage = new AsyncLocalStorage<MessageContextState>();

/** Correlation and causation for whatever runs now: an HTTP request or an inbound message. */
export const MessageContext = {
  run<T>(state: MessageContextState, fn: () => T): T {
    return storage.run(state, fn);
  },

  current(): MessageContextState | undefined {
    return storage.getStore();
  },

  origin(): EnvelopeOrigin {
    const state = storage.getStore();
    return {
      correlationId: state?.correlationId ?? newId(),
      causationId: state?.causationId ?? null,
      traceparent: state?.traceparent ?? null,
    };
  },
};
