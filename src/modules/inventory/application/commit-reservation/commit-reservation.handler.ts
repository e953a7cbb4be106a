import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ReservationCommittedV1 } from '../../../../../libs/contracts/inventory';
import { UnitOfWork } from '../../../../../libs/messaging';
import { decideCommit } from '../../domain/reservation';
import { ReservationRepository } from '../../infrastructure/reservation.repository';
import { StockRepository } from '../../infrastructure/stock.repository';
import { CommitReservationCommand } from './commit-reservation.command';

@CommandHandler(CommitReservationCommand)
export class CommitReservationHandler implements ICommandHandler<CommitReservationCommand> {
  private readonly logger = new Logger(CommitReservationHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly stock: StockRepository,
    private readonly reservations: ReservationRepository,
  ) {}

  execute({ orderId }: CommitReservationCommand): Promise<void> {
    return this.unitOfWork.run(async (tx) => {
      const reservation = await this.reservations.lock(tx.manager, orderId);
      const decision = decideCommit(reservation);
      switch (decision.action) {
        case 'COMMIT':
          for (const line of decision.lines) await this.stock.ship(tx.manager, line.productId, line.quantity);
          await this.reservations.setStatus(tx.manager, orderId, 'COMMITTED');
          tx.publish(new ReservationCommittedV1({ orderId }), orderId);
          return;
        case 'ALREADY_COMMITTED':
          tx.publish(new ReservationCommittedV1({ orderId }), orderId);
          return;
        case 'NOT_COMMITTABLE':
          this.logger.warn(`order ${orderId}: no held stock to commit (reservation ${reservation?.status ?? 'missing'})`);
          return;
      }
    });
  }
}
