import { ContextName, definitionOf, IntegrationMessage, MessageKind } from '../contracts/message';
import { newId } from '../persistence/ids';

/** What travels between contexts: a contract payload plus its routing and tracing metadata. */
export interface Envelope<P = unknown> {
  id: string;
  type: string;
  version: number;
  kind: MessageKind;
  /** Owning context of the contract (a command's handler, an event's publisher). */
  context: ContextName;
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  aggregateId: string;
  traceparent: string | null;
  payload: P;
}

export interface EnvelopeOrigin {
  correlationId: string;
  causationId: string | null;
  traceparent: string | null;
}

export function createEnvelope<P>(
  message: IntegrationMessage<P>,
  aggregateId: string,
  origin: EnvelopeOrigin,
): Envelope<P> {
  const definition = definitionOf(message);
  return {
    id: newId(),
    type: definition.type,
    version: definition.version,
    kind: definition.kind,
    context: definition.context,
    occurredAt: new Date().toISOString(),
    aggregateId,
    ...origin,
    payload: message.payload,
  };
}
