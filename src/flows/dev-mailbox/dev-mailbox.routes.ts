// The development mailbox (shared/API.md): every message as delivered, as JSON by
// recipient or as a page. Registered only outside production, so production answers 404.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { readDevMailbox } from '../../delivery/outbox.repo.ts';
import { finishPendingWork } from '../../delivery/pending-work.ts';
import type { Db } from '../../store/db.ts';
import { html } from '../../web/html.ts';
import { htmlOrJson } from '../../web/openapi.ts';
import { layout, type PageContext } from '../../web/layout.ts';
import { pageContext } from '../../web/page.ts';
import type { FlowDeps } from '../deps.ts';

const Message = Type.Object({
  id: Type.String(), channel: Type.String(), to: Type.String(), kind: Type.String(),
  subject: Type.Optional(Type.String()), text: Type.String(), createdAt: Type.String(),
});

export interface DevMailboxOptions {
  db: Db;
  pageContext: (req: FastifyRequest, reply: FastifyReply) => PageContext;
}

export async function devOutboxRoutes(plain: FastifyInstance, opts: DevMailboxOptions): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/dev/outbox', {
    schema: {
      tags: ['development'],
      querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 320 })), lang: Type.Optional(Type.String({ maxLength: 5 })) }),
      // Without a query the same path answers the mailbox page.
      response: { 200: htmlOrJson(Type.Object({ messages: Type.Array(Message) })) },
    },
  }, async (request, reply) => {
    const { to } = request.query;
    await finishPendingWork(opts.db); // what is queued off the request path (recovery starts) shows at once
    if (to === undefined) return renderMailboxPage(request, reply, opts);
    const rows = await readDevMailbox(opts.db, to);
    return {
      messages: rows.map((row) => ({
        id: row.message_id, channel: row.channel, to: row.recipient, kind: row.kind,
        ...(row.subject ? { subject: row.subject } : {}), text: row.body_text, createdAt: row.created_at.toISOString(),
      })),
    };
  });
}

async function renderMailboxPage(request: FastifyRequest, reply: FastifyReply, opts: DevMailboxOptions) {
  const rows = await readDevMailbox(opts.db);
  const ctx = opts.pageContext(request, reply);
  const body = html`<p>Development mailbox: the last ${rows.length} messages, newest first.</p>
    ${rows.map((row) => html`<article class="card mb-3"><div class="card-body">
      <h2 class="h6 mb-1">${row.kind} · ${row.channel} → ${row.recipient}</h2>
      <p class="small mb-2">${row.created_at.toISOString()}${row.subject ? ` · ${row.subject}` : ''}</p>
      <pre class="mb-0 text-wrap">${row.body_text}</pre></div></article>`)}`;
  return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(layout(ctx, { title: 'Outbox', body }));
}

/** The manifest's entry: the mailbox with the application's page context. */
export async function devMailboxRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  await devOutboxRoutes(app, { db: deps.db, pageContext });
}
