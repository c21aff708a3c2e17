// What Varco is towards SPID and towards CIE: entityID, endpoints, requested attributes.
import type { Config } from '../../config.ts';

export type FederationKind = 'spid' | 'cie';

export const spidLevels = [1, 2, 3] as const;
export type SpidLevel = (typeof spidLevels)[number];
export const levelUri = (level: SpidLevel): string => `https://www.spid.gov.it/SpidL${level}`;

export function levelOf(uri: string): SpidLevel | null {
  const match = /^https:\/\/www\.spid\.gov\.it\/SpidL([123])$/.exec(uri);
  return match ? (Number(match[1]) as SpidLevel) : null;
}

/** The attributes of AttributeConsumingService index 0 (CIE releases no more than these). */
export const requestedAttributes = ['fiscalNumber', 'name', 'familyName', 'dateOfBirth'] as const;
export const attributeServiceIndex = 0;
export const acsIndex = 0;

export interface SpProfile {
  kind: FederationKind;
  entityId: string;
  acsUrl: string;
  sloUrl: string;
  metadataUrl: string;
}

export function spProfile(config: Pick<Config, 'publicUrl' | 'federation'>, kind: FederationKind): SpProfile {
  const base = `${config.publicUrl}/auth/${kind}`;
  return {
    kind,
    entityId: kind === 'spid' ? config.federation.spidEntityId : config.federation.cieEntityId,
    acsUrl: `${base}/acs`,
    sloUrl: `${base}/slo`,
    metadataUrl: `${base}/metadata`,
  };
}
