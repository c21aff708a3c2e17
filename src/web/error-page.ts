import type { FastifyReply, FastifyRequest } from 'fastify';
import { html } from './html.ts';
import { layout } from './layout.ts';
import { pageContext } from './page.ts';
import type { Problem } from './problem.ts';

/** The friendly page behind every HTML error: what happened, and a way back. */
export function errorPage(request: FastifyRequest, reply: FastifyReply, problem: Problem): string {
  const ctx = pageContext(request, reply);
  const explanation = problem.status === 404 ? ctx.t('errorPage.notFound') : problem.title;
  return layout(ctx, {
    title: problem.status === 404 ? problem.title : ctx.t('errorPage.title'),
    body: html`<p>${explanation}</p><p><a class="btn btn-primary" href="/">${ctx.t('common.home')}</a></p>`,
  });
}
