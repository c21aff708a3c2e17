import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cryptoRandom } from '../../domain/clock.ts';
import { newInitialPin, splitPin } from '../../domain/pin.ts';
import { newNumericCode } from '../../domain/secrets.ts';
import { languages, type Language } from '../../domain/language.ts';
import type { Channel, MessageKind, MessageParams, OutgoingMessage } from '../message.ts';
import { emailFooter } from './email.texts.ts';
import { messageTemplates } from '../../flows/manifest.ts';
import { renderMessage } from './index.ts';

const templates = messageTemplates();

// GSM 03.38 basic character set (without the escape table).
const gsm7 = new Set([...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà']);

// Typed as MessageParams, so a kind added to message.ts without a sample fails to compile.
const sample: MessageParams = {
  credential_changed: { what: 'password', at: '2026-11-24T10:00:00Z', ip: '203.0.113.7' },
  temporary_password: { temporaryPassword: 'Xk7pQ2mZr9Hd', validUntil: '2026-11-27T10:00:00Z', signInUrl: 'https://varco.example/signin' },
  account_locked: { at: '2026-11-24T10:00:00Z', until: '2026-11-24T10:15:00Z', ip: '203.0.113.7', recoveryUrl: 'https://varco.example/recovery/password' },
  password_expiry_warning: { expiresAt: '2026-12-08T10:00:00Z', changeUrl: 'https://varco.example/area/password' },
  password_reset_link: { link: 'https://varco.example/recovery/password/abc', validMinutes: '30' },
  password_reset_code: { code: '012345', validMinutes: '10' },
  contact_verification_code: { code: '654321', validMinutes: '10' },
  pin_first_half: { half: 'AbCdEfGh' },
  pin_second_half: { half: 'JkMnPqRs', signInUrl: 'https://varco.example/signin?method=pin' },
  pin_recovery_code: { link: 'https://varco.example/recovery/pin/confirm', code: '12345678', validHours: '24' },
  pin_recovery_not_possible: { requestUrl: 'https://varco.example/assistance' },
  enrolment_notice: { administration: 'NoiPA', firstAccessUrl: 'https://varco.example/signin' },
  assistance_confirm: { link: 'https://varco.example/assistance/confirm/abc', validHours: '48' },
  contact_changed: { contact: 'email', at: '2026-11-24T10:00:00Z', wasntMeUrl: 'https://varco.example/wasnt-me/abc' },
  new_device_sign_in: { at: '2026-11-24T10:00:00Z', ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
    wasntMeUrl: 'https://varco.example/wasnt-me/abc' },
  assistance_rejected: { reason: 'Il documento è illeggibile.', statusUrl: 'https://varco.example/assistance/status/abc' },
  appointment_confirmed: { office: 'Sede di Roma', address: 'Via Roma 1', when: '2026-12-01T09:00:00Z', manageUrl: 'https://varco.example/appointments/abc' },
};

const smsKinds = ['password_reset_code', 'pin_first_half', 'contact_verification_code'] as const;
const smsOnly: MessageKind[] = ['password_reset_code', 'pin_first_half'];
const emailKinds = (Object.keys(sample) as MessageKind[]).filter((kind) => !smsOnly.includes(kind));

function render<K extends MessageKind>(kind: K, channel: Channel, language: Language, params: MessageParams[K] = sample[kind]) {
  return renderMessage(templates, { channel, to: 'x', kind, language, params } as OutgoingMessage);
}

test('every SMS fits one GSM-7 segment in every language, with codes and PIN halves as generated', () => {
  for (let round = 0; round < 50; round++) {
    const code = newNumericCode(cryptoRandom, 6);
    const params = { code, validMinutes: '10', half: splitPin(newInitialPin(cryptoRandom)).firstHalf };
    for (const language of languages) {
      for (const kind of smsKinds) {
        const { text, subject, html } = render(kind, 'sms', language, params);
        assert.ok(text.length <= 160, `${language} ${kind}: ${text.length} characters`);
        assert.deepEqual([...text].filter((char) => !gsm7.has(char)), [], `${language} ${kind} has non GSM-7 characters`);
        assert.match(text, /^Varco/);
        assert.equal(subject ?? html, undefined, 'an SMS has neither subject nor HTML');
        if (kind === 'pin_first_half') assert.ok(text.includes(`:\n${params.half}\n`), `${language}: the half stands on its own line`);
        else assert.match(text, new RegExp(`(^|\\D)${code}(\\D|$)`));
      }
    }
  }
});

test('every email kind renders in every language: Varco subject, anti-phishing closing, safe HTML', () => {
  for (const language of languages) {
    for (const kind of emailKinds) {
      for (const channel of ['email', 'pec'] as const) {
        const { subject = '', text, html = '' } = render(kind, channel, language);
        assert.match(subject, /^Varco: \S/);
        assert.ok(text.includes(emailFooter[language][0]!), `${language} ${kind}: anti-phishing line`);
        assert.match(emailFooter[language][0]!, /PIN/);
        assert.ok(text.endsWith('\n') && text.split('\n').length > 3);
        assert.ok(html.startsWith(`<!doctype html><html lang="${language}">`));
        assert.doesNotMatch(html, /<img|<script|<link|src=|url\(/i);
        for (const url of text.match(/https?:\/\/\S+/g) ?? []) assert.ok(html.includes(`<a href="${url}">`), `${kind}: ${url} linked`);
      }
    }
  }
});

test('secrets stand on their own line after a colon; codes are digit runs; links absolute, in every language', () => {
  for (const language of languages) {
    assert.match(render('temporary_password', 'email', language).text, /:\nXk7pQ2mZr9Hd\n/);
    assert.match(render('pin_second_half', 'email', language).text, /:\nJkMnPqRs\n/);
    assert.match(render('pin_recovery_code', 'email', language).text, /(^|\D)12345678(\D|$)/);
    assert.match(render('contact_verification_code', 'email', language).text, /(^|\D)654321(\D|$)/);
    assert.match(render('password_reset_link', 'email', language).text, /:\nhttps:\/\/varco\.example\/recovery\/password\/abc\n/);
    assert.match(render('assistance_confirm', 'email', language).text, /:\nhttps:\/\/varco\.example\/assistance\/confirm\/abc\n/);
    assert.match(render('assistance_rejected', 'email', language).text, /:\nIl documento è illeggibile\.\n/);
  }
});

test('a contact change names the contact in words, and only an email change says this address is dropped', () => {
  const email = render('contact_changed', 'email', 'it', { contact: 'email', at: '2026-11-24T10:00:00Z' }).text;
  const mobile = render('contact_changed', 'email', 'it', { contact: 'mobile', at: '2026-11-24T10:00:00Z' }).text;
  assert.match(email, /indirizzo email .*\nQuesto indirizzo non riceverà/);
  assert.match(mobile, /numero di cellulare/);
  assert.doesNotMatch(mobile, /Questo indirizzo/);
});

test('a kind is refused on a channel it has no template for', () => {
  assert.throws(() => render('temporary_password', 'sms', 'it'), /no SMS template/);
  assert.throws(() => render('pin_first_half', 'email', 'it'), /SMS only/);
});

test('values are escaped in HTML', () => {
  const { html = '' } = render('enrolment_notice', 'email', 'it',
    { administration: '<b>NoiPA</b> "x"', firstAccessUrl: 'https://varco.example/signin?a=1&b=2' });
  assert.ok(html.includes('&lt;b&gt;NoiPA&lt;/b&gt; &quot;x&quot;'));
  assert.ok(html.includes('<a href="https://varco.example/signin?a=1&amp;b=2">'));
  assert.doesNotMatch(html, /<b>/);
});
