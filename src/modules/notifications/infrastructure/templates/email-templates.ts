import Handlebars from 'handlebars';
import { NotificationTemplate } from '../../domain/notification';
import { NoticeView, RenderedMessage } from '../../domain/render-notice';

/** Handlebars sources of one e-mail: its subject, plain-text body and HTML body. */
export interface EmailTemplates {
  subject: string;
  text: string;
  html: string;
}

type Compiled = Record<keyof EmailTemplates, Handlebars.TemplateDelegate<NoticeView>>;

// Templates of their own engine: no helper or partial registered elsewhere reaches them.
const engine = Handlebars.create();

/**
 * Compiles each template once. The subject and plain text are not HTML, so nothing is escaped
 * there; the HTML escapes every value (`{{…}}`). `strict`: a value a template names but the
 * notice lacks is an error, not an empty gap in a customer's e-mail.
 */
function compile(templates: EmailTemplates): Compiled {
  const plain = { noEscape: true, strict: true };
  return {
    subject: engine.compile<NoticeView>(templates.subject, plain),
    text: engine.compile<NoticeView>(templates.text, plain),
    html: engine.compile<NoticeView>(templates.html, { strict: true }),
  };
}

/** Renders notices with the e-mail templates of their kind. */
export class EmailRenderer {
  private readonly compiled: Map<NotificationTemplate, Compiled>;

  constructor(templates: Record<NotificationTemplate, EmailTemplates>) {
    this.compiled = new Map(Object.entries(templates).map(([name, sources]) => [name as NotificationTemplate, compile(sources)]));
  }

  render(view: NoticeView): RenderedMessage {
    const templates = this.compiled.get(view.template);
    if (!templates) throw new Error(`no e-mail templates for ${view.template}`);
    return {
      template: view.template,
      subject: templates.subject(view),
      body: templates.text(view),
      html: templates.html(view),
    };
  }
}
