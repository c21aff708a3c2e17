// The identity providers Varco trusts, per federation: the built-in names of the accredited
// providers, completed by metadata files or URLs (SPID_IDP_METADATA / CIE_IDP_METADATA,
// refreshed), and in development Varco's own test IdP, listed first. Only providers with a
// certificate and an SSO location can be used.
import { readFile } from 'node:fs/promises';
import type { FederationKind } from './sp-profile.ts';
import { parseIdpMetadata, type IdentityProvider } from './idp-metadata.ts';

export type { IdentityProvider } from './idp-metadata.ts';

/** Accredited SPID providers: names for the button; keys and endpoints come from metadata. */
export const accreditedSpidProviders: ReadonlyArray<{ entityId: string; name: string }> = [
  { entityId: 'https://loginspid.aruba.it', name: 'Aruba ID' },
  { entityId: 'https://id.eht.eu', name: 'EtnaID' },
  { entityId: 'https://loginspid.infocamere.it', name: 'InfoCamere ID' },
  { entityId: 'https://identity.infocert.it', name: 'InfoCert ID' },
  { entityId: 'https://spid.intesa.it', name: 'Intesa ID' },
  { entityId: 'https://idp.intesigroup.com', name: 'Intesi Group SPID' },
  { entityId: 'https://id.lepida.it/idp/shibboleth', name: 'Lepida ID' },
  { entityId: 'https://idp.namirialtsp.com/idp', name: 'Namirial ID' },
  { entityId: 'https://posteid.poste.it', name: 'PosteID' },
  { entityId: 'https://spid.register.it', name: 'SpidItalia Register.it' },
  { entityId: 'https://identity.sieltecloud.it', name: 'Sielte ID' },
  { entityId: 'https://spid.teamsystem.com/idp', name: 'TeamSystem ID' },
  { entityId: 'https://login.id.tim.it/affwebservices/public/saml2sso', name: 'TIM ID' },
];
export const cieProvider = { entityId: 'https://idserver.servizicie.interno.gov.it/idp/profile/SAML2/POST/SSO', name: 'CIE ID' };

export interface RegistrySources {
  spid: string[];
  cie: string[];
  anchorPem?: string;
  development?: IdentityProvider; // the test IdP, first in both lists
  log: (message: string) => void;
}

export class IdpRegistry {
  private loaded: Record<FederationKind, Map<string, IdentityProvider[]>> = { spid: new Map(), cie: new Map() };
  private timer: NodeJS.Timeout | null = null;

  private readonly sources: RegistrySources;
  constructor(sources: RegistrySources) {
    this.sources = sources;
  }

  private async load(source: string): Promise<IdentityProvider[]> {
    const xml = /^https?:\/\//.test(source)
      ? await (await fetch(source, { signal: AbortSignal.timeout(10_000) })).text()
      : await readFile(source, 'utf8');
    return parseIdpMetadata(xml, this.sources.anchorPem);
  }

  /** Reloads every source; a source that fails keeps what it gave last time. */
  async refresh(): Promise<void> {
    for (const kind of ['spid', 'cie'] as const) {
      for (const source of this.sources[kind]) {
        try {
          this.loaded[kind].set(source, await this.load(source));
        } catch (error) {
          this.sources.log(`IdP metadata ${source} not loaded: ${(error as Error).message}`);
        }
      }
    }
  }

  start(everySeconds: number): void {
    this.timer = setInterval(() => void this.refresh(), everySeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  list(kind: FederationKind): IdentityProvider[] {
    const names = new Map<string, string>(kind === 'spid' ? accreditedSpidProviders.map((p) => [p.entityId, p.name]) : [[cieProvider.entityId, cieProvider.name]]);
    const byId = new Map<string, IdentityProvider>();
    for (const providers of this.loaded[kind].values()) {
      for (const provider of providers) {
        byId.set(provider.entityId, { ...provider, name: names.get(provider.entityId) ?? provider.name });
      }
    }
    const development = this.sources.development;
    if (development) byId.delete(development.entityId);
    return [...(development ? [development] : []), ...byId.values()];
  }

  find(kind: FederationKind, entityId: string): IdentityProvider | null {
    return this.list(kind).find((p) => p.entityId === entityId) ?? null;
  }
}
