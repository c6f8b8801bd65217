import type { MessageKey } from './i18n.ts';

/*
 * Every refusal or failure a request can end in has a code, and the code alone decides what
 * the client gets: the HTTP status, and the title and message (catalogue keys, so both
 * languages) of the error page or of the `application/problem+json` answer. The handler that
 * renders them is `error-handler.tsx`. A refusal that a form shows inline (a wrong code, a
 * throttled login) is not an error: the service returns it as a value.
 */

interface ErrorEntry {
  status: number;
  title: MessageKey;
  message: MessageKey;
}

const badRequest = { title: 'error.badRequest.title', message: 'error.badRequest' } as const;
const notFoundPage = { title: 'error.notFound.title', message: 'error.notFound' } as const;
const conflict = { title: 'error.conflict.title', message: 'error.conflict' } as const;
// A 5xx says nothing of its cause: the log has it.
const internalPage = { title: 'error.title', message: 'error.generic' } as const;

/** HTTP's own refusals: also what an error carrying only a status becomes (`codeForStatus`). */
const httpCodes = {
  bad_request: { status: 400, ...badRequest },
  forbidden: { status: 403, title: 'error.forbidden.title', message: 'error.forbidden' },
  not_found: { status: 404, ...notFoundPage },
  method_not_allowed: { status: 405, title: 'error.methodNotAllowed.title', message: 'error.methodNotAllowed' },
  not_acceptable: { status: 406, ...badRequest },
  conflict: { status: 409, ...conflict },
  precondition_failed: { status: 412, ...badRequest },
  payload_too_large: { status: 413, ...badRequest },
  uri_too_long: { status: 414, ...badRequest },
  unsupported_media_type: { status: 415, ...badRequest },
  range_not_satisfiable: { status: 416, ...badRequest },
  too_many_requests: { status: 429, title: 'error.tooMany.title', message: 'error.tooMany' },
  internal: { status: 500, ...internalPage },
  unavailable: { status: 503, title: 'error.unavailable.title', message: 'error.unavailable' },
} as const satisfies Record<string, ErrorEntry>;

/** The one table from error code to status and words. */
export const errorCodes = {
  ...httpCodes,

  // ---- a staff member's read-only view of a customer's pages: nothing is posted there
  read_only_view: { status: 403, title: 'customerView.readOnly.title', message: 'customerView.readOnly' },
  role_forbidden: { status: 403, title: 'users.forbidden.title', message: 'users.forbidden' },
  /** The signed mandate prints the full IBAN, which only admins see, in the back office. */
  staff_view_full_iban: { status: 403, title: 'customerView.readOnly.title', message: 'customerView.fullIban' },

  // ---- payments
  nothing_to_pay: { status: 409, title: 'pay.error.nothingToPay.title', message: 'pay.error.settled' },
  /** A webhook that is not from the provider, or too old: nothing is written (W1). */
  webhook_rejected: { status: 400, title: 'pay.webhook.rejected.title', message: 'pay.webhook.rejected' },
  /** A signed success whose amount or currency is not the attempt's: nothing is booked, the refusal is audited. */
  webhook_amount_mismatch: { status: 422, title: 'pay.webhook.mismatch.title', message: 'pay.webhook.mismatch' },

  // ---- documents (published by the back office and the demo seed, read by Mon compte)
  document_not_found: { status: 404, ...notFoundPage },
  /** Documents are immutable once their PDF exists. */
  document_already_published: { status: 409, ...conflict },
  /** The stored rows cannot be printed as they are (totals not matching the lines…). */
  document_inconsistent: { status: 500, ...internalPage },
  document_pdf_missing: { status: 500, ...internalPage },
  document_pdf_corrupted: { status: 500, ...internalPage },

  // ---- contact requests' attachments, read back checked against their SHA-256
  contact_attachment_missing: { status: 500, ...internalPage },
  contact_attachment_corrupted: { status: 500, ...internalPage },

  // ---- direct debit (staff decisions, checks repeated inside a transaction)
  mandate_not_found: { status: 404, ...notFoundPage },
  mandate_not_to_validate: { status: 409, ...conflict },
  mandate_rejection_reason: { status: 400, ...badRequest },
  mandate_pdf_missing: { status: 500, ...internalPage },
  mandate_pdf_corrupted: { status: 500, ...internalPage },
  mandate_contracts: { status: 400, title: 'error.badRequest.title', message: 'directDebit.error.contracts.notYours' },
  // Decided inside the signing transaction (thrown to roll it back) when a concurrent request
  // got there first; the signing page shows them inline.
  mandate_code_spent: { status: 422, title: 'directDebit.sign.title', message: 'directDebit.sign.error.dead' },
  mandate_not_awaiting: { status: 409, ...conflict },
  mandate_in_force: { status: 409, title: 'directDebit.form.title', message: 'directDebit.already' },

  // ---- vehicle changes (staff decisions, checked again inside the transaction)
  vehicle_change_decided: { status: 409, ...conflict },
  vehicle_change_conflict: { status: 409, ...conflict },

  // ---- the operator's API (`/api/v1`, `areas/api-area.ts`): always problem+json, in English
  /** No key, a key not of the form, a key nobody holds: 401 with `WWW-Authenticate: Bearer`. */
  api_unauthorized: { status: 401, title: 'api.error.unauthorized.title', message: 'api.error.unauthorized' },
  api_key_revoked: { status: 401, title: 'api.error.unauthorized.title', message: 'api.error.keyRevoked' },
  api_client_disabled: { status: 401, title: 'api.error.unauthorized.title', message: 'api.error.clientDisabled' },
  /** A key in the URL (`?key=`, `?access_token=`…): refused, never read (it is in every log on the way). */
  api_key_in_url: { status: 400, title: 'api.error.keyInUrl.title', message: 'api.error.keyInUrl' },
  /** The client lacks the route's scope; the problem names it (`required_scope`). */
  api_scope_missing: { status: 403, title: 'api.error.scope.title', message: 'api.error.scope' },
  api_rate_limited: { status: 429, title: 'error.tooMany.title', message: 'api.error.rateLimited' },
  /** A body, query or parameter that its schema refuses: the problem lists every bad field (`errors`). */
  validation_failed: { status: 422, title: 'api.error.validation.title', message: 'api.error.validation' },
  /** The resource of the URL does not exist. */
  api_not_found: { status: 404, title: 'api.error.notFound.title', message: 'api.error.notFound' },
  /** The request contradicts what is stored (a rule of the resource): said in `detail` and `errors`. */
  api_conflict: { status: 409, ...conflict },

  // ---- operations (`features/ops/`)
  /** /metrics without the METRICS_TOKEN: 401 with `WWW-Authenticate: Bearer`. */
  metrics_unauthorized: { status: 401, title: 'api.error.unauthorized.title', message: 'ops.metrics.unauthorized' },
} as const satisfies Record<string, ErrorEntry>;

export type ErrorCode = keyof typeof errorCodes;

/** One bad field of a request to the API: its dotted path (`address.postal_code`) and what is wrong, in catalogue words. */
export interface FieldError {
  field: string;
  /** Where the field is: the body (the default), the query string, the path. */
  in?: 'body' | 'query' | 'path';
  /** A short machine-readable name of the rule (`required`, `unknown`, `type`…). */
  code: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

export interface AppErrorOptions {
  /** What happened, for the log and the audit: never shown to the client. */
  detail?: string;
  headers?: Record<string, string>;
  cause?: unknown;
  /** The bad fields, for `validation_failed` (and a resource's own refusals): `errors` of the problem. */
  fields?: FieldError[];
  /** RFC 9457 extension members of the problem+json answer (`required_scope`…): never secrets. */
  extensions?: Record<string, string | number | boolean>;
}

/**
 * The one error type. Its code decides the status and the words shown (`errorCodes`);
 * `detail` is for the log only. Anything else thrown becomes `internal`.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;
  readonly headers: Record<string, string>;
  readonly fields: FieldError[];
  readonly extensions: Record<string, string | number | boolean>;

  constructor(code: ErrorCode, opts: AppErrorOptions = {}) {
    super(opts.detail ?? code, { cause: opts.cause });
    this.code = code;
    this.status = errorCodes[code].status;
    this.detail = opts.detail;
    this.headers = opts.headers ?? {};
    this.fields = opts.fields ?? [];
    this.extensions = opts.extensions ?? {};
  }
}

export const isAppError = (e: unknown, code?: ErrorCode): e is AppError => e instanceof AppError && (code === undefined || e.code === code);

export const notFound = (detail?: string) => new AppError('not_found', { detail });

/** A 429 that says when to come back. */
export const tooManyRequests = (seconds: number) =>
  new AppError('too_many_requests', { headers: { 'retry-after': String(Math.max(1, Math.ceil(seconds))) } });

/**
 * The code for an error that carries only an HTTP status (Fastify's, its plugins'): the
 * table's generic entry for that status, else `bad_request` for a 4xx and `internal` for
 * anything else.
 */
export function codeForStatus(status: number | undefined): ErrorCode {
  const found = (Object.keys(httpCodes) as (keyof typeof httpCodes)[]).find((code) => httpCodes[code].status === status);
  if (found) return found;
  return status !== undefined && status >= 400 && status < 500 ? 'bad_request' : 'internal';
}
