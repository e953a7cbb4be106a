import { NoticeRenderer } from './notice-templates';
import { ORDER_CONFIRMED } from './order-confirmed.templates';
import { ORDER_REJECTED } from './order-rejected.templates';

/** Every kind of notice on every channel. */
export const noticeRenderer = new NoticeRenderer({ 'order-confirmed': ORDER_CONFIRMED, 'order-rejected': ORDER_REJECTED });
