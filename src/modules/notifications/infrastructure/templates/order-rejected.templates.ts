import { EmailTemplates } from './email-templates';

export const ORDER_REJECTED: EmailTemplates = {
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
};
