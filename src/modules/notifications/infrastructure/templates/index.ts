import { EmailRenderer } from './email-templates';
import { ORDER_CONFIRMED } from './order-confirmed.templates';
import { ORDER_REJECTED } from './order-rejected.templates';

/** The e-mail of every kind of notice. */
export const emailRenderer = new EmailRenderer({ 'order-confirmed': ORDER_CONFIRMED, 'order-rejected': ORDER_REJECTED });
