// The administration's pages: sign-in, upload and recent jobs, a job's status (refreshing
// itself without JavaScript while it runs), and its staff list. Bootstrap Italia components.
import { html, type Html } from '../../../web/html.ts';
import { alert, errorSummary, field, type FormErrors } from '../../../web/forms.ts';
import type { PageContext } from '../../../web/layout.ts';
import { csrfField } from '../../../web/layout.ts';
import type { EnrolledWorkerRow } from '../../enrolment/enrolment.repo.ts';
import { firstAccessState } from '../../enrolment/first-access-state.ts';
import type { JobRow } from '../enrolment-jobs.repo.ts';
import { jobPercent, type JobView } from '../enrolment-jobs.ts';
import { dateFormats } from '../../../domain/date-format.ts';

const whenFormat = dateFormats({ dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Rome' });

/** Seconds between refreshes of a running job's page. */
export const refreshSeconds = 2;

export function signInBody(ctx: PageContext, view: { errors?: FormErrors } = {}): Html {
  return html`<p>${ctx.t('adm.signin.intro')}</p>
    ${errorSummary(ctx, view.errors)}
    <form method="post" action="/administration/signin" novalidate>${csrfField(ctx)}
      ${field({ name: 'token', label: ctx.t('adm.signin.token'), type: 'password', autocomplete: 'off', maxLength: 200, error: view.errors?.token })}
      <button type="submit" class="btn btn-primary w-100">${ctx.t('adm.signin.submit')}</button>
    </form>`;
}

function nav(ctx: PageContext, administrationName: string): Html {
  return html`<div class="d-flex flex-wrap align-items-center justify-content-between gap-2 mb-4">
      <p class="mb-0"><strong>${ctx.t('adm.home.signedInAs', { name: administrationName })}</strong></p>
      <form method="post" action="/administration/signout">${csrfField(ctx)}
        <button type="submit" class="btn btn-outline-primary btn-sm">${ctx.t('adm.signout')}</button></form>
    </div>
    <nav class="mb-4" aria-label="${ctx.t('adm.home.title')}"><ul class="list-inline">
      <li class="list-inline-item"><a href="/administration">${ctx.t('adm.nav.upload')}</a></li>
      <li class="list-inline-item"><a href="/administration/workers">${ctx.t('adm.nav.workers')}</a></li>
    </ul></nav>`;
}

/** A table's scrolling box on narrow screens: focusable and named, so the keyboard can scroll it. */
function scrollable(name: string): Html {
  return html`<div class="table-responsive" tabindex="0" role="region" aria-label="${name}">`;
}

function when(ctx: PageContext, at: Date): string {
  return whenFormat(ctx.lang).format(at);
}

export function homeBody(ctx: PageContext, view: { administration: string; jobs: { job: JobRow; state: JobView }[]; errors?: FormErrors }): Html {
  const fileError = view.errors?.file;
  return html`${nav(ctx, view.administration)}
    <h2 class="h4">${ctx.t('adm.upload.title')}</h2>
    <p>${ctx.t('adm.upload.intro')}</p>
    ${errorSummary(ctx, view.errors)}
    <form method="post" action="/administration/uploads?_csrf=${encodeURIComponent(ctx.csrfToken)}" enctype="multipart/form-data" novalidate class="mb-5">
      <div class="form-group mb-4"><label for="field-file" class="active">${ctx.t('adm.upload.file')}</label>
        <input id="field-file" name="file" type="file" accept=".csv,text/csv" required class="form-control${fileError ? ' is-invalid' : ''}"
          ${fileError ? html`aria-invalid="true" aria-describedby="field-file-error"` : ''}>
        ${fileError ? html`<div id="field-file-error" class="invalid-feedback d-block" role="alert">${fileError}</div>` : ''}</div>
      <button type="submit" class="btn btn-primary w-100">${ctx.t('adm.upload.submit')}</button>
    </form>
    <h2 class="h4">${ctx.t('adm.jobs.title')}</h2>
    ${view.jobs.length === 0 ? html`<p>${ctx.t('adm.jobs.none')}</p>` : html`${scrollable(ctx.t('adm.jobs.title'))}<table class="table">
      <thead><tr><th scope="col">${ctx.t('adm.jobs.file')}</th><th scope="col">${ctx.t('adm.jobs.when')}</th><th scope="col">${ctx.t('adm.jobs.state')}</th></tr></thead>
      <tbody>${view.jobs.map(({ job, state }) => html`<tr>
        <td><a href="/administration/jobs/${job.id}">${job.file_name}</a></td><td>${when(ctx, job.created_at)}</td><td>${ctx.t(`adm.job.short.${state}`)}</td>
      </tr>`)}</tbody></table></div>`}`;
}

function counts(ctx: PageContext, job: JobRow): Html {
  const item = (label: string, value: number) => html`<div class="col-6 col-md-3 mb-3"><dt>${label}</dt><dd class="h4">${value.toLocaleString(ctx.lang)}</dd></div>`;
  return html`<dl class="row">${item(ctx.t('adm.job.created'), job.created)}${item(ctx.t('adm.job.updated'), job.updated)}${
    item(ctx.t('adm.job.unchanged'), job.unchanged)}${item(ctx.t('adm.job.rejected'), job.rejected_count)}</dl>`;
}

function failureText(ctx: PageContext, failure: string | null): string {
  const [code, column] = (failure ?? 'internal').split(':');
  if (code === 'missing_column') return ctx.t('adm.job.failure.missing_column', { column: column ?? '' });
  return ctx.t(code === 'no_header' ? 'adm.job.failure.no_header' : 'adm.job.failure.internal');
}

/** Whether the page refreshes itself: while the job runs, unless the visitor stopped it. */
export function refreshesItself(state: JobView, refresh: 'on' | 'off'): boolean {
  return (state === 'queued' || state === 'running') && refresh === 'on';
}

export function jobBody(ctx: PageContext, view: { administration: string; job: JobRow; state: JobView; refresh: 'on' | 'off' }): Html {
  const { job, state } = view;
  const ongoing = state === 'queued' || state === 'running';
  const percent = jobPercent(job);
  // While it runs the page reloads itself (the route's Refresh header: no JavaScript needed),
  // and the visitor can stop that and reload by hand (WCAG 2.2.1 and 2.2.2).
  const refreshing = ongoing ? (refreshesItself(state, view.refresh)
    ? html`<p>${ctx.t('adm.job.refreshing')} <a href="/administration/jobs/${job.id}?refresh=off">${ctx.t('adm.job.stopRefresh')}</a></p>`
    : html`<p><a class="btn btn-outline-primary" href="/administration/jobs/${job.id}">${ctx.t('adm.job.refreshNow')}</a></p>`) : '';
  return html`<link rel="stylesheet" href="/administration/progress.css">
    ${nav(ctx, view.administration)}
    <p>${ctx.t('adm.job.file', { file: job.file_name })}</p>
    ${alert(state === 'done' ? 'success' : state === 'failed' || state === 'interrupted' ? 'danger' : 'info', ctx.t(`adm.job.state.${state}`))}
    ${state === 'failed' ? html`<p>${failureText(ctx, job.failure)}</p>` : ''}
    <div class="progress-bar-wrapper mb-4">
      <div class="progress-bar-label"><span class="visually-hidden">${ctx.t('adm.job.progress')}</span>${ctx.t('adm.job.percent', { percent })}</div>
      <div class="progress"><div class="progress-bar varco-progress-${percent}" role="progressbar" aria-valuenow="${percent}" aria-valuemin="0" aria-valuemax="100"
        aria-label="${ctx.t('adm.job.progress')}"></div></div>
    </div>
    ${refreshing}
    <p>${ctx.t('adm.job.rowsRead')}: <strong>${job.rows_read.toLocaleString(ctx.lang)}</strong></p>
    ${counts(ctx, job)}
    ${state === 'done' ? (job.rejected_count > 0
      ? html`<p><a class="btn btn-primary" href="/administration/jobs/${job.id}/rejections.csv" download>${ctx.t('adm.job.download')}</a></p>`
      : html`<p>${ctx.t('adm.job.noRejections')}</p>`) : ''}
    <p class="mt-4"><a href="/administration">${ctx.t('adm.job.back')}</a></p>`;
}

export function workersBody(ctx: PageContext, view: { administration: string; workers: EnrolledWorkerRow[]; next: string | null; paged: boolean }): Html {
  return html`${nav(ctx, view.administration)}
    <p>${ctx.t('adm.workers.intro')}</p>
    ${view.workers.length === 0 ? html`<p>${ctx.t('adm.workers.none')}</p>` : html`${scrollable(ctx.t('adm.workers.title'))}<table class="table">
      <thead><tr><th scope="col">${ctx.t('adm.workers.cf')}</th><th scope="col">${ctx.t('adm.workers.name')}</th><th scope="col">${ctx.t('adm.workers.email')}</th>
        <th scope="col">${ctx.t('adm.workers.mobile')}</th><th scope="col">${ctx.t('adm.workers.state')}</th></tr></thead>
      <tbody>${view.workers.map((w) => html`<tr><td>${w.codice_fiscale}</td><td>${w.first_name} ${w.last_name}</td><td>${w.email}</td><td>${w.mobile}</td>
        <td>${ctx.t(`adm.state.${firstAccessState(w)}`)}</td></tr>`)}</tbody></table></div>`}
    <p>${view.next ? html`<a href="/administration/workers?after=${encodeURIComponent(view.next)}">${ctx.t('adm.workers.next')}</a>` : ''}
      ${view.paged ? html` <a href="/administration/workers">${ctx.t('adm.workers.first')}</a>` : ''}</p>`;
}

/** The widths of the progress bar, as a stylesheet: the CSP allows no inline style. */
export function progressStylesheet(): string {
  return Array.from({ length: 101 }, (_, n) => `.varco-progress-${n}{width:${n}%}`).join('\n') + '\n';
}
