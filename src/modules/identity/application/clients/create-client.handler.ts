import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomBytes } from 'node:crypto';
import { newId } from '../../../../../libs/persistence';
import { Client, ClientRepository } from '../../infrastructure/client.repository';
import { hashOfSecret } from '../token-issuer';
import { CreateClientCommand } from './client.commands';

@CommandHandler(CreateClientCommand)
export class CreateClientHandler implements ICommandHandler<CreateClientCommand> {
  constructor(private readonly clients: ClientRepository) {}

  async execute({ name, scopes }: CreateClientCommand): Promise<{ client: Client; secret: string }> {
    const secret = randomBytes(32).toString('base64url');
    const client = await this.clients.insert({ id: newId(), name, secretHash: hashOfSecret(secret), scopes: [...new Set(scopes)] });
    return { client, secret };
  }
}
