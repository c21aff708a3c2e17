// The page shell on Bootstrap Italia: header with service name and language choice,
// a single main column that fits a 360 px screen, and a footer. No inline script or style,
// so the Content-Security-Policy needs no 'unsafe-inline'.
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
}

const languageNames: Record<Language, string> = { it: 'Italiano', en: 'English', ro: 'Română' };

function withLang(path: string, lang: Language): string {
  const url = new URL(path, 'http://x');
  url.searchParams.set('lang', lang);
  return url.pathname + url.search;
}

function languageLinks(ctx: PageContext): Html {
  return html`<nav aria-label="${ctx.t('common.language')}" class="varco-languages">
    <ul class="list-inline mb-0">
      ${languages.map(
        (lang) => html`<li class="list-inline-item">
          ${lang === ctx.lang
            ? html`<span aria-current="true" class="fw-semibold" lang="${lang}">${languageNames[lang]}</span>`
            : html`<a class="text-white" href="${withLang(ctx.path, lang)}" lang="${lang}" hreflang="${lang}">${languageNames[lang]}</a>`}
        </li>`,
      )}
    </ul>
  </nav>`;
}

export function csrfField(ctx: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;
}

export function layout(ctx: PageContext, page: { title: string; body: Html }): string {
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
  <a class="visually-hidden-focusable" href="#main">${ctx.t('common.skip')}</a>
  <header class="it-header-wrapper">
    <div class="it-header-center-wrapper">
      <div class="container">
        <div class="it-header-center-content-wrapper d-flex flex-wrap align-items-center justify-content-between gap-2 py-2">
          <div class="it-brand-wrapper">
            <a href="/" class="varco-brand text-white text-decoration-none">
              <div class="varco-brand-title">${ctx.t('service.name')}</div>
              <div class="varco-brand-tagline">${ctx.t('service.tagline')}</div>
            </a>
          </div>
          <div class="d-flex align-items-center gap-3">
            ${languageLinks(ctx)}
            ${ctx.signedIn
              ? html`<form method="post" action="/signout" class="m-0">${csrfField(ctx)}
                  <button type="submit" class="btn btn-sm btn-outline-light">${ctx.t('common.signOut')}</button></form>`
              : ''}
          </div>
        </div>
      </div>
    </div>
  </header>
  <main id="main" class="container my-4 varco-main">
    <h1 class="h2 mb-4">${page.title}</h1>
    ${page.body}
  </main>
  <footer class="it-footer"><div class="it-footer-small-prints py-3"><div class="container">
    <p class="mb-0 text-white">${ctx.t('common.help')}</p>
  </div></div></footer>
</body>
</html>`.value;
}
