import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { FieldError, InvalidInputException } from '../../../../../libs/http';
import { UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { Order } from '../../domain/order';
import { MixedCurrencyError } from '../../domain/order.errors';
import { OrderLine } from '../../domain/order-events';
import { OrderRepository } from '../../infrastructure/order.repository';
import { ProductPriceRepository } from '../../infrastructure/product-price.repository';
import { PlaceOrderSaga } from '../place-order-saga/place-order.saga';
import { OrderAdmission } from './order-admission';
import { PlaceOrderCommand } from './place-order.command';

/**
 * Admits the order (or refuses it while the backlog is too long to decide it in time), prices
 * the lines from ordering's catalog replica, records the order PENDING and starts its saga, in
 * one transaction: either the order exists and its requests are on their way, or
 * nothing was written.
 */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly prices: ProductPriceRepository,
    private readonly orders: OrderRepository,
    private readonly saga: PlaceOrderSaga,
    private readonly admission: OrderAdmission,
  ) {}

  async execute({ input }: PlaceOrderCommand): Promise<{ id: string }> {
    await this.admission.admit();
    const prices = await this.prices.pricesOf([...new Set(input.items.map((item) => item.productId))]);
    const unknown: FieldError[] = input.items
      .map((item, index) => ({ item, index }))
      .filter(({ item }) => !prices.has(item.productId))
      .map(({ index }) => ({ field: `items[${index}].productId`, message: 'is not a product in the catalog' }));
    if (unknown.length > 0) throw new InvalidInputException(unknown);
    const lines: OrderLine[] = input.items.map(({ productId, quantity }) => ({
      productId,
      quantity,
      unitPrice: prices.get(productId)!,
    }));
    const now = new Date();
    let order: Order;
    try {
      order = Order.place({ id: newId(), customerId: input.customerId, lines, paymentMethod: input.payment.method, now });
    } catch (error) {
      if (error instanceof MixedCurrencyError) {
        throw new InvalidInputException([{ field: `items[${error.lineIndex}].productId`, message: error.message }]);
      }
      throw error;
    }
    await this.uow.run(async (tx) => {
      await this.orders.save(tx.manager, order);
      await this.saga.start(tx, order, input.payment.token, now);
    });
    return { id: order.state.id };
  }
}
