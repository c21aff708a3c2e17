// SPID/CIE test helpers: start a sign-in at the test IdP and read back the AuthnRequest,
// craft Responses with the test IdP's key, post them to the ACS.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadDevIdp, type DevIdp } from '../../src/dev/idp/idp.keys.ts';
import { defaultResponseFields, signedResponse, type ResponseFields } from '../../src/dev/idp/idp.response.ts';
import type { Config } from '../../src/config.ts';
import { parseXml } from '../../src/flows/federation/xml.ts';

export const form = { 'content-type': 'application/x-www-form-urlencoded' };

export interface StartedLogin {
  page: LightMyRequestResponse;
  action: string;
  samlRequest: string;
  relayState: string;
  xml: string;
  request: Element;
}

export function hiddenField(body: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(body);
  if (!match?.[1]) throw new Error(`no ${name} in page`);
  return match[1];
}

export async function startLogin(app: FastifyInstance, path: string): Promise<StartedLogin> {
  const page = await app.inject({ method: 'GET', url: path });
  if (page.statusCode !== 200) throw new Error(`login page ${page.statusCode}: ${page.body}`);
  const samlRequest = hiddenField(page.body, 'SAMLRequest');
  const xml = Buffer.from(samlRequest, 'base64').toString('utf8');
  const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return { page, action, samlRequest, relayState: hiddenField(page.body, 'RelayState'), xml, request: parseXml(xml).documentElement as Element };
}

export async function testIdp(config: Config): Promise<DevIdp> {
  return loadDevIdp(config);
}

export function validFields(config: Config, idp: DevIdp, login: StartedLogin, now: Date, overrides: { level?: number; codiceFiscale?: string; kind?: 'spid' | 'cie' } = {}): ResponseFields {
  const kind = overrides.kind ?? 'spid';
  return defaultResponseFields({
    idpEntityId: idp.provider.entityId, requestId: login.request.getAttribute('ID') ?? '',
    acsUrl: `${config.publicUrl}/auth/${kind}/acs`, spEntityId: kind === 'spid' ? config.federation.spidEntityId : config.federation.cieEntityId,
    level: overrides.level ?? 2, now,
    attributes: { fiscalNumber: `TINIT-${overrides.codiceFiscale ?? 'RSSMRA85T10A562S'}`, name: 'Mario', familyName: 'Rossi', dateOfBirth: '1985-12-10' },
  });
}

export function postResponse(app: FastifyInstance, xml: string, relayState: string, kind: 'spid' | 'cie' = 'spid') {
  const payload = new URLSearchParams({ SAMLResponse: Buffer.from(xml, 'utf8').toString('base64'), RelayState: relayState }).toString();
  return app.inject({ method: 'POST', url: `/auth/${kind}/acs`, headers: form, payload });
}

export { signedResponse };

/** The whole journey through the test IdP's own pages, as a browser would post them. */
export async function throughTestIdp(
  app: FastifyInstance, config: Config,
  options: { kind?: 'spid' | 'cie'; level?: number; answerLevel?: number; identity?: string; outcome?: string; cancel?: boolean; purpose?: 'recovery'; next?: string } = {},
) {
  const kind = options.kind ?? 'spid';
  const query = new URLSearchParams();
  if (kind === 'spid') query.set('idp', `${config.publicUrl}/dev/idp`);
  if (options.level) query.set('level', String(options.level));
  if (options.purpose) query.set('purpose', options.purpose);
  if (options.next) query.set('next', options.next);
  const login = await startLogin(app, `/auth/${kind}/login?${query.toString()}`);
  const sso = await app.inject({ method: 'POST', url: new URL(login.action).pathname, headers: form,
    payload: new URLSearchParams({ SAMLRequest: login.samlRequest, RelayState: login.relayState }).toString() });
  if (sso.statusCode !== 200) throw new Error(`test IdP refused the request: ${sso.statusCode}`);
  const answer = new URLSearchParams({ SAMLRequest: login.samlRequest, RelayState: login.relayState, identity: options.identity ?? 'mario',
    outcome: options.outcome ?? 'ok' });
  if (options.answerLevel) answer.set('level', String(options.answerLevel));
  if (options.cancel) answer.set('cancel', '1');
  const answered = await app.inject({ method: 'POST', url: '/dev/idp/answer', headers: form, payload: answer.toString() });
  const acsUrl = /<form method="post" action="([^"]+)"/.exec(answered.body)?.[1] ?? '';
  const acs = await app.inject({ method: 'POST', url: new URL(acsUrl).pathname, headers: form,
    payload: new URLSearchParams({ SAMLResponse: hiddenField(answered.body, 'SAMLResponse'), RelayState: hiddenField(answered.body, 'RelayState') }).toString() });
  const cookie = acs.cookies.find((c) => c.name === 'varco_session');
  return { login, sso, acs, cookie: cookie ? `varco_session=${cookie.value}` : null };
}
