/** Why an order ended as it did, in the e-mail's text: one line, nothing when there are no reasons. */
export const REASONS_TEXT = `{{#if reasons.length}}
Reasons: {{#each reasons}}{{this}}{{#unless @last}}, {{/unless}}{{/each}}.
{{/if}}`;

/** The same in the e-mail's HTML: a list. */
export const REASONS_HTML = `{{#if reasons.length}}
<p>Reasons:</p>
<ul>
{{#each reasons}}
  <li>{{this}}</li>
{{/each}}
</ul>
{{/if}}`;
