import { NoticeTemplates } from './notice-templates';
import { REASONS_HTML, REASONS_TEXT } from './reasons.templates';

export const ORDER_CANCELLED: NoticeTemplates = {
  email: {
    subject: 'Your order has been cancelled',
    text: `We are sorry: your order {{orderId}} has been cancelled because its payment could not be taken.

Nothing was charged: the {{total}} held on your payment method is released.
${REASONS_TEXT}`,
    html: `<!doctype html>
<html lang="en">
<body>
<p>We are sorry: your order <strong>{{orderId}}</strong> has been cancelled because its payment could not be taken.</p>
<p>Nothing was charged: the <strong>{{total}}</strong> held on your payment method is released.</p>
${REASONS_HTML}
</body>
</html>
`,
  },
  // No reasons: a text message holds 160 characters; the e-mail lists them.
  sms: { text: 'Sorry: your order {{orderId}} is cancelled, its payment could not be taken. Nothing was charged.' },
  push: { title: 'Order cancelled', body: 'Sorry: your order {{orderId}} is cancelled, its payment could not be taken. Nothing was charged.' },
};
