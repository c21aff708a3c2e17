import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { appointmentTemplates } from './appointments.templates.ts';
import { appointmentMessages } from './appointments.messages.ts';
import { appointmentAdminRoutes, appointmentApiRoutes, appointmentPageRoutes } from './appointments.routes.ts';

export const appointmentsFlow = {
  name: 'appointments',
  routes: { api: appointmentApiRoutes, adminApi: appointmentAdminRoutes, pages: appointmentPageRoutes },
  messages: appointmentMessages,
  templates: appointmentTemplates,
} satisfies FlowModule<FlowDeps>;
