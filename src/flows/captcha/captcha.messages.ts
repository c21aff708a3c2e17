import { defineMessages } from '../../web/i18n/define.ts';

export const captchaMessages = defineMessages(
  { 'captcha.legend': 'Verifica che tu non sia un programma automatico' },
  { 'captcha.legend': 'Check that you are not an automated program' },
  { 'captcha.legend': 'Verificați că nu sunteți un program automat' },
);
