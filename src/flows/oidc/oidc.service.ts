// One provider per app, built lazily (the first OIDC request), from the keys in the
// database. Rotation rebuilds it here at once; other instances notice the new key set
// within keyCheckSeconds. Every artefact lives in the Db, so a rebuild loses nothing.
import type Provider from 'oidc-provider';
import type { FlowDeps } from '../deps.ts';
import { ensureSigningKeys, keySetVersion, loadSigningKeys, publishedKids, rotateSigningKeys } from './oidc.keys.ts';
import { buildProvider, keyPublishSeconds } from './oidc.provider.ts';

const keyCheckSeconds = 60;

export interface OidcService {
  provider(): Promise<Provider>;
  /** New signing keys; the old ones stay published until their ID tokens have expired. */
  rotateKeys(): Promise<void>;
}

const services = new WeakMap<FlowDeps, OidcService>();

export function oidcServiceFor(deps: FlowDeps): OidcService {
  let service = services.get(deps);
  if (!service) {
    service = createService(deps);
    services.set(deps, service);
  }
  return service;
}

function createService(deps: FlowDeps): OidcService {
  let current: { provider: Provider; version: string; checkedAt: number } | null = null;
  let building: Promise<Provider> | null = null;

  async function build(): Promise<Provider> {
    await ensureSigningKeys(deps);
    const keys = await loadSigningKeys(deps);
    current = { provider: buildProvider(deps, keys), version: keySetVersion(keys), checkedAt: Date.now() };
    return current.provider;
  }

  async function provider(): Promise<Provider> {
    if (current && Date.now() - current.checkedAt < keyCheckSeconds * 1000) return current.provider;
    if (current) {
      const version = await publishedKids(deps.db, deps.clock);
      if (version === current.version) {
        current.checkedAt = Date.now();
        return current.provider;
      }
    }
    building ??= build().finally(() => { building = null; });
    return building;
  }

  return {
    provider,
    async rotateKeys() {
      await rotateSigningKeys(deps, keyPublishSeconds);
      current = null;
      await provider();
    },
  };
}
