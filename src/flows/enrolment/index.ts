// Administrations enrol their workers (JSON or streamed CSV), with their own token.
import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { enrolmentApiRoutes } from './enrolment.routes.ts';

export const enrolmentFlow = {
  name: 'enrolment',
  // The administration's token is checked by the routes themselves; the CSV parser is the route's own.
  routes: { api: enrolmentApiRoutes },
} satisfies FlowModule<FlowDeps>;
