import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { appointmentMessages } from './appointments.messages.ts';
import { appointmentAdminRoutes, appointmentApiRoutes, appointmentPageRoutes } from './appointments.routes.ts';

export const appointmentsFlow = {
  name: 'appointments',
  routes: { api: appointmentApiRoutes, adminApi: appointmentAdminRoutes, pages: appointmentPageRoutes },
  messages: appointmentMessages,
} satisfies FlowModule<FlowDeps>;
