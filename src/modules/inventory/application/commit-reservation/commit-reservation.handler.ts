import { Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { ReservationCommittedV1 } from '../../../../../libs/contracts/inventory';
import { failpoints } from '../../../../../libs/failpoints';
import { BatchCommandHandler, UnitOfWork } from '../../../../../libs/messaging';
import { decideCommit } from '../../domain/reservation';
import { ReservationRepository } from '../../infrastructure/reservation.repository';
import { StockRepository } from '../../infrastructure/stock.repository';
import { countOnCommit, INVENTORY_OPERATIONS, InventoryOperationResult, InventoryOperations } from '../inventory-operations.metric';
import { CommitReservationCommand } from './commit-reservation.command';

/**
 * Reserved units leave the warehouse, once per order; a repeated commit is answered again. A
 * batch locks its reservations, ships its stock and marks its reservations with one statement each.
 */
@BatchCommandHandler(CommitReservationCommand)
export class CommitReservationHandler implements BatchCommandHandler<CommitReservationCommand> {
  private readonly logger = new Logger(CommitReservationHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly stock: StockRepository,
    private readonly reservations: ReservationRepository,
    @InjectMetric(INVENTORY_OPERATIONS) private readonly operations: InventoryOperations,
  ) {}

  execute(command: CommitReservationCommand): Promise<void> {
    return this.executeBatch([command]);
  }

  async executeBatch(commands: readonly CommitReservationCommand[]): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      if (failpoints.armed) tx.afterCommit(() => failpoints.reach('after-stock-commit'));
      const reservations = await this.reservations.lockMany(tx.manager, [...new Set(commands.map((c) => c.orderId))].sort());
      const shipped = new Map<string, number>();
      const committed: string[] = [];
      const results: InventoryOperationResult[] = [];
      for (const command of commands) {
        const { orderId } = command;
        const reservation = reservations.get(orderId);
        const decision = decideCommit(reservation);
        switch (decision.action) {
          case 'COMMIT':
            for (const { productId, quantity } of decision.lines) shipped.set(productId, (shipped.get(productId) ?? 0) + quantity);
            committed.push(orderId);
            reservations.set(orderId, { ...reservation!, status: 'COMMITTED' });
            tx.publish(new ReservationCommittedV1({ orderId }), orderId, command);
            results.push('ok');
            break;
          case 'ALREADY_COMMITTED':
            tx.publish(new ReservationCommittedV1({ orderId }), orderId, command);
            results.push('repeated');
            break;
          case 'NOT_COMMITTABLE':
            this.logger.warn(`order ${orderId}: no held stock to commit (reservation ${reservation?.status ?? 'missing'})`);
            results.push('rejected');
            break;
        }
      }
      await this.stock.shipMany(tx.manager, shipped);
      await this.reservations.setStatusMany(tx.manager, committed, 'COMMITTED');
      countOnCommit(tx, this.operations, 'commit', results);
    });
  }
}
