// SPID.md item 32: the attributes are exactly those requested, each with a value;
// fiscalNumber comes as TINIT-<codice fiscale> and must be a valid codice fiscale.
import { parseCodiceFiscale } from '../../domain/codice-fiscale.ts';
import { ensure } from './rejection.ts';
import { requestedAttributes } from './sp-profile.ts';
import { child, children, ns, text } from './xml.ts';

export interface FederatedIdentity {
  codiceFiscale: string;
  firstName: string;
  lastName: string;
  birthDate: string; // YYYY-MM-DD
}

export function readAttributes(assertion: Element): FederatedIdentity {
  const statements = children(assertion, ns.saml, 'AttributeStatement');
  ensure(statements.length === 1, 'expected one AttributeStatement');
  const values = new Map<string, string>();
  for (const attribute of children(statements[0] as Element, ns.saml, 'Attribute')) {
    const name = attribute.getAttribute('Name') ?? '';
    ensure((requestedAttributes as readonly string[]).includes(name), `attribute ${name} was not requested`);
    ensure(!values.has(name), `attribute ${name} twice`);
    values.set(name, text(child(attribute, ns.saml, 'AttributeValue')));
  }
  for (const name of requestedAttributes) ensure(values.get(name), `attribute ${name} missing`);
  const fiscal = values.get('fiscalNumber') ?? '';
  ensure(fiscal.startsWith('TINIT-'), 'fiscalNumber without TINIT-');
  const parsed = parseCodiceFiscale(fiscal.slice('TINIT-'.length));
  ensure(parsed.ok, 'fiscalNumber is not a valid codice fiscale');
  const birthDate = values.get('dateOfBirth') ?? '';
  ensure(/^\d{4}-\d\d-\d\d$/.test(birthDate), 'dateOfBirth is not YYYY-MM-DD');
  return { codiceFiscale: parsed.value, firstName: values.get('name') ?? '', lastName: values.get('familyName') ?? '', birthDate };
}
