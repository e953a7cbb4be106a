import { Injectable } from '@nestjs/common';
import { IntegrationMessage } from '../contracts/message';

@Injectable()
export class Publisher {
  readonly sent: IntegrationMessage<unknown>[] = [];

  publish(message: IntegrationMessage<unknown>): void {
    this.sent.push(message);
  }
}
