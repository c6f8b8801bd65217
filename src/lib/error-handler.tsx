import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { fieldErrorsOf, isApiUrl } from './api.ts';
import { AppError, codeForStatus, errorCodes, notFound } from './errors.ts';
import { translator } from './i18n.ts';
import { MessagePage, pageContext, sendPage } from './page.tsx';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers programs (webhooks, the API): its errors are `application/problem+json`. */
    api?: boolean;
  }
}

/**
 * What any thrown value becomes: an AppError as is, a status-only error by its status, the rest
 * `internal`. `api`: the request is a program's (`config: { api: true }`), whose refused input
 * is answered field by field.
 */
export function toAppError(err: unknown, api = false): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) {
    // The API names every bad field (`validation_failed`, 422); the route's schema refused it
    // before the handler (Fastify says where: body, querystring, params), or the handler did.
    const context = (err as ZodError & { validationContext?: string }).validationContext;
    if (api) return new AppError('validation_failed', { detail: 'input refused by its schema', cause: err, fields: fieldErrorsOf(err, context) });
    // A page's body or query that its schema refuses outright (a repeated field…) is a 400.
    return new AppError('bad_request', { detail: 'input refused by its schema', cause: err });
  }
  const e = err as Partial<FastifyError> | null | undefined;
  return new AppError(codeForStatus(e?.statusCode), { detail: e?.code, cause: err });
}

/** A program's request: a route declared `config: { api: true }`, or anything under `/api/v1` (its unknown URLs too). */
const isApiRequest = (req: FastifyRequest) => req.routeOptions?.config?.api === true || isApiUrl(req.url);

/**
 * Whether the client gets `application/problem+json` rather than the error page: routes
 * that say they are an API (`config: { api: true }`), or a client whose Accept header
 * prefers JSON to HTML (a browser's `*` counts for HTML).
 */
export function wantsProblem(req: FastifyRequest): boolean {
  if (isApiRequest(req)) return true;
  let json = 0;
  let html = 0;
  for (const range of (req.headers.accept ?? '').toLowerCase().split(',')) {
    const [type = '', ...params] = range.split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) || 0 : 1;
    if (type === 'application/json' || type.endsWith('+json')) json = Math.max(json, weight);
    else if (type === 'text/html' || type === 'application/xhtml+xml' || type === 'text/*' || type === '*/*') html = Math.max(html, weight);
  }
  return json > html;
}

/**
 * RFC 9457 wants a URI naming the problem type; a `tag:` URI (RFC 4151) names it for good
 * without pretending to be a page one could open.
 */
export const problemType = (code: string) => `tag:parking-portal,2026:problem:${code}`;

/**
 * Answers an error as `application/problem+json` (RFC 9457): its code's words in the request's
 * language, the bad fields it names (`errors`, each with its path, place, rule and words) and
 * its extension members. Never internals.
 */
export function sendProblem(req: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply {
  const { status, title, message } = errorCodes[err.code];
  const t = translator(req.lang);
  const problem = {
    type: problemType(err.code),
    title: t(title),
    status,
    detail: t(message),
    code: err.code,
    ...err.extensions,
    ...(err.fields.length > 0
      ? { errors: err.fields.map((f) => ({ field: f.field, in: f.in ?? 'body', code: f.code, message: t(f.key, f.params) })) }
      : {}),
  };
  reply.headers(err.headers);
  return reply.status(status).type('application/problem+json').send(JSON.stringify(problem));
}

/** Answers an error from the table: the portal's error page, or problem+json. Never internals. */
export function sendError(req: FastifyRequest, reply: FastifyReply, err: AppError): FastifyReply {
  const { status, title, message } = errorCodes[err.code];
  reply.headers(err.headers);
  if (wantsProblem(req)) return sendProblem(req, reply, err);
  try {
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t(title), <MessagePage ctx={ctx} titleKey={title} messageKey={message} requestId={req.id} />, status);
  } catch (renderError) {
    // The page itself could not be built (an error before the cookies were read…): its words alone.
    req.log.error({ err: renderError }, 'error page failed');
    const t = translator(req.lang);
    return reply.status(status).type('text/plain; charset=utf-8').send(`${t(title)}\n\n${t(message)}\n\n${t('error.reference', { id: req.id })}\n`);
  }
}

function handleError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(err, isApiRequest(req));
  if (appError.status >= 500) req.log.error({ err, code: appError.code }, 'request failed');
  else req.log.info({ code: appError.code, detail: appError.detail, status: appError.status }, 'request refused');
  return sendError(req, reply, appError);
}

// Framework errors raised before routing, kept for the request they belong to.
const beforeRouting = new WeakMap<IncomingMessage, AppError>();

/**
 * Fastify's `frameworkErrors` option: a URL it cannot decode (`GET /%`), a parameter too
 * long. Fastify calls this before any hook has run — no security headers, no session, no
 * language — so the request is routed again to `/` with its error kept aside, and the
 * first `onRequest` hook after the session's (`errorHandling`) throws it: the answer is the
 * table's, with everything every other answer has. The URL is never echoed.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  beforeRouting.set(req.raw, toAppError(err));
  req.raw.url = '/';
  req.server.routing(req.raw, reply.raw);
}

/**
 * The one error handler, the not-found handler, and the hook that answers framework errors.
 * Registered on the root instance after the session and language hooks, so that every
 * error page is in the visitor's language, inside the portal's frame.
 */
export function errorHandling(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    const early = beforeRouting.get(req.raw);
    if (early) throw early;
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((req, reply) => sendError(req, reply, notFound()));
}
