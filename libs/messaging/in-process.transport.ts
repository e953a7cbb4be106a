import { Injectable } from '@nestjs/common';
import { Envelope } from './envelope';
import { InboundDispatcher } from './inbound-dispatcher';
import { MessageTransport } from './message-transport';

/** Delivers to the consumers in this process; the outbox row is the queue. */
@Injectable()
export class InProcessTransport implements MessageTransport {
  readonly name = 'in-process';

  constructor(private readonly dispatcher: InboundDispatcher) {}

  publish(envelope: Envelope): Promise<void> {
    return this.dispatcher.dispatch(envelope);
  }
}
