import { EmailTemplates } from './email-templates';

export const ORDER_CONFIRMED: EmailTemplates = {
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
};
