// A browser without JavaScript, for API-level page tests: keeps every cookie it is given
// (CSRF and session), posts forms with the last page's CSRF token, never follows redirects.
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from './app.ts';

export interface FormClient {
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, fields: Record<string, string>): Promise<LightMyRequestResponse>;
  cookie(name: string): string | undefined;
}

export function formClient(t: TestApp): FormClient {
  const jar = new Map<string, string>();
  let csrf = '';
  const header = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const remember = (response: LightMyRequestResponse) => {
    for (const set of response.cookies) {
      if (set.value === '' || (set.maxAge !== undefined && set.maxAge <= 0)) jar.delete(set.name);
      else jar.set(set.name, set.value);
    }
    csrf = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1] ?? csrf;
    return response;
  };
  return {
    get: async (url) => remember(await t.app.inject({ method: 'GET', url, headers: { cookie: header() } })),
    post: async (url, fields) => remember(await t.app.inject({ method: 'POST', url,
      payload: new URLSearchParams({ ...fields, _csrf: csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: header() } })),
    cookie: (name) => jar.get(name),
  };
}
