import { SetMetadata } from '@nestjs/common';
import { ContextName, IntegrationMessage, MessageClass } from '../contracts/message';
import { Envelope } from './envelope';

export const INBOUND_HANDLER = Symbol('INBOUND_HANDLER');

export interface InboundHandlerOptions {
  /** The context that consumes; with the message type it names the inbox consumer. */
  consumer: ContextName;
  message: MessageClass<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- any payload
}

/** Handles one contract message inside a context. It should only schedule a local command. */
export interface MessageHandler<M extends IntegrationMessage = IntegrationMessage> {
  handle(message: M, envelope: Envelope): Promise<void>;
}

/** Marks a provider as the consumer of a contract message; found at start-up by discovery. */
export const InboundHandler = (options: InboundHandlerOptions): ClassDecorator =>
  SetMetadata(INBOUND_HANDLER, options);
