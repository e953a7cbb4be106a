import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { ReservationReleasedV1 } from '../../../../../libs/contracts/inventory';
import { UnitOfWork } from '../../../../../libs/messaging';
import { decideRelease, releasedTombstone } from '../../domain/reservation';
import { ReservationRepository } from '../../infrastructure/reservation.repository';
import { StockRepository } from '../../infrastructure/stock.repository';
import { countOnCommit, INVENTORY_OPERATIONS, InventoryOperations } from '../inventory-operations.metric';
import { ReleaseReservationCommand } from './release-reservation.command';

@CommandHandler(ReleaseReservationCommand)
export class ReleaseReservationHandler implements ICommandHandler<ReleaseReservationCommand> {
  private readonly logger = new Logger(ReleaseReservationHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly stock: StockRepository,
    private readonly reservations: ReservationRepository,
    @InjectMetric(INVENTORY_OPERATIONS) private readonly operations: InventoryOperations,
  ) {}

  execute({ orderId }: ReleaseReservationCommand): Promise<void> {
    return this.unitOfWork.run(async (tx) => {
      const reservation = await this.reservations.lock(tx.manager, orderId);
      const decision = decideRelease(reservation);
      switch (decision.action) {
        case 'RELEASE':
          for (const line of decision.lines) await this.stock.unreserve(tx.manager, line.productId, line.quantity);
          await this.reservations.setStatus(tx.manager, orderId, 'RELEASED');
          break;
        case 'RESTOCK':
          for (const line of decision.lines) await this.stock.restock(tx.manager, line.productId, line.quantity);
          await this.reservations.setStatus(tx.manager, orderId, 'RELEASED');
          this.logger.log(`order ${orderId}: committed stock returned`);
          break;
        case 'TOMBSTONE':
          await this.reservations.insert(tx.manager, releasedTombstone(orderId));
          break;
        case 'ALREADY_RELEASED':
          break;
      }
      tx.publish(new ReservationReleasedV1({ orderId }), orderId);
      countOnCommit(tx, this.operations, 'release', [decision.action === 'ALREADY_RELEASED' ? 'repeated' : 'ok']);
    });
  }
}
