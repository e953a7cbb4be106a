import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Wallet } from '../../domain/wallet';
import { WalletRepository } from '../../infrastructure/wallet.repository';
import { ListWalletsQuery } from './wallet.commands';

@QueryHandler(ListWalletsQuery)
export class ListWalletsHandler implements IQueryHandler<ListWalletsQuery> {
  constructor(private readonly wallets: WalletRepository) {}

  execute({ userId }: ListWalletsQuery): Promise<Wallet[]> {
    return this.wallets.listOf(userId);
  }
}
