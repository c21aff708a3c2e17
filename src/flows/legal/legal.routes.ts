// The legal pages every PA site links from its footer: legal notes, privacy, accessibility.
import type { FastifyInstance } from 'fastify';
import { html } from '../../web/html.ts';
import type { MessageKey } from '../../web/i18n/index.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import type { FlowDeps } from '../deps.ts';

const pages: { path: string; title: MessageKey; body: MessageKey; more?: MessageKey }[] = [
  { path: '/note-legali', title: 'legal.notes.title', body: 'legal.notes.body' },
  { path: '/privacy', title: 'legal.privacy.title', body: 'legal.privacy.body' },
  { path: '/dichiarazione-accessibilita', title: 'legal.accessibility.title', body: 'legal.accessibility.body', more: 'legal.accessibility.feedback' },
];

export async function legalPageRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  for (const page of pages) {
    app.get(page.path, { schema: { hide: true } }, (request, reply) => {
      const ctx = pageContext(request, reply);
      const administration = deps.config.portal.administrationName;
      return sendPage(reply, ctx, {
        title: ctx.t(page.title),
        body: html`<p>${ctx.t(page.body, { administration })}</p>${page.more ? html`<p><a href="/assistance">${ctx.t(page.more)}</a></p>` : ''}`,
      });
    });
  }
}
