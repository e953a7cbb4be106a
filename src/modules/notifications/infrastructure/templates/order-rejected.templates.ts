import { NoticeTemplates } from './notice-templates';
import { REASONS_HTML, REASONS_TEXT } from './reasons.templates';

export const ORDER_REJECTED: NoticeTemplates = {
  email: {
    subject: 'Your order could not be completed',
    text: `We are sorry: your order {{orderId}} could not be completed and you have not been charged.
${REASONS_TEXT}`,
    html: `<!doctype html>
<html lang="en">
<body>
<p>We are sorry: your order <strong>{{orderId}}</strong> could not be completed and you have not been charged.</p>
${REASONS_HTML}
</body>
</html>
`,
  },
  // No reasons: there may be many, and a text message holds 160 characters; the e-mail lists them.
  sms: { text: 'Sorry: your order {{orderId}} could not be completed. You have not been charged.' },
  push: { title: 'Order not completed', body: 'Sorry: your order {{orderId}} could not be completed. You have not been charged.' },
};
