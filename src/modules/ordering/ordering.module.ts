import { DynamicModule, Module } from '@nestjs/common';
import { makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import { makeScrapedGaugeProvider } from '../../../libs/observability';
import { OrdersController } from './api/orders.controller';
import { GetOrderHandler, GetOrderHistoryHandler, ListOrdersHandler } from './application/get-order/order-query.handlers';
import { orderingInbound } from './application/inbound-routes';
import { ADMISSION_OPTIONS, AdmissionOptions, OrderAdmission } from './application/place-order/order-admission';
import { IdempotencyKeyPruner } from './application/place-order/idempotency-key.pruner';
import { PlaceOrderHandler } from './application/place-order/place-order.handler';
import { PlaceOrderSaga } from './application/place-order-saga/place-order.saga';
import {
  ExpireOrderSagaHandler,
  RecordOrderProgressHandler,
  RecordParticipantReplyHandler,
  RedriveOrderSagaHandler,
} from './application/place-order-saga/saga.handlers';
import { SAGA_OPTIONS, SagaOptions } from './application/place-order-saga/saga-options';
import { SagaSweeper } from './application/place-order-saga/saga-sweeper';
import { RecordProductArchivedHandler } from './application/product-price/record-product-archived.handler';
import { RecordProductPriceHandler } from './application/product-price/record-product-price.handler';
import { OrderViewRebuilder } from './application/rebuild-order-views/order-view.rebuilder';
import { IdempotencyKeyRepository } from './infrastructure/idempotency-key.repository';
import { OrderRepository } from './infrastructure/order.repository';
import { OrderSagaRepository } from './infrastructure/order-saga.repository';
import { OrderViewReader } from './infrastructure/order-view.reader';
import { PaymentMethodSealer, PaymentMethodSealing } from './infrastructure/payment-method-sealer';
import { ProductPriceRepository } from './infrastructure/product-price.repository';

const commandHandlers = [
  PlaceOrderHandler,
  RecordParticipantReplyHandler,
  RecordOrderProgressHandler,
  ExpireOrderSagaHandler,
  RedriveOrderSagaHandler,
  RecordProductPriceHandler,
  RecordProductArchivedHandler,
];
const queryHandlers = [GetOrderHandler, GetOrderHistoryHandler, ListOrdersHandler];
const repositories = [OrderRepository, OrderSagaRepository, OrderViewReader, ProductPriceRepository, IdempotencyKeyRepository];
const metrics = [
  makeCounterProvider({
    name: 'orders_refused_total',
    help: 'Orders refused with 503 because the backlog of undecided orders or of deliveries was over its bound',
  }),
  makeCounterProvider({
    name: 'orders_created_total',
    help: 'Orders answered 202 by POST /orders: placed, or replayed for an Idempotency-Key that had placed it before',
    labelNames: ['outcome'],
  }),
  makeCounterProvider({
    name: 'orders_decided_total',
    help: 'Orders the saga decided, by outcome (CONFIRMED, REJECTED, ROLLED_BACK)',
    labelNames: ['outcome'],
  }),
  makeCounterProvider({
    name: 'order_revenue_minor_units_total',
    help: 'Totals of confirmed orders in minor units of their currency (cents)',
    labelNames: ['currency'],
  }),
  makeCounterProvider({
    name: 'orders_closed_total',
    help: 'Confirmed orders that ended: COMPLETED (payment captured, stock committed) or CANCELLED (the capture failed for good)',
    labelNames: ['outcome'],
  }),
  makeScrapedGaugeProvider({
    name: 'saga_states',
    help: 'Orders whose saga is open, by state: pending (awaiting its decision), confirmed (awaiting capture and stock commit)',
    labelNames: ['state'],
    inject: [OrderViewReader],
    read: async (orders: OrderViewReader) => {
      const open = await orders.openCounts();
      return [
        [{ state: 'pending' }, open.get('PENDING') ?? 0],
        [{ state: 'confirmed' }, open.get('CONFIRMED') ?? 0],
      ] as const;
    },
  }),
  makeHistogramProvider({
    name: 'order_processing_duration_seconds',
    help: 'Time from placing an order to its saga decision',
    labelNames: ['outcome'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  }),
];

@Module({})
export class OrderingModule {
  static forRoot(options: { saga: SagaOptions; admission: AdmissionOptions; paymentMethodRefs: PaymentMethodSealing }): DynamicModule {
    return {
      module: OrderingModule,
      controllers: [OrdersController],
      providers: [
        { provide: SAGA_OPTIONS, useValue: options.saga },
        { provide: ADMISSION_OPTIONS, useValue: options.admission },
        { provide: PaymentMethodSealer, useFactory: () => PaymentMethodSealer.forKey(options.paymentMethodRefs) },
        OrderAdmission,
        PlaceOrderSaga,
        SagaSweeper,
        IdempotencyKeyPruner,
        OrderViewRebuilder,
        ...commandHandlers,
        ...queryHandlers,
        orderingInbound.provider,
        ...repositories,
        ...metrics,
      ],
    };
  }
}
