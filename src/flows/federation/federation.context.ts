// Everything the SPID/CIE routes need, built once at start: the SP key pair, the two SP
// profiles, their signed metadata and the IdP registry.
import { readFileSync } from 'node:fs';
import type { Config } from '../../config.ts';
import { IdpRegistry, type IdentityProvider } from './idp-registry.ts';
import { loadSpKeyPair, type KeyPair } from './keys.ts';
import { buildSpMetadata } from './sp-metadata.ts';
import { spProfile, type FederationKind, type SpProfile } from './sp-profile.ts';

export interface Federation {
  key: KeyPair;
  profiles: Record<FederationKind, SpProfile>;
  metadata: Record<FederationKind, string>;
  registry: IdpRegistry;
}

export async function createFederation(
  config: Config,
  options: { developmentIdp?: IdentityProvider; log: (message: string) => void },
): Promise<Federation | null> {
  const settings = config.federation;
  const key = await loadSpKeyPair({
    env: config.env, dataDir: config.dataDir, spKeyFile: settings.spKeyFile, spCertFile: settings.spCertFile,
    subject: { commonName: settings.organizationName, organization: settings.organizationName, ipaCode: settings.ipaCode, entityId: settings.spidEntityId },
  });
  if (!key) {
    options.log('SPID/CIE disabled: SAML_SP_KEY_FILE and SAML_SP_CERT_FILE are not set');
    return null;
  }
  const profiles = { spid: spProfile(config, 'spid'), cie: spProfile(config, 'cie') };
  const registry = new IdpRegistry({
    spid: settings.spidIdpMetadata, cie: settings.cieIdpMetadata, log: options.log,
    ...(settings.metadataSigningCertFile ? { anchorPem: readFileSync(settings.metadataSigningCertFile, 'utf8') } : {}),
    ...(options.developmentIdp ? { development: options.developmentIdp } : {}),
  });
  await registry.refresh();
  registry.start(settings.metadataRefreshSeconds);
  return {
    key, profiles, registry,
    metadata: { spid: buildSpMetadata(profiles.spid, settings, key), cie: buildSpMetadata(profiles.cie, settings, key) },
  };
}
