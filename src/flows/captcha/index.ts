import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { captchaMessages } from './captcha.messages.ts';
import { captchaRoutes } from './captcha.routes.ts';

export const captchaFlow = {
  name: 'captcha',
  routes: { api: captchaRoutes },
  messages: captchaMessages,
} satisfies FlowModule<FlowDeps>;
