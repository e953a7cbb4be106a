import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { createHash } from 'node:crypto';
import { Counter } from 'prom-client';
import { failpoints } from '../../../../../libs/failpoints';
import { FieldError, InvalidInputException, OverCapacityException } from '../../../../../libs/http';
import { MessageContext, UnitOfWork } from '../../../../../libs/messaging';
import { newId } from '../../../../../libs/persistence';
import { Order } from '../../domain/order';
import { IdempotencyKeyReusedError, MixedCurrencyError, OrderTotalTooLargeError } from '../../domain/order.errors';
import { Money, OrderLine } from '../../domain/order-events';
import { claimKeyOf, IdempotencyKeyRepository, KeyedPlacement } from '../../infrastructure/idempotency-key.repository';
import { OrderRepository } from '../../infrastructure/order.repository';
import { ProductPriceRepository } from '../../infrastructure/product-price.repository';
import { PlaceOrderSaga } from '../place-order-saga/place-order.saga';
import { OrderAdmission } from './order-admission';
import { PlacedOrder, PlaceOrderCommand, PlaceOrderInput } from './place-order.command';

/** Most orders placed in one transaction. */
const MAX_GROUP = 200;
/** Transactions of placements under way at once: while one commits, the next group fills and starts. */
const MAX_GROUPS_IN_FLIGHT = 4;

interface Placement {
  input: PlaceOrderInput;
  resolve(placed: PlacedOrder): void;
  reject(error: unknown): void;
}

/** What the request asked for, so a key sent again with another request is told apart. */
function requestHashOf({ items, payment }: PlaceOrderInput): Buffer {
  const request = [items.map((item) => [item.productId, item.quantity]), payment.method, payment.token];
  return createHash('sha256').update(JSON.stringify(request)).digest();
}

/** The earlier placement a key replays, or the refusal of a key reused for another request. */
function replayOf(input: PlaceOrderInput, earlier: KeyedPlacement): PlacedOrder {
  if (!earlier.requestHash.equals(requestHashOf(input))) throw new IdempotencyKeyReusedError(input.idempotencyKey!);
  return { id: earlier.orderId, replayed: true };
}

/**
 * Admits the order (or refuses it while the backlog is too long to decide it in time), prices
 * the lines from ordering's catalog replica, records the order PENDING and starts its saga, in
 * one transaction: either the order exists and its requests are on their way, or nothing was
 * written.
 *
 * Orders arriving while transactions of placements are being committed (up to four at once)
 * wait for one to finish and then go together in the next (group commit): under load one price
 * lookup and one commit serve many orders, and a lone order goes at once.
 *
 * An `Idempotency-Key` is claimed in the same transaction as the order it places, so a request
 * sent again (or racing the first) gets the first one's order and nothing is written twice.
 */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  private readonly waiting: Placement[] = [];
  private groupsInFlight = 0;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly prices: ProductPriceRepository,
    private readonly orders: OrderRepository,
    private readonly saga: PlaceOrderSaga,
    private readonly admission: OrderAdmission,
    private readonly idempotencyKeys: IdempotencyKeyRepository,
    @InjectMetric('orders_created_total') private readonly ordersCreated: Counter<'outcome'>,
  ) {}

  async execute({ input }: PlaceOrderCommand): Promise<PlacedOrder> {
    const refusal = await this.admission.refusal();
    const placed = refusal === undefined ? await this.placeAdmitted(input) : await this.replayDespite(refusal, input);
    this.ordersCreated.inc({ outcome: placed.replayed ? 'replayed' : 'placed' });
    return placed;
  }

  private placeAdmitted(input: PlaceOrderInput): Promise<PlacedOrder> {
    return new Promise<PlacedOrder>((resolve, reject) => {
      const placement = { input, resolve, reject };
      // Messages the order sets off carry the origin (correlation, trace) of its own request.
      MessageContext.rememberOrigin(placement, MessageContext.origin());
      this.waiting.push(placement);
      this.placeWaiting();
    });
  }

  /**
   * Over capacity, a request whose key has already placed its order (a client sending again after
   * a lost answer) still gets that order: answering it adds nothing to the backlog. Any other is refused.
   */
  private async replayDespite(refusal: OverCapacityException, input: PlaceOrderInput): Promise<PlacedOrder> {
    const earlier = input.idempotencyKey === undefined ? undefined : await this.idempotencyKeys.placementOf(input.customerId, input.idempotencyKey);
    if (earlier === undefined) this.admission.refuse(refusal);
    return replayOf(input, earlier);
  }

  private placeWaiting(): void {
    if (this.groupsInFlight >= MAX_GROUPS_IN_FLIGHT || this.waiting.length === 0) return;
    this.groupsInFlight++;
    void this.place(this.waiting.splice(0, MAX_GROUP)).finally(() => {
      this.groupsInFlight--;
      this.placeWaiting();
    });
  }

  private async place(group: Placement[]): Promise<void> {
    try {
      const prices = await this.prices.pricesOf([...new Set(group.flatMap(({ input }) => input.items.map((item) => item.productId)))]);
      const now = new Date();
      const valid = group.flatMap((placement) => {
        try {
          return [{ placement, order: orderOf(placement.input, prices, now) }];
        } catch (error) {
          placement.reject(error);
          return [];
        }
      });
      if (valid.length === 0) return;
      // The first placement of a key in the group claims it; later ones follow its outcome.
      const leaders = new Map<string, { placement: Placement; orderId: string }>();
      for (const { placement, order } of valid) {
        const key = keyOf(placement);
        if (key !== undefined && !leaders.has(key)) leaders.set(key, { placement, orderId: order.state.id });
      }
      const earlier = await this.uow.run(async (tx) => {
        const claims = [...leaders.values()].map(({ placement, orderId }) => ({
          customerId: placement.input.customerId,
          key: placement.input.idempotencyKey!,
          requestHash: requestHashOf(placement.input),
          orderId,
        }));
        const taken = await this.idempotencyKeys.claimMany(tx.manager, claims);
        const placing = valid.filter(({ placement }) => {
          const key = keyOf(placement);
          return key === undefined || (leaders.get(key)?.placement === placement && !taken.has(key));
        });
        if (placing.length === 0) return taken;
        await this.orders.saveMany(
          tx.manager,
          placing.map(({ placement, order }) => ({ order, correlationId: MessageContext.originOf(placement).correlationId })),
        );
        await this.saga.startMany(
          tx,
          placing.map(({ placement, order }) => ({ order, paymentToken: placement.input.payment.token, cause: placement })),
          now,
        );
        return taken;
      });
      if (failpoints.armed) await failpoints.reach('after-placement-commit');
      for (const { placement, order } of valid) {
        const key = keyOf(placement);
        const leader = key === undefined ? undefined : leaders.get(key)!;
        const placed = key === undefined ? undefined : earlier.get(key);
        if (leader === undefined || (leader.placement === placement && placed === undefined)) {
          placement.resolve({ id: order.state.id, replayed: false });
          continue;
        }
        try {
          placement.resolve(replayOf(placement.input, placed ?? { requestHash: requestHashOf(leader.placement.input), orderId: leader.orderId }));
        } catch (error) {
          placement.reject(error);
        }
      }
    } catch (error) {
      // Nothing of the group was written; a placement already refused keeps its own answer.
      group.forEach((placement) => placement.reject(error));
    }
  }
}

function keyOf(placement: Placement): string | undefined {
  const { customerId, idempotencyKey } = placement.input;
  return idempotencyKey === undefined ? undefined : claimKeyOf({ customerId, key: idempotencyKey });
}

/** The order of the input, priced; invalid input is a 400 naming the lines at fault. */
function orderOf(input: PlaceOrderInput, prices: ReadonlyMap<string, Money>, now: Date): Order {
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
  try {
    return Order.place({ id: newId(), customerId: input.customerId, lines, paymentMethod: input.payment.method, now });
  } catch (error) {
    if (error instanceof MixedCurrencyError) {
      throw new InvalidInputException([{ field: `items[${error.lineIndex}].productId`, message: error.message }]);
    }
    if (error instanceof OrderTotalTooLargeError) throw new InvalidInputException([{ field: 'items', message: error.message }]);
    throw error;
  }
}
