import Handlebars from 'handlebars';
import { NotificationChannel, NotificationTemplate } from '../../domain/notification';
import { NoticeView, RenderedMessage } from '../../domain/render-notice';

/** Handlebars sources of one kind of notice on every channel. */
export interface NoticeTemplates {
  email: { subject: string; text: string; html: string };
  /** One text message: at most 160 characters (GSM-7) once rendered, or the phone splits it. */
  sms: { text: string };
  push: { title: string; body: string };
}

type Render = Handlebars.TemplateDelegate<NoticeView>;

/** A message's parts as stored and sent: a subject or title, a plain body, and HTML for e-mail. */
interface CompiledMessage {
  subject?: Render;
  body: Render;
  html?: Render;
}

// Templates of their own engine: no helper or partial registered elsewhere reaches them.
const engine = Handlebars.create();

/**
 * Only HTML is HTML: the e-mail's HTML escapes every value (`{{…}}`), every other part is plain
 * text and escapes nothing. `strict`: a value a template names but the notice lacks is an error,
 * not an empty gap in what a customer reads.
 */
const plain = (source: string): Render => engine.compile<NoticeView>(source, { noEscape: true, strict: true });
const html = (source: string): Render => engine.compile<NoticeView>(source, { strict: true });

function compile(templates: NoticeTemplates): Record<NotificationChannel, CompiledMessage> {
  return {
    email: { subject: plain(templates.email.subject), body: plain(templates.email.text), html: html(templates.email.html) },
    sms: { body: plain(templates.sms.text) },
    push: { subject: plain(templates.push.title), body: plain(templates.push.body) },
  };
}

/** Renders notices with their kind's templates for a channel, each compiled once. */
export class NoticeRenderer {
  private readonly compiled: Map<NotificationTemplate, Record<NotificationChannel, CompiledMessage>>;

  constructor(templates: Record<NotificationTemplate, NoticeTemplates>) {
    this.compiled = new Map(Object.entries(templates).map(([name, sources]) => [name as NotificationTemplate, compile(sources)]));
  }

  render(view: NoticeView, channel: NotificationChannel): RenderedMessage {
    const message = this.compiled.get(view.template)?.[channel];
    if (!message) throw new Error(`no ${channel} templates for ${view.template}`);
    return {
      template: view.template,
      subject: message.subject?.(view) ?? '',
      body: message.body(view),
      html: message.html?.(view) ?? '',
    };
  }
}
