import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RebuildsReadModel, ReadModelRebuilder } from '../../../../../libs/persistence';
import { Progress } from '../../../../../libs/progress';
import { Order } from '../../domain/order';
import { RecordedOrderEvent } from '../../domain/order-events';
import { OrderEventRow, OrderRepository, toRecorded } from '../../infrastructure/order.repository';

const PAGE = 500;

/** `npm run replay`: throws the order views away and folds every order's events again. */
@Injectable()
@RebuildsReadModel()
export class OrderViewRebuilder implements ReadModelRebuilder {
  readonly name = 'ordering.order_view';

  constructor(private readonly dataSource: DataSource) {}

  async rebuild(progress: Progress): Promise<{ rebuilt: number }> {
    return this.dataSource.transaction(async (manager) => {
      const [{ orders }]: { orders: number }[] = await manager.query(
        'SELECT count(DISTINCT order_id)::int AS orders FROM ordering.order_event',
      );
      progress.start(this.name, orders);
      await manager.query('DELETE FROM ordering.order_view');
      let rebuilt = 0;
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const ids: { order_id: string }[] = await manager.query(
          `SELECT DISTINCT order_id FROM ordering.order_event WHERE order_id > $1 ORDER BY order_id LIMIT $2`,
          [after, PAGE],
        );
        if (ids.length === 0) return { rebuilt };
        const rows: OrderEventRow[] = await manager.query(
          'SELECT * FROM ordering.order_event WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, version',
          [ids.map((r) => r.order_id)],
        );
        const histories = new Map<string, RecordedOrderEvent[]>();
        for (const recorded of rows.map(toRecorded)) {
          histories.set(recorded.orderId, [...(histories.get(recorded.orderId) ?? []), recorded]);
        }
        for (const history of histories.values()) {
          await OrderRepository.writeView(manager, Order.fromHistory(history).state);
          rebuilt++;
        }
        progress.update(rebuilt);
        after = ids[ids.length - 1].order_id;
      }
    });
  }
}
