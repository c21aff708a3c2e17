// Every audit event an account's activity list can show has a text in it, en and ro: a new
// event type without one would show its raw key (issue 15: `desk_identity_verified`).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { flowMessages } from '../../src/flows/manifest.ts';
import { catalogues, installFlowMessages } from '../../src/web/i18n/index.ts';

// Flows bring their own texts (activity lines included), as buildApp installs them.
installFlowMessages(flowMessages());

const notAboutAnAccount = new Set(['desk_request_rejected', 'administration_created', 'operator_created', 'oidc_client_registered', 'oidc_client_removed', 'workers_enrolled', 'administration_signed_in', 'administration_sign_in_failed']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

function auditTypes(): Set<string> {
  const types = new Set<string>();
  for (const file of sources('src')) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\{ type: '([a-z_]+)', actor/g)) types.add(match[1]!);
    for (const match of text.matchAll(/audit: '([a-z_]+)'/g)) types.add(match[1]!);
    if (text.includes('`${channel}_verified`')) for (const channel of ['email', 'mobile', 'pec']) types.add(`${channel}_verified`);
  }
  return types;
}

test('every audit event type of an account has an activity text in every language', () => {
  const types = [...auditTypes()].filter((type) => !notAboutAnAccount.has(type));
  assert.ok(types.includes('desk_identity_verified') && types.length > 20, `found ${types.join(', ')}`);
  for (const language of ['it', 'en', 'ro'] as const) {
    const missing = types.filter((type) => !(`activity.${type}` in catalogues[language]));
    assert.deepEqual(missing, [], `${language}: no activity text for ${missing.join(', ')}`);
  }
});
