import assert from 'node:assert/strict';
import { test } from 'node:test';
import { languages } from '../../web/i18n/languages.ts';
import type { MessageKind, MessageParams, OutgoingMessage } from '../message.ts';
import { renderMessage } from './index.ts';

// GSM 03.38 basic character set (without the escape table).
const gsm7 = new Set([...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà']);

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
  contact_changed: { contact: 'email', at: '2026-11-24T10:00:00Z' },
  assistance_rejected: { reason: 'Il documento è illeggibile.', statusUrl: 'https://varco.example/assistance/status/abc' },
  appointment_confirmed: { office: 'Sede di Roma', address: 'Via Roma 1', when: '2026-12-01T09:00:00Z', manageUrl: 'https://varco.example/appointments/abc' },
};

const smsKinds: MessageKind[] = ['password_reset_code', 'pin_first_half', 'contact_verification_code'];

function render(kind: MessageKind, channel: 'email' | 'sms', language: (typeof languages)[number]) {
  return renderMessage({ channel, to: 'x', kind, language, params: sample[kind] } as OutgoingMessage);
}

test('every SMS fits one GSM-7 segment in every language', () => {
  for (const language of languages) {
    for (const kind of smsKinds) {
      const { text } = render(kind, 'sms', language);
      assert.ok(text.length <= 160, `${language} ${kind}: ${text.length} characters`);
      const outside = [...text].filter((char) => !gsm7.has(char));
      assert.deepEqual(outside, [], `${language} ${kind} has non GSM-7 characters`);
    }
  }
});

test('every email kind renders in every language with subject, anti-phishing line and safe HTML', () => {
  const emailKinds = (Object.keys(sample) as MessageKind[]).filter((k) => k !== 'password_reset_code' && k !== 'pin_first_half');
  for (const language of languages) {
    for (const kind of emailKinds) {
      const rendered = render(kind, 'email', language);
      assert.match(rendered.subject ?? '', /^Varco: /);
      assert.match(rendered.text, /Varco/);
      assert.ok(rendered.text.split('\n').length > 3);
      assert.doesNotMatch(rendered.html ?? '', /<img|<script|src=/i);
    }
  }
});

test('secrets stand on their own line after a colon; codes are digit runs; links absolute', () => {
  assert.match(render('temporary_password', 'email', 'it').text, /:\nXk7pQ2mZr9Hd\n/);
  assert.match(render('pin_first_half', 'sms', 'ro').text, /:\nAbCdEfGh\n/);
  assert.match(render('pin_second_half', 'email', 'en').text, /:\nJkMnPqRs\n/);
  assert.match(render('password_reset_code', 'sms', 'it').text, /\b012345\b/);
  assert.match(render('pin_recovery_code', 'email', 'it').text, /\b12345678\b/);
  assert.match(render('password_reset_link', 'email', 'it').text, /^https:\/\/varco\.example\/recovery\/password\/abc$/m);
});

test('values are escaped in HTML', () => {
  const html = renderMessage({ channel: 'email', to: 'x', kind: 'enrolment_notice', language: 'it',
    params: { administration: '<b>NoiPA</b>', firstAccessUrl: 'https://varco.example/signin' } }).html ?? '';
  assert.ok(html.includes('&lt;b&gt;NoiPA&lt;/b&gt;'));
});
