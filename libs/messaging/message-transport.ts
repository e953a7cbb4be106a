import { Envelope } from './envelope';

export const MESSAGE_TRANSPORT = Symbol('MESSAGE_TRANSPORT');

/**
 * Carries envelopes from the outbox relay to consumers. `publish` resolves only once the
 * message is safe without the outbox row: handled by every local consumer (in-process) and
 * acknowledged by the broker when it also goes to Kafka. Module code never sees this interface.
 */
export interface MessageTransport {
  readonly name: string;
  publish(envelope: Envelope): Promise<void>;
}
