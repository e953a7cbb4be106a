import { NoticeTemplates } from './notice-templates';

export const ORDER_COMPLETED: NoticeTemplates = {
  email: {
    subject: 'Your order is paid',
    text: `Your payment of {{total}} for order {{orderId}} has been taken.

Your order is being prepared for shipping.
`,
    html: `<!doctype html>
<html lang="en">
<body>
<p>Your payment of <strong>{{total}}</strong> for order <strong>{{orderId}}</strong> has been taken.</p>
<p>Your order is being prepared for shipping.</p>
</body>
</html>
`,
  },
  sms: { text: 'Your order {{orderId}} is paid: {{total}} taken. We are preparing it.' },
  push: { title: 'Order paid', body: 'Your payment of {{total}} has been taken and your order {{orderId}} is being prepared.' },
};
