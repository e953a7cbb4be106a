import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { StockReservationRejectedV1, StockReservedV1 } from '../../../../../libs/contracts/inventory';
import { Transaction, UnitOfWork } from '../../../../../libs/messaging';
import {
  mergeLines,
  planReservation,
  Reservation,
  ReservationLine,
  reservationFromPlan,
  ReservationReply,
  replyTo,
} from '../../domain/reservation';
import { ReservationRepository } from '../../infrastructure/reservation.repository';
import { StockRepository } from '../../infrastructure/stock.repository';
import { ReserveStockCommand } from './reserve-stock.command';

/**
 * All-or-nothing reservation in one transaction. The stock rows of the order's products stay
 * locked from the availability check to the update, so concurrent orders cannot both take the
 * last unit; an order that already has a reservation row gets the same reply again.
 */
@CommandHandler(ReserveStockCommand)
export class ReserveStockHandler implements ICommandHandler<ReserveStockCommand> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly stock: StockRepository,
    private readonly reservations: ReservationRepository,
  ) {}

  execute({ orderId, lines }: ReserveStockCommand): Promise<ReservationReply> {
    const merged = mergeLines(orderId, lines);
    return this.unitOfWork.run(async (tx) => {
      const reservation = (await this.reservations.lock(tx.manager, orderId)) ?? (await this.reserve(tx, orderId, merged));
      const reply = replyTo(reservation);
      tx.publish(
        reply.status === 'RESERVED'
          ? new StockReservedV1({ orderId })
          : new StockReservationRejectedV1({ orderId, reason: reply.reason, productIds: reply.productIds }),
        orderId,
      );
      return reply;
    });
  }

  private async reserve(tx: Transaction, orderId: string, lines: ReservationLine[]): Promise<Reservation> {
    const available = await this.stock.lockAvailable(
      tx.manager,
      lines.map((line) => line.productId),
    );
    const reservation = reservationFromPlan(orderId, lines, planReservation(lines, available));
    if (reservation.status === 'RESERVED') {
      for (const line of lines) await this.stock.reserve(tx.manager, line.productId, line.quantity);
    }
    await this.reservations.insert(tx.manager, reservation);
    return reservation;
  }
}
