import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnknownClientError } from '../../domain/identity.errors';
import { ClientRepository } from '../../infrastructure/client.repository';
import { RevokeClientCommand } from './client.commands';

@CommandHandler(RevokeClientCommand)
export class RevokeClientHandler implements ICommandHandler<RevokeClientCommand> {
  constructor(private readonly clients: ClientRepository) {}

  async execute({ clientId }: RevokeClientCommand): Promise<void> {
    if (!(await this.clients.revoke(clientId))) throw new UnknownClientError(clientId);
  }
}
