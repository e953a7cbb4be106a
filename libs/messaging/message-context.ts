import { AsyncLocalStorage } from 'node:async_hooks';
import { newId } from '../persistence/ids';
import { EnvelopeOrigin } from './envelope';
import type { InboxKey } from './inbox.store';

/** The inbound messages a consumer is handling (usually one), so its transaction can record them in the inbox. */
export interface InboundDelivery {
  keys: readonly InboxKey[];
  /** Set once a transaction has written the inbox rows of this delivery. */
  recorded: boolean;
}

export interface MessageContextState {
  correlationId: string;
  /** Id of the message being handled; messages emitted now are caused by it. */
  causationId: string | null;
  traceparent: string | null;
  inbound?: InboundDelivery;
}

const storage = new AsyncLocalStorage<MessageContextState>();
/** The origin of each command an inbound message became, for work that handles many commands at once. */
const commandOrigins = new WeakMap<object, EnvelopeOrigin>();

/** Correlation and causation for whatever runs now: an HTTP request or an inbound message. */
export const MessageContext = {
  run<T>(state: MessageContextState, fn: () => T): T {
    return storage.run(state, fn);
  },

  current(): MessageContextState | undefined {
    return storage.getStore();
  },

  /** Remembers what caused `command`: messages published on its behalf carry that origin. */
  rememberOrigin(command: object, origin: EnvelopeOrigin): void {
    commandOrigins.set(command, origin);
  },

  /** The origin remembered for `command`, else the current one. */
  originOf(command: object): EnvelopeOrigin {
    return commandOrigins.get(command) ?? MessageContext.origin();
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
