import { NoticeTemplates } from './notice-templates';

export const PAYMENT_REFUNDED: NoticeTemplates = {
  email: {
    subject: '{{#if fullyRefunded}}Your order is refunded{{else}}Part of your order is refunded{{/if}}',
    text: `We have refunded {{amount}} for your order {{orderId}}.

{{#if fullyRefunded}}Your payment is now refunded in full: {{totalRefunded}}.{{else}}Refunded so far: {{totalRefunded}}; the rest of your payment stands.{{/if}}
It can take a few days to show on your statement.
`,
    html: `<!doctype html>
<html lang="en">
<body>
<p>We have refunded <strong>{{amount}}</strong> for your order <strong>{{orderId}}</strong>.</p>
{{#if fullyRefunded}}
<p>Your payment is now refunded in full: <strong>{{totalRefunded}}</strong>.</p>
{{else}}
<p>Refunded so far: <strong>{{totalRefunded}}</strong>; the rest of your payment stands.</p>
{{/if}}
<p>It can take a few days to show on your statement.</p>
</body>
</html>
`,
  },
  sms: {
    text: '{{amount}} refunded for your order {{orderId}}. {{#if fullyRefunded}}Refunded in full.{{else}}Refunded so far: {{totalRefunded}}.{{/if}}',
  },
  push: {
    title: '{{#if fullyRefunded}}Order refunded{{else}}Partial refund{{/if}}',
    body: '{{amount}} refunded for your order {{orderId}}. {{#if fullyRefunded}}Refunded in full.{{else}}Refunded so far: {{totalRefunded}}.{{/if}}',
  },
};
