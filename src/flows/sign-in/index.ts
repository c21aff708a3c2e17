// Sign-in as a flow: the JSON session API, the sign-in page and /signin/continue.
import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { signInApiRoutes, signInPageRoutes } from './sign-in.routes.ts';

export const signInFlow = {
  name: 'sign-in',
  routes: { api: signInApiRoutes, pages: signInPageRoutes },
} satisfies FlowModule<FlowDeps>;
