import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { decodeCursor, encodeCursor } from '../../../../../libs/http';
import { OrderViewReader } from '../../infrastructure/order-view.reader';
import {
  GetOrderHistoryQuery,
  GetOrderQuery,
  ListOrdersQuery,
  OrderHistoryEntry,
  OrderPage,
  OrderView,
} from './order.queries';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isOrderKey(value: unknown): value is { id: string } {
  return typeof (value as { id?: unknown })?.id === 'string' && UUID.test((value as { id: string }).id);
}

@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  constructor(private readonly reader: OrderViewReader) {}

  execute({ orderId }: GetOrderQuery): Promise<OrderView | undefined> {
    return this.reader.get(orderId);
  }
}

@QueryHandler(GetOrderHistoryQuery)
export class GetOrderHistoryHandler implements IQueryHandler<GetOrderHistoryQuery> {
  constructor(private readonly reader: OrderViewReader) {}

  execute({ orderId }: GetOrderHistoryQuery): Promise<OrderHistoryEntry[]> {
    return this.reader.history(orderId);
  }
}

@QueryHandler(ListOrdersQuery)
export class ListOrdersHandler implements IQueryHandler<ListOrdersQuery> {
  constructor(private readonly reader: OrderViewReader) {}

  async execute({ filter, limit, cursor }: ListOrdersQuery): Promise<OrderPage> {
    const after = decodeCursor(cursor, isOrderKey);
    const rows = await this.reader.list(filter, limit + 1, after?.id);
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ id: last.id }) : null };
  }
}
