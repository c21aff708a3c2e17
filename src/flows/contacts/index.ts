// Changing a contact: the new address or number takes effect once its code is confirmed.
import type { FlowModule } from '../../web/flow-module.ts';
import type { FlowDeps } from '../deps.ts';
import { contactsMessages } from './contacts.messages.ts';
import { contactsPageRoutes } from './contacts-pages.routes.ts';
import { contactsApiRoutes } from './contacts.routes.ts';

export const contactsFlow = {
  name: 'contacts',
  routes: { citizenApi: contactsApiRoutes, citizenPages: contactsPageRoutes },
  messages: contactsMessages,
} satisfies FlowModule<FlowDeps>;
