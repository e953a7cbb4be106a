/**
 * A notice for an order whose customer notifications never learnt: none of the order's events
 * that name the customer (its confirmation first) has arrived. Retryable: the confirmation may
 * only be late; once retries are used up the message waits in the dead letters for a replay.
 */
export class OrderCustomerUnknownError extends Error {
  readonly code = 'NOTIFICATIONS.ORDER_CUSTOMER_UNKNOWN';

  constructor(orderId: string, template: string) {
    super(`no ${template} notice for order ${orderId}: its customer is unknown, as no confirmation of the order has been received`);
  }
}
