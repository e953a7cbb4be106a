import { Envelope } from './envelope';

export const MESSAGE_TRANSPORT = Symbol('MESSAGE_TRANSPORT');

/**
 * Carries envelopes from the outbox relay to consumers. `publishBatch` resolves with the error
 * of each envelope that could not be delivered; every other one is safe without its outbox row:
 * handled by every local consumer (in-process) and acknowledged by the broker when it also goes
 * to Kafka. Module code never sees this interface.
 *
 * `onHandedOver` is called once the envelopes are with every consumer but the local ones that
 * commit around a remote call (a payment provider, a mint): acknowledged by the broker and
 * handled by the other local consumers. The promise resolves when those are done too.
 */
export interface MessageTransport {
  readonly name: string;
  publishBatch(envelopes: readonly Envelope[], onHandedOver?: () => void): Promise<Map<Envelope, unknown>>;
}
