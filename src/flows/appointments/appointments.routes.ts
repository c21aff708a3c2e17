// Office appointments: API under /api/v1/appointments and pages under /appointments.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import type { CivilDate } from '../../domain/working-days.ts';
import { fieldErrors, formBody, formRoute } from '../../web/form-route.ts';
import { alert, type FormErrors } from '../../web/forms.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { requestMeta } from '../../web/request-meta.ts';
import type { FlowDeps } from '../deps.ts';
import { bookAppointment, cancelAppointment, createOffice, findAppointment, listOffices, officeSlots } from './appointments.steps.ts';
import { bookedBody, cancelConfirmBody, chooseBody, manageBody } from './views/appointments.pages.ts';
import { noContent } from '../../web/openapi.ts';

const OfficeSchema = Type.Object({ id: Type.String(), name: Type.String(), address: Type.String(), opensAt: Type.String(), closesAt: Type.String(), slotMinutes: Type.Number() });
const Time = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', maxLength: 5 });
const DateParam = Type.String({ format: 'date', maxLength: 10 });
const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) });
const PageTokenParams = Type.Object({ token: Type.String({ minLength: 1 }) });
const OfficeBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), address: Type.String({ minLength: 1, maxLength: 200 }),
  opensAt: Time, closesAt: Time, slotMinutes: Type.Integer({ minimum: 5, maximum: 240 }) }, { additionalProperties: false });
const BookBody = Type.Object({ officeId: Type.String({ format: 'uuid', maxLength: 36 }), slotStart: Type.String({ format: 'date-time', maxLength: 40 }),
  codiceFiscale: Type.String({ maxLength: 40 }), email: Type.String({ format: 'email', maxLength: 254 }) }, { additionalProperties: false });
const optionalText = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
// Fields may be missing (no slot chosen): the step then refuses and the form says why.
const BookForm = formBody({ officeId: optionalText(36), date: optionalText(10), slotStart: optionalText(40), codiceFiscale: optionalText(40), email: optionalText(254) });
const ChooseQuery = Type.Object({ office: Type.Optional(Type.String()), date: Type.Optional(Type.String()), lang: Type.Optional(Type.String({ maxLength: 5 })) });

function civilDate(iso: string): CivilDate {
  const [year, month, day] = iso.split('-').map(Number);
  return { year: year!, month: month!, day: day! };
}

/** In the admin scope (platform-admin token). */
export async function appointmentAdminRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/v1/admin/offices', {
    schema: { tags: ['admin'], security: [{ bearerAuth: [] }], response: { 201: OfficeSchema }, body: OfficeBody },
  }, async (request, reply) => reply.status(201).send(await createOffice(deps, request.body)));
}

export async function appointmentApiRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/appointments/offices', { schema: { tags: ['appointments'], response: { 200: Type.Object({ offices: Type.Array(OfficeSchema) }) } } },
    async () => ({ offices: await listOffices(deps) }));

  app.get('/api/v1/appointments/offices/:officeId/slots', {
    schema: { tags: ['appointments'], params: Type.Object({ officeId: Type.String({ format: 'uuid', maxLength: 36 }) }),
      querystring: Type.Object({ date: DateParam }, { additionalProperties: false }),
      response: { 200: Type.Object({ slots: Type.Array(Type.Object({ start: Type.String(), free: Type.Boolean() })) }) } },
  }, async (request) => ({ slots: await officeSlots(deps, request.params.officeId, civilDate(request.query.date)) }));

  app.post('/api/v1/appointments', {
    schema: { tags: ['appointments'], response: { 201: Type.Object({ appointmentId: Type.String() }) }, body: BookBody },
  }, async (request, reply) => reply.status(201).send(await bookAppointment(deps, request.body, requestMeta(request), request.lang)));

  app.get('/api/v1/appointments/:token', {
    schema: { tags: ['appointments'], params: TokenParams, response: { 200: Type.Object({ id: Type.String(), office: Type.String(), address: Type.String(), slotStart: Type.String(), status: Type.String() }) } },
  }, async (request) => findAppointment(deps, request.params.token));

  app.post('/api/v1/appointments/:token/cancel', { schema: { tags: ['appointments'], params: TokenParams, response: { 204: noContent } } }, async (request, reply) => {
    await cancelAppointment(deps, request.params.token);
    return reply.status(204).send();
  });
}

type Chosen = { officeId?: string; date?: string };

export async function appointmentPageRoutes(plain: FastifyInstance, deps: FlowDeps): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const render = (request: FastifyRequest, reply: FastifyReply, title: 'appointments.title' | 'appointments.manage.title' | 'appointments.booked.title' | 'appointments.cancel.title', body: ReturnType<typeof alert>, status = 200) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t(title), body }, status);
  };
  const choose = async (request: FastifyRequest, reply: FastifyReply, chosen: Chosen, form: { errors?: FormErrors; values?: Record<string, string | undefined> } = {}, status = 200) => {
    const offices = await listOffices(deps);
    const valid = chosen.officeId && offices.some((o) => o.id === chosen.officeId) && /^\d{4}-\d{2}-\d{2}$/.test(chosen.date ?? '');
    const slots = valid ? await officeSlots(deps, chosen.officeId!, civilDate(chosen.date!)) : null;
    return render(request, reply, 'appointments.title', chooseBody(pageContext(request, reply), offices, chosen, slots, form), status);
  };

  app.get('/appointments', { schema: { hide: true, querystring: ChooseQuery } }, (request, reply) =>
    choose(request, reply, { officeId: request.query.office?.slice(0, 36), date: request.query.date?.slice(0, 10) }));

  formRoute(app, '/appointments', {
    body: BookForm,
    fields: { invalid_codice_fiscale: 'codiceFiscale', conflict: 'slotStart' },
    message: (request, error) => (error.code === 'conflict' ? request.t('appointments.slotTaken') : undefined),
    run: async (request, reply) => {
      const form = request.body;
      const t = request.t;
      const issues: { field: string; text: string }[] = [];
      if (!form.slotStart) issues.push({ field: 'slotStart', text: t('appointments.error.slot') });
      if (!(form.codiceFiscale ?? '').trim()) issues.push({ field: 'codiceFiscale', text: t('appointments.error.codiceFiscale') });
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email ?? '')) issues.push({ field: 'email', text: t('appointments.error.email') });
      const refused = fieldErrors(issues);
      if (refused) throw refused;
      const input = { officeId: form.officeId ?? '', slotStart: form.slotStart ?? '', codiceFiscale: form.codiceFiscale ?? '', email: form.email ?? '' };
      if (!/^[0-9a-f-]{36}$/.test(input.officeId)) throw new AppError('invalid_request');
      await bookAppointment(deps, input, requestMeta(request), request.lang);
      const office = (await listOffices(deps)).find((o) => o.id === input.officeId);
      return render(request, reply, 'appointments.booked.title',
        bookedBody(pageContext(request, reply), { office: office?.name ?? '', address: office?.address ?? '', slotStart: new Date(input.slotStart).toISOString() }));
    },
    render: (request, reply, { values, errors, status }) =>
      choose(request, reply, { officeId: values.officeId, date: values.date ?? values.slotStart?.slice(0, 10) }, { errors, values }, status),
  });

  app.get('/appointments/manage/:token', { schema: { hide: true, params: PageTokenParams } }, async (request, reply) => {
    const { token } = request.params;
    const appointment = await findAppointment(deps, token.slice(0, 100));
    return render(request, reply, 'appointments.manage.title', manageBody(pageContext(request, reply), appointment, token));
  });

  app.get('/appointments/manage/:token/cancel', { schema: { hide: true, params: PageTokenParams } }, async (request, reply) => {
    const { token } = request.params;
    const appointment = await findAppointment(deps, token.slice(0, 100));
    return render(request, reply, 'appointments.cancel.title', cancelConfirmBody(pageContext(request, reply), appointment, token));
  });

  app.post('/appointments/manage/:token/cancel', { schema: { hide: true, params: PageTokenParams, body: formBody({}) } }, async (request, reply) => {
    // A second press of the button (or a second tab) finds it cancelled already: the same outcome for the citizen.
    await cancelAppointment(deps, request.params.token.slice(0, 100)).catch((error: unknown) => {
      if (!(error instanceof AppError && error.code === 'conflict')) throw error;
    });
    return render(request, reply, 'appointments.manage.title', alert('success', request.t('appointments.cancelled')));
  });
}
