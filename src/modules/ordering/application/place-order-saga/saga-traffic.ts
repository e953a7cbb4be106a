import { CommitReservationV1, ReleaseReservationV1, ReserveStockV1 } from '../../../../../libs/contracts/inventory';
import { AuthorizePaymentV2, CapturePaymentV1, VoidPaymentV1 } from '../../../../../libs/contracts/payments';
import { SagaTraffic } from '../../infrastructure/order-saga.repository';
import { orderingInbound } from '../inbound-routes';

const requests = [ReserveStockV1, CommitReservationV1, ReleaseReservationV1, AuthorizePaymentV2, CapturePaymentV1, VoidPaymentV1].map(
  ({ definition }) => ({ type: definition.type, consumer: definition.context }),
);
const replies = orderingInbound.routes.map(({ message }) => ({ type: message.definition.type, consumer: 'ordering' }));

const traffic = [...requests, ...replies];

/**
 * The saga's traffic: the requests it sends, each handled by the context that owns it, and the
 * replies ordering consumes. An order is not late while one of these is on its way, whether queued
 * in the outbox or at the broker; its notifications and receipts are not its traffic and do not
 * hold its deadline back.
 */
export const SAGA_TRAFFIC: SagaTraffic = {
  types: traffic.map(({ type }) => type),
  consumers: traffic.map(({ consumer }) => consumer),
};
