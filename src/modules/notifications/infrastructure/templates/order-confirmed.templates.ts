import { NoticeTemplates } from './notice-templates';

// The lines only where the confirmation carried them: earlier ones did not, and read as before.
export const ORDER_CONFIRMED: NoticeTemplates = {
  email: {
    subject: 'Your order is confirmed',
    text: `Thank you for your order {{orderId}}.
{{#if lines.length}}

{{#each lines}}
{{quantity}} x {{name}} at {{unitPrice}}: {{lineTotal}}
{{/each}}
Total: {{total}}
{{/if}}

Your payment of {{total}} is authorized; we will tell you once it is taken and your order is on its way.
`,
    html: `<!doctype html>
<html lang="en">
<body>
<p>Thank you for your order <strong>{{orderId}}</strong>.</p>
{{#if lines.length}}
<table>
<thead><tr><th align="left">Product</th><th align="right">Quantity</th><th align="right">Unit price</th><th align="right">Total</th></tr></thead>
<tbody>
{{#each lines}}
<tr><td>{{name}}</td><td align="right">{{quantity}}</td><td align="right">{{unitPrice}}</td><td align="right">{{lineTotal}}</td></tr>
{{/each}}
</tbody>
<tfoot><tr><th align="left" colspan="3">Order total</th><th align="right">{{total}}</th></tr></tfoot>
</table>
{{/if}}
<p>Your payment of <strong>{{total}}</strong> is authorized; we will tell you once it is taken and your order is on its way.</p>
</body>
</html>
`,
  },
  sms: { text: 'Your order {{orderId}} is confirmed. {{total}} authorized; we will tell you once it is paid.' },
  push: { title: 'Order confirmed', body: 'Your order {{orderId}} is confirmed: {{total}} authorized. We will tell you once it is paid.' },
};
