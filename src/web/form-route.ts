// One way to handle a form POST (oidc-provider's ReRenderError idea): validate the body
// against the route schema, run the step and, when it refuses with a client error, answer
// the SAME form again with the error next to its field and the typed values kept (never a
// secret: passwords, PINs and codes are typed again). A body that fails the schema re-renders
// too (400, the fields marked) instead of a JSON problem a browser cannot use. Server errors
// still go to the error handler (S28).
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger, FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault,
} from 'fastify';
import { Type, type Static, type TObject, type TProperties, type TSchema } from 'typebox';
import { AppError, type ErrorCode } from '../domain/errors.ts';
import { problemFor, setRetryAfter, toAppError } from './problem.ts';

import type { FormErrors } from './forms.ts';
import { dateFormats } from '../domain/date-format.ts';

const lockedUntilFormat = dateFormats({ dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Rome' });

export type { FormErrors };

export interface FormState<V> {
  /** What the visitor typed, secrets left out, each within its schema's maxLength. */
  values: Partial<Record<keyof V & string, string>>;
  errors: FormErrors;
  status: number;
  error: AppError;
}

type Reply = FastifyReply | Promise<FastifyReply>;
type EmptyParams = TObject<Record<string, never>>;
type FormRequest<B extends TObject, P extends TObject> = FastifyRequest<{ Body: Static<B>; Params: Static<P> }>;

export interface FormRouteOptions<B extends TObject, P extends TObject> {
  /** The form's fields: validated, and what is kept when the form comes back. */
  body: B;
  /**
   * multipart/form-data: the body is parsed by `run` (the pages scope checked the CSRF token
   * in the query), which puts the text fields in request.body so the form keeps them.
   */
  multipart?: boolean;
  params?: P;
  config?: FastifyContextConfig;
  /** Fields never echoed back. */
  secrets?: readonly (keyof Static<B> & string)[];
  /** The field each error code belongs to; codes not named here go to `form`. */
  fields?: Partial<Record<ErrorCode, string>>;
  /** The text of an error where its problem title is not enough (undefined: the title). */
  message?: (request: FastifyRequest, error: AppError) => string | undefined;
  /** Runs the step; answers with the next page or a redirect. */
  run: (request: FormRequest<B, P>, reply: FastifyReply) => Promise<FastifyReply>;
  /** Renders the form again with its state. */
  render: (request: FormRequest<B, P>, reply: FastifyReply, state: FormState<Static<B>>) => Reply;
  /** Some errors need another page (an expired link, say): return it, or undefined for the form. */
  otherwise?: (request: FormRequest<B, P>, reply: FastifyReply, error: AppError) => Reply | undefined;
}

// Errors about what was typed into the form (its schema, or a check of the route itself).
const typingErrors = new WeakSet<AppError>();

/** Whether the error is about the form's own fields rather than the step's verdict. */
export function isTypingError(error: AppError): boolean {
  return typingErrors.has(error);
}

/** A refusal of the route itself tied to one field, with the text to show there. */
export function fieldError(field: string, text: string): AppError {
  const error = new AppError('invalid_request', { errors: [{ field, message: text }], text });
  typingErrors.add(error);
  return error;
}

/** The routes plugins' instance, typed by the TypeBox provider. */
export type TypedApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

/** A form's body schema: its fields plus the CSRF token field (checked by the pages scope). */
export function formBody<F extends TProperties>(fields: F) {
  return Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })), ...fields }, { additionalProperties: false });
}

function keptValues(body: unknown, schema: TObject, secrets: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  if (!body || typeof body !== 'object') return values;
  for (const [name, property] of Object.entries(schema.properties as Record<string, TSchema & { maxLength?: number }>)) {
    const value = (body as Record<string, unknown>)[name];
    if (name === '_csrf' || secrets.includes(name) || typeof value !== 'string') continue;
    values[name] = value.slice(0, property.maxLength ?? 1000);
  }
  return values;
}

function lockedText(request: FastifyRequest, error: AppError): string {
  const minutes = Math.max(1, Math.ceil(Number(error.extras.retryAfter ?? 0) / 60));
  if (typeof error.extras.lockedUntil !== 'string') return request.t('signIn.locked', { minutes });
  const until = lockedUntilFormat(request.lang).format(new Date(error.extras.lockedUntil));
  return request.t('signIn.lockedUntil', { minutes, until });
}

/** A wrong secret says how many tries are left before the temporary lock. */
function credentialsText(request: FastifyRequest, error: AppError): string {
  const title = problemFor(request, error).title;
  const left = Number(error.extras.attemptsLeft);
  if (!Number.isInteger(left)) return title;
  return `${title}. ${left === 0 ? request.t('signIn.nowLocked') : request.t(left === 1 ? 'signIn.attemptsLeft.one' : 'signIn.attemptsLeft', { count: left })}`;
}

/** Ties the error to its fields: a validation error to every field it names, another by its code. */
export function formErrorsOf(request: FastifyRequest, error: AppError, options: Pick<FormRouteOptions<TObject, TObject>, 'fields' | 'message'> & { known: string[]; fromSchema: boolean }): FormErrors {
  const text = options.message?.(request, error) ?? (typeof error.extras.text === 'string' ? error.extras.text
    : error.code === 'account_locked' ? lockedText(request, error)
      : error.code === 'invalid_credentials' ? credentialsText(request, error) : problemFor(request, error).title);
  const named = (Array.isArray(error.extras.errors) ? error.extras.errors : []) as { field?: string; text?: string }[];
  const issues = named.filter((issue) => options.known.includes(String(issue.field ?? '')));
  if (issues.length > 0) {
    // An issue may carry its own text ("Inserisci il codice fiscale"): each field says what to do.
    const perField = options.fromSchema ? request.t('common.fieldInvalid') : text;
    return Object.fromEntries(issues.map((issue) => [String(issue.field), typeof issue.text === 'string' ? issue.text : perField]));
  }
  return { [options.fields?.[error.code] ?? 'form']: text };
}

/**
 * Several fields refused at once, each with the text to show beside it and in the error
 * summary; empty when every field is fine.
 */
export function fieldErrors(issues: readonly { field: string; text: string }[]): AppError | null {
  if (issues.length === 0) return null;
  const error = new AppError('invalid_request', { errors: issues.map((issue) => ({ field: issue.field, message: 'invalid', text: issue.text })) });
  typingErrors.add(error);
  return error;
}

/** Registers POST `path` in the calling (pages) scope. */
export function formRoute<B extends TObject, P extends TObject = EmptyParams>(
  app: FastifyInstance, path: string, options: FormRouteOptions<B, P>,
): void {
  // The form's fields, and the groups errors are tied to (a fieldset of contacts, say).
  const known = [...Object.keys(options.body.properties), ...Object.values(options.fields ?? {}).filter((f): f is string => typeof f === 'string')];
  app.post<{ Body: Static<B>; Params: Static<P> }>(path, {
    schema: { hide: true, ...(options.multipart ? {} : { body: options.body }), ...(options.params ? { params: options.params } : {}) },
    attachValidation: true,
    ...(options.config ? { config: options.config } : {}),
  }, async (request, reply) => {
    const fromSchema = Boolean(request.validationError);
    try {
      if (request.validationError) {
        const invalid = toAppError(request.validationError);
        typingErrors.add(invalid);
        throw invalid;
      }
      return await options.run(request, reply);
    } catch (thrown) {
      const error = toAppError(thrown);
      if (error.status >= 500) throw thrown;
      // Broken path parameters are not the visitor's typing: the ordinary error page.
      if (fromSchema && request.validationError?.validationContext === 'params') throw error;
      const other = await options.otherwise?.(request, reply, error);
      if (other) return other;
      setRetryAfter(reply, error);
      const errors = formErrorsOf(request, error, { fields: options.fields, message: options.message, known, fromSchema });
      const values = keptValues(request.body, options.body, options.secrets ?? []) as FormState<Static<B>>['values'];
      return options.render(request, reply, { values, errors, status: error.status, error });
    }
  });
}

/** For pages behind a GET (a link from a message): a client error shows `problem` instead. */
export async function pageOrProblem(
  request: FastifyRequest, reply: FastifyReply, load: () => Promise<FastifyReply>, problem: (error: AppError, title: string) => Reply,
): Promise<FastifyReply> {
  try {
    return await load();
  } catch (thrown) {
    const error = toAppError(thrown);
    if (error.status >= 500) throw thrown;
    return problem(error, problemFor(request, error).title);
  }
}
