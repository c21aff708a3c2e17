// Office appointments: API under /api/v1/appointments and pages under /appointments.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.ts';
import type { CivilDate } from '../../domain/working-days.ts';
import { requireApiRole } from '../../web/api-auth.ts';
import { alert } from '../../web/forms.ts';
import { pageContext, sendPage } from '../../web/page.ts';
import { problemFor, toAppError } from '../../web/problem.ts';
import { requestMeta } from '../../web/request-meta.ts';
import type { FlowDeps } from '../deps.ts';
import { bookAppointment, cancelAppointment, createOffice, findAppointment, listOffices, officeSlots, type Office } from './appointments.steps.ts';
import { chooseBody, manageBody } from './views/appointments.pages.ts';

const OfficeSchema = Type.Object({ id: Type.String(), name: Type.String(), address: Type.String(), opensAt: Type.String(), closesAt: Type.String(), slotMinutes: Type.Number() });
const Time = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', maxLength: 5 });
const DateParam = Type.String({ format: 'date', maxLength: 10 });
const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) });

function civilDate(iso: string): CivilDate {
  const [year, month, day] = iso.split('-').map(Number);
  return { year: year!, month: month!, day: day! };
}

export async function appointmentApiRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  app.post('/api/v1/admin/offices', {
    onRequest: async (request) => void (await requireApiRole(deps.db, request, 'platform_admin')),
    schema: { tags: ['admin'], security: [{ bearerAuth: [] }], response: { 201: OfficeSchema },
      body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), address: Type.String({ minLength: 1, maxLength: 200 }),
        opensAt: Time, closesAt: Time, slotMinutes: Type.Integer({ minimum: 5, maximum: 240 }) }, { additionalProperties: false }) },
  }, async (request, reply) => reply.status(201).send(await createOffice(deps, request.body as Omit<Office, 'id'>)));

  app.get('/api/v1/appointments/offices', { schema: { tags: ['appointments'], response: { 200: Type.Object({ offices: Type.Array(OfficeSchema) }) } } },
    async () => ({ offices: await listOffices(deps) }));

  app.get('/api/v1/appointments/offices/:officeId/slots', {
    schema: { tags: ['appointments'], params: Type.Object({ officeId: Type.String({ format: 'uuid', maxLength: 36 }) }),
      querystring: Type.Object({ date: DateParam }, { additionalProperties: false }),
      response: { 200: Type.Object({ slots: Type.Array(Type.Object({ start: Type.String(), free: Type.Boolean() })) }) } },
  }, async (request) => ({ slots: await officeSlots(deps, (request.params as { officeId: string }).officeId, civilDate((request.query as { date: string }).date)) }));

  app.post('/api/v1/appointments', {
    schema: { tags: ['appointments'], response: { 201: Type.Object({ appointmentId: Type.String() }) },
      body: Type.Object({ officeId: Type.String({ format: 'uuid', maxLength: 36 }), slotStart: Type.String({ format: 'date-time', maxLength: 40 }),
        codiceFiscale: Type.String({ maxLength: 40 }), email: Type.String({ format: 'email', maxLength: 254 }) }, { additionalProperties: false }) },
  }, async (request, reply) => reply.status(201).send(await bookAppointment(deps, request.body as { officeId: string; slotStart: string; codiceFiscale: string; email: string }, requestMeta(request))));

  app.get('/api/v1/appointments/:token', {
    schema: { tags: ['appointments'], params: TokenParams, response: { 200: Type.Object({ id: Type.String(), office: Type.String(), address: Type.String(), slotStart: Type.String(), status: Type.String() }) } },
  }, async (request) => findAppointment(deps, (request.params as { token: string }).token));

  app.post('/api/v1/appointments/:token/cancel', { schema: { tags: ['appointments'], params: TokenParams } }, async (request, reply) => {
    await cancelAppointment(deps, (request.params as { token: string }).token);
    return reply.status(204).send();
  });
}

export async function appointmentPageRoutes(app: FastifyInstance, deps: FlowDeps): Promise<void> {
  const render = (request: FastifyRequest, reply: FastifyReply, title: 'appointments.title' | 'appointments.manage.title', body: ReturnType<typeof alert>, status = 200) => {
    const ctx = pageContext(request, reply);
    return sendPage(reply, ctx, { title: ctx.t(title), body }, status);
  };
  const choose = async (request: FastifyRequest, reply: FastifyReply, chosen: { officeId?: string; date?: string }, error?: string, status = 200) => {
    const offices = await listOffices(deps);
    const valid = chosen.officeId && offices.some((o) => o.id === chosen.officeId) && /^\d{4}-\d{2}-\d{2}$/.test(chosen.date ?? '');
    const slots = valid ? await officeSlots(deps, chosen.officeId!, civilDate(chosen.date!)) : null;
    return render(request, reply, 'appointments.title', chooseBody(pageContext(request, reply), offices, chosen, slots, error), status);
  };

  app.get('/appointments', { schema: { hide: true } }, (request, reply) => {
    const query = request.query as { office?: string; date?: string };
    return choose(request, reply, { officeId: query.office?.slice(0, 36), date: query.date?.slice(0, 10) });
  });

  app.post('/appointments', { schema: { hide: true }, preValidation: app.csrfProtection }, async (request, reply) => {
    const form = request.body as Record<string, string | undefined>;
    const input = { officeId: String(form.officeId ?? '').slice(0, 36), slotStart: String(form.slotStart ?? '').slice(0, 40),
      codiceFiscale: String(form.codiceFiscale ?? '').slice(0, 40), email: String(form.email ?? '').slice(0, 254) };
    try {
      if (!/^[0-9a-f-]{36}$/.test(input.officeId)) throw new AppError('invalid_request');
      await bookAppointment(deps, input, requestMeta(request));
      return render(request, reply, 'appointments.title', alert('success', request.t('appointments.booked')));
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) throw error;
      return choose(request, reply, { officeId: input.officeId, date: input.slotStart.slice(0, 10) }, problemFor(request, appError).title, appError.status);
    }
  });

  app.get('/appointments/manage/:token', { schema: { hide: true } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    const appointment = await findAppointment(deps, token.slice(0, 100));
    return render(request, reply, 'appointments.manage.title', manageBody(pageContext(request, reply), appointment, token));
  });

  app.post('/appointments/manage/:token/cancel', { schema: { hide: true }, preValidation: app.csrfProtection }, async (request, reply) => {
    await cancelAppointment(deps, (request.params as { token: string }).token.slice(0, 100));
    return render(request, reply, 'appointments.manage.title', alert('success', request.t('appointments.cancelled')));
  });
}
