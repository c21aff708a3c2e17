import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { passwordExpiryTemplates } from './password-expiry.templates.ts';

/** No routes: the housekeeping job (main.ts) sends its warning. */
export const passwordExpiryFlow = {
  name: 'password-expiry',
  templates: passwordExpiryTemplates,
} satisfies FlowModule<FlowDeps>;
