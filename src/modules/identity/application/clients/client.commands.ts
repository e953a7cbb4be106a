import { Command } from '@nestjs/cqrs';
import type { Permission } from '../../../../../libs/auth';
import type { Client } from '../../infrastructure/client.repository';

/** A new machine client; its secret is in the answer and nowhere else. */
export class CreateClientCommand extends Command<{ client: Client; secret: string }> {
  constructor(
    readonly name: string,
    readonly scopes: Permission[],
  ) {
    super();
  }
}

/** No new tokens for the client; those already issued expire within one access-token lifetime. */
export class RevokeClientCommand extends Command<void> {
  constructor(readonly clientId: string) {
    super();
  }
}
