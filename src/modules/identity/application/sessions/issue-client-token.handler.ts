import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { timingSafeEqual } from 'node:crypto';
import { InvalidClientError } from '../../domain/identity.errors';
import { ClientRepository } from '../../infrastructure/client.repository';
import { AccessToken, hashOfSecret, TokenIssuer } from '../token-issuer';
import { IssueClientTokenCommand } from './session.commands';

@CommandHandler(IssueClientTokenCommand)
export class IssueClientTokenHandler implements ICommandHandler<IssueClientTokenCommand> {
  constructor(
    private readonly clients: ClientRepository,
    private readonly tokens: TokenIssuer,
  ) {}

  async execute({ clientId, clientSecret }: IssueClientTokenCommand): Promise<AccessToken> {
    const client = await this.clients.findActive(clientId);
    const presented = hashOfSecret(clientSecret);
    if (!client || !timingSafeEqual(client.secretHash, presented)) throw new InvalidClientError();
    return this.tokens.accessToken({ subject: client.id, clientId: client.id, roles: [], permissions: new Set(client.scopes) });
  }
}
