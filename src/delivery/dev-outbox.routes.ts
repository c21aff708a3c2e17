// The development mailbox (shared/API.md): every message as delivered, as JSON by
// recipient or as a page. Registered only outside production, so production answers 404.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Db } from '../store/db.ts';
import { html } from '../web/html.ts';
import { layout, type PageContext } from '../web/layout.ts';

interface MailboxRow {
  message_id: string;
  channel: string;
  recipient: string;
  kind: string;
  subject: string | null;
  body_text: string;
  created_at: Date;
}

const Message = Type.Object({
  id: Type.String(), channel: Type.String(), to: Type.String(), kind: Type.String(),
  subject: Type.Optional(Type.String()), text: Type.String(), createdAt: Type.String(),
});

export async function devOutboxRoutes(
  app: FastifyInstance,
  opts: { db: Db; pageContext: (req: FastifyRequest, reply: FastifyReply) => PageContext },
): Promise<void> {
  app.get('/dev/outbox', {
    schema: {
      tags: ['development'],
      querystring: Type.Object({ to: Type.Optional(Type.String({ maxLength: 320 })), lang: Type.Optional(Type.String({ maxLength: 5 })) }),
      response: { 200: Type.Object({ messages: Type.Array(Message) }) },
    },
  }, async (request, reply) => {
    const { to } = request.query as { to?: string };
    if (to === undefined) return renderMailboxPage(request, reply, opts);
    const rows = await opts.db.query<MailboxRow>('SELECT * FROM dev_mailbox WHERE recipient = $1 ORDER BY seq', [to]);
    return {
      messages: rows.rows.map((row) => ({
        id: row.message_id, channel: row.channel, to: row.recipient, kind: row.kind,
        ...(row.subject ? { subject: row.subject } : {}), text: row.body_text, createdAt: row.created_at.toISOString(),
      })),
    };
  });
}

async function renderMailboxPage(
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { db: Db; pageContext: (req: FastifyRequest, reply: FastifyReply) => PageContext },
) {
  const rows = await opts.db.query<MailboxRow>('SELECT * FROM dev_mailbox ORDER BY seq DESC LIMIT 200');
  const ctx = opts.pageContext(request, reply);
  const body = html`<p>Development mailbox: the last ${rows.rows.length} messages, newest first.</p>
    ${rows.rows.map((row) => html`<article class="card mb-3"><div class="card-body">
      <h2 class="h6 mb-1">${row.kind} · ${row.channel} → ${row.recipient}</h2>
      <p class="small mb-2">${row.created_at.toISOString()}${row.subject ? ` · ${row.subject}` : ''}</p>
      <pre class="mb-0 text-wrap">${row.body_text}</pre></div></article>`)}`;
  return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(layout(ctx, { title: 'Outbox', body }));
}
