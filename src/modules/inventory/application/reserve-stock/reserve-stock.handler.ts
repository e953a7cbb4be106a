import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { StockReservationRejectedV1, StockReservedV1 } from '../../../../../libs/contracts/inventory';
import { failpoints } from '../../../../../libs/failpoints';
import { BatchCommandHandler, Transaction, UnitOfWork } from '../../../../../libs/messaging';
import {
  mergeLines,
  planReservation,
  Reservation,
  reservationFromPlan,
  ReservationReply,
  replyTo,
} from '../../domain/reservation';
import { ReservationRepository } from '../../infrastructure/reservation.repository';
import { StockRepository } from '../../infrastructure/stock.repository';
import { countOnCommit, INVENTORY_OPERATIONS, InventoryOperationResult, InventoryOperations } from '../inventory-operations.metric';
import { ReserveStockCommand } from './reserve-stock.command';

/**
 * All-or-nothing reservation in one transaction. The stock rows of the orders' products stay
 * locked from the availability check to the update, so concurrent orders cannot both take the
 * last unit; an order that already has a reservation row gets the same reply again.
 *
 * A batch of requests is planned one after the other against the same locked rows (each
 * request sees what the ones before it took), then written with one statement per table.
 */
@BatchCommandHandler(ReserveStockCommand)
export class ReserveStockHandler implements BatchCommandHandler<ReserveStockCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly stock: StockRepository,
    private readonly reservations: ReservationRepository,
    @InjectMetric(INVENTORY_OPERATIONS) private readonly operations: InventoryOperations,
  ) {}

  async execute(command: ReserveStockCommand): Promise<ReservationReply> {
    const [reply] = await this.reserve([command]);
    return reply;
  }

  async executeBatch(commands: readonly ReserveStockCommand[]): Promise<void> {
    await this.reserve(commands);
  }

  private reserve(commands: readonly ReserveStockCommand[]): Promise<ReservationReply[]> {
    const requests = commands.map((command) => ({ command, lines: mergeLines(command.orderId, command.lines) }));
    return this.unitOfWork.run(async (tx) => {
      // After the commit of whichever transaction this joins: a batch's, or its own.
      if (failpoints.armed) tx.afterCommit(() => failpoints.reach('after-reserve-commit'));
      const known = await this.reservations.lockMany(tx.manager, [...new Set(commands.map((c) => c.orderId))].sort());
      const toPlan = requests.filter(({ command }) => !known.has(command.orderId));
      const available = await this.stock.lockAvailable(tx.manager, [
        ...new Set(toPlan.flatMap(({ lines }) => lines.map((line) => line.productId))),
      ]);
      const created: Reservation[] = [];
      const reserved = new Map<string, number>();
      const results: InventoryOperationResult[] = [];
      const replies = requests.map(({ command, lines }) => {
        let reservation = known.get(command.orderId);
        if (reservation) results.push('repeated');
        else {
          reservation = reservationFromPlan(command.orderId, lines, planReservation(lines, available));
          if (reservation.status === 'RESERVED') {
            for (const { productId, quantity } of lines) {
              available.set(productId, available.get(productId)! - quantity);
              reserved.set(productId, (reserved.get(productId) ?? 0) + quantity);
            }
          }
          known.set(command.orderId, reservation);
          created.push(reservation);
          results.push(reservation.status === 'RESERVED' ? 'ok' : 'rejected');
        }
        const reply = replyTo(reservation);
        this.answer(tx, command, reply);
        return reply;
      });
      await this.stock.reserveMany(tx.manager, reserved);
      await this.reservations.insertMany(tx.manager, created);
      countOnCommit(tx, this.operations, 'reserve', results);
      return replies;
    });
  }

  private answer(tx: Transaction, command: ReserveStockCommand, reply: ReservationReply): void {
    const { orderId } = command;
    tx.publish(
      reply.status === 'RESERVED'
        ? new StockReservedV1({ orderId })
        : new StockReservationRejectedV1({ orderId, reason: reply.reason, productIds: reply.productIds }),
      orderId,
      command,
    );
  }
}
