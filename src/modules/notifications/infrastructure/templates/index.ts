import { NoticeRenderer } from './notice-templates';
import { ORDER_CANCELLED } from './order-cancelled.templates';
import { ORDER_COMPLETED } from './order-completed.templates';
import { ORDER_CONFIRMED } from './order-confirmed.templates';
import { ORDER_REJECTED } from './order-rejected.templates';
import { PAYMENT_REFUNDED } from './payment-refunded.templates';

/** Every kind of notice on every channel. */
export const noticeRenderer = new NoticeRenderer({
  'order-confirmed': ORDER_CONFIRMED,
  'order-rejected': ORDER_REJECTED,
  'order-completed': ORDER_COMPLETED,
  'order-cancelled': ORDER_CANCELLED,
  'payment-refunded': PAYMENT_REFUNDED,
});
