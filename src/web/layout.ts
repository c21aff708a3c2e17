// The page shell on Bootstrap Italia, after Designers Italia's models: the slim header with
// the owning administration, the centre header with the service name and logo, the language
// switch and sign-out; a single main column that fits a 360 px screen; the footer with the
// administration, the legal pages and the assistance desk. No inline script or style, so the
// Content-Security-Policy needs no 'unsafe-inline'; nothing needs JavaScript.
import type { PortalConfig } from '../config.ts';
import { html, type Html } from './html.ts';
import { languages, type Language, type Translate } from './i18n/index.ts';

export interface PageContext {
  lang: Language;
  t: Translate;
  /** Path and query of the current page, used for the language links. */
  path: string;
  signedIn: boolean;
  /** CSRF token for the forms of this page. */
  csrfToken: string;
  /** The owning administration (configuration); the defaults below when absent. */
  portal?: PortalConfig;
  /** Where "Esci" posts: the citizen's sign-out unless the page says otherwise (the desk). */
  signOutAction?: string;
}

const defaultPortal: PortalConfig = {
  administrationName: 'Amministrazione titolare del servizio',
  administrationUrl: '/',
  administrationLogoUrl: '/static/emblem.svg',
};

const languageNames: Record<Language, string> = { it: 'Italiano', en: 'English', ro: 'Română' };

function withLang(path: string, lang: Language): string {
  const url = new URL(path, 'http://x');
  url.searchParams.set('lang', lang);
  // A token in the query (a stale form action) never travels on into a language link.
  url.searchParams.delete('_csrf');
  return url.pathname + url.search;
}

function languageLinks(ctx: PageContext): Html {
  return html`<nav aria-label="${ctx.t('common.language')}" class="varco-languages">
    <ul class="list-inline mb-0">
      ${languages.map(
        (lang) => html`<li class="list-inline-item">
          ${lang === ctx.lang
            ? html`<span aria-current="true" class="varco-language-current" lang="${lang}">${languageNames[lang]}</span>`
            : html`<a href="${withLang(ctx.path, lang)}" lang="${lang}" hreflang="${lang}">${languageNames[lang]}</a>`}
        </li>`,
      )}
    </ul>
  </nav>`;
}

export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
}

function slimHeader(ctx: PageContext, portal: PortalConfig): Html {
  return html`<div class="it-header-slim-wrapper varco-header-slim">
    <div class="container">
      <div class="it-header-slim-wrapper-content varco-header-slim-content">
        <a class="navbar-brand varco-administration" href="${portal.administrationUrl}">${portal.administrationName}</a>
        <div class="it-header-slim-right-zone varco-header-slim-right">
          ${languageLinks(ctx)}
          ${ctx.signedIn
            ? html`<form method="post" action="${ctx.signOutAction ?? '/signout'}" class="m-0">${csrfField(ctx)}
                <button type="submit" class="btn btn-sm varco-signout">${ctx.t('common.signOut')}</button></form>`
            : ''}
        </div>
      </div>
    </div>
  </div>`;
}

function centreHeader(ctx: PageContext, portal: PortalConfig): Html {
  return html`<div class="it-nav-wrapper"><div class="it-header-center-wrapper varco-header-center">
    <div class="container">
      <div class="it-header-center-content-wrapper">
        <div class="it-brand-wrapper">
          <a href="/" class="varco-brand">
            <img class="icon varco-logo" src="${portal.administrationLogoUrl}" alt="" width="48" height="48">
            <div class="it-brand-text">
              <div class="it-brand-title">${ctx.t('service.name')}</div>
              <div class="it-brand-tagline">${ctx.t('service.tagline')}</div>
            </div>
          </a>
        </div>
      </div>
    </div>
  </div></div>`;
}

function footer(ctx: PageContext, portal: PortalConfig): Html {
  return html`<footer class="it-footer">
    <div class="it-footer-main">
      <div class="container py-4">
        <div class="it-brand-wrapper">
          <a href="${portal.administrationUrl}" class="varco-brand">
            <img class="icon varco-logo" src="${portal.administrationLogoUrl}" alt="" width="48" height="48">
            <div class="it-brand-text">
              <div class="it-brand-title">${portal.administrationName}</div>
              <div class="it-brand-tagline">${ctx.t('service.name')} · ${ctx.t('service.tagline')}</div>
            </div>
          </a>
        </div>
        <p class="mt-3 mb-0">${ctx.t('common.help')} <a href="/assistance">${ctx.t('footer.assistance')}</a></p>
      </div>
    </div>
    <div class="it-footer-small-prints clearfix">
      <div class="container">
        <nav aria-label="${ctx.t('footer.legal')}">
          <ul class="it-footer-small-prints-list list-inline mb-0 d-flex flex-column flex-md-row">
            <li class="list-inline-item"><a href="/note-legali">${ctx.t('footer.legalNotes')}</a></li>
            <li class="list-inline-item"><a href="/privacy">${ctx.t('footer.privacy')}</a></li>
            <li class="list-inline-item"><a href="/dichiarazione-accessibilita">${ctx.t('footer.accessibility')}</a></li>
            <li class="list-inline-item"><a href="/assistance">${ctx.t('footer.assistance')}</a></li>
          </ul>
        </nav>
      </div>
    </div>
  </footer>`;
}

export function layout(ctx: PageContext, page: { title: string; body: Html }): string {
  const portal = ctx.portal ?? defaultPortal;
  return html`<!doctype html>
<html lang="${ctx.lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${page.title} · ${ctx.t('service.name')}</title>
  <link rel="stylesheet" href="/static/bootstrap-italia/css/bootstrap-italia.min.css">
  <link rel="stylesheet" href="/static/varco.css">
</head>
<body>
  <div class="skiplinks"><a class="visually-hidden-focusable" href="#main">${ctx.t('common.skip')}</a></div>
  <header class="it-header-wrapper varco-header">
    ${slimHeader(ctx, portal)}
    ${centreHeader(ctx, portal)}
  </header>
  <main id="main" class="container my-4 varco-main">
    <h1 class="h2 mb-4">${page.title}</h1>
    ${page.body}
  </main>
  ${footer(ctx, portal)}
</body>
</html>`.value;
}
