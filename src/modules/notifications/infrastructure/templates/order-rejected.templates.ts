import { NoticeTemplates } from './notice-templates';

export const ORDER_REJECTED: NoticeTemplates = {
  email: {
    subject: 'Your order could not be completed',
    text: `We are sorry: your order {{orderId}} could not be completed and you have not been charged.
{{#if reasons.length}}
Reasons: {{#each reasons}}{{this}}{{#unless @last}}, {{/unless}}{{/each}}.
{{/if}}`,
    html: `<!doctype html>
<html lang="en">
<body>
<p>We are sorry: your order <strong>{{orderId}}</strong> could not be completed and you have not been charged.</p>
{{#if reasons.length}}
<p>Reasons:</p>
<ul>
{{#each reasons}}
  <li>{{this}}</li>
{{/each}}
</ul>
{{/if}}
</body>
</html>
`,
  },
  // No reasons: there may be many, and a text message holds 160 characters; the e-mail lists them.
  sms: { text: 'Sorry: your order {{orderId}} could not be completed. You have not been charged.' },
  push: { title: 'Order not completed', body: 'Sorry: your order {{orderId}} could not be completed. You have not been charged.' },
};
