import { NoticeTemplates } from './notice-templates';

export const ORDER_CONFIRMED: NoticeTemplates = {
  email: {
    subject: 'Your order is confirmed',
    text: `Thank you for your order {{orderId}}.

Your payment of {{total}} has been taken and your order is being prepared.
`,
    html: `<!doctype html>
<html lang="en">
<body>
<p>Thank you for your order <strong>{{orderId}}</strong>.</p>
<p>Your payment of <strong>{{total}}</strong> has been taken and your order is being prepared.</p>
</body>
</html>
`,
  },
  sms: { text: 'Your order {{orderId}} is confirmed. {{total}} paid; we are preparing it.' },
  push: { title: 'Order confirmed', body: 'Your payment of {{total}} has been taken and your order {{orderId}} is being prepared.' },
};
