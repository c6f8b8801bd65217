import type { FastifyReply, FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { AppError, type FieldError } from './errors.ts';
import { type MessageKey, messageKeys } from './i18n.ts';

/*
 * The conventions every resource of the operator's API follows (`docs/api.md` says them for
 * integrators; `areas/api-area.ts` is the area). A resource's routes live in its feature
 * folder (`customers.api.ts`) and are declared with zod schemas, which both validate the
 * request and make the OpenAPI document:
 *
 * - bodies are `z.strictObject` (an unknown field is refused, named); amounts are integer
 *   cents (`cents`), dates `YYYY-MM-DD` (`isoDate`), instants ISO 8601 UTC (`isoDateTime`);
 * - a refused request is `validation_failed` (422) naming every bad field (`fieldErrorsOf`);
 * - `PUT /<resource>/{operator's id}` creates or updates: `sendPut` answers 201, 200, or 200
 *   with `unchanged: true` when the body changes nothing (nothing written, nothing audited);
 * - lists page with a cursor: `?cursor=&limit=` (`cursorQuery`) → `{ items, next_cursor }`
 *   (`listOf`, `pageOf`).
 */

/** Where the API lives. */
export const API_ROOT = '/api';
export const API_PREFIX = `${API_ROOT}/v1`;

/** Whether a URL is the API's (`/api/v1…`): no session is looked up for it, its answers are problem+json in English. */
/** The token of an `Authorization: Bearer <token>` header (RFC 6750), or null: the API's keys and the metrics' token. */
export const bearerToken = (authorization: string | undefined): string | null => /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1] ?? null;

export const isApiUrl = (url: string) => url === API_PREFIX || url.startsWith(`${API_PREFIX}/`) || url.startsWith(`${API_PREFIX}?`);

// ------------------------------------------------------------------ field shapes

/** An amount in integer cents (`12345` is 123.45 €). */
export const cents = z.int().min(-1_000_000_000).max(1_000_000_000).describe('An amount in integer cents (12345 = 123.45 EUR).');

/** A calendar date, `YYYY-MM-DD` (ISO 8601). */
export const isoDate = z.iso.date().describe('A date, YYYY-MM-DD (ISO 8601).');

/** A date that may be absent or null (null when absent): a default rather than a transform, which costs zod a pipe per field (issue 12). */
export const optionalIsoDate = isoDate.nullable().default(null);

/** An instant, ISO 8601 with its offset (`2026-11-27T10:00:00Z`). */
export const isoDateTime = z.iso.datetime({ offset: true }).describe('An instant, ISO 8601 with its offset (2026-11-27T10:00:00Z).');

/** Text of at most `max` characters, trimmed; empty refused. */
export const text = (max: number) => z.string().trim().min(1).max(max);

/** Optional text: absent or null is null; at most `max` characters, trimmed, empty is null. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));

// ------------------------------------------------------------------ paging

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

/** `?cursor=&limit=` of a list: the cursor of the previous page's `next_cursor`, at most 500 items a page. */
export const cursorQuery = z.strictObject({
  cursor: z.string().max(500).optional().describe('The `next_cursor` of the previous page; absent: the first page.'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).describe(`Items per page, 1 to ${MAX_PAGE_SIZE}.`),
});

/** A page of a list: its items, and the cursor of the next page (null: this is the last). */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), next_cursor: z.string().nullable().describe('Pass it as `?cursor=` for the next page; null on the last page.') });

/** An opaque cursor for the key of the last item of a page. */
export const encodeCursor = (key: string[]): string => Buffer.from(JSON.stringify(key)).toString('base64url');

/** The refusal of a cursor the API did not make (or not for this list): a bad `cursor` field of the query. */
export const badCursor = (detail = 'cursor not ours') =>
  new AppError('validation_failed', { fields: [{ field: 'cursor', in: 'query', code: 'cursor', key: 'api.field.cursor' }], detail });

/** The key a cursor carries; a cursor the API did not make is a bad `cursor` field. */
export function decodeCursor(cursor: string | undefined, length: number): string[] | null {
  if (cursor === undefined) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === length && key.every((k) => typeof k === 'string')) return key as string[];
  } catch {
    // below
  }
  throw badCursor();
}

/**
 * A page from `limit + 1` rows read in key order after the cursor's: the first `limit`, and the
 * next cursor when there were more.
 */
export function pageOf<R, T>(rows: R[], limit: number, keyOf: (row: R) => string[], toItem: (row: R) => T): { items: T[]; next_cursor: string | null } {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return { items: shown.map(toItem), next_cursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

// ------------------------------------------------------------------ PUT

/** What a `PUT` did: made the resource, changed it, or found it already as sent. */
export type PutOutcome = 'created' | 'updated' | 'unchanged';

/** A PUT's answer: the resource as `GET` shows it, and whether the request changed nothing. */
export const putResponse = <S extends z.ZodObject>(resource: S) =>
  resource.extend({ unchanged: z.boolean().describe('true when the body sent changed nothing: nothing was written.') });

/** Answers a PUT: 201 (with `Location`) when created, else 200; `unchanged` says whether anything was written. */
export function sendPut<T extends object>(reply: FastifyReply, outcome: PutOutcome, resource: T, location: string) {
  if (outcome === 'created') reply.header('location', location);
  return reply.status(outcome === 'created' ? 201 : 200).send({ ...resource, unchanged: outcome === 'unchanged' });
}

// ------------------------------------------------------------------ errors

/** RFC 9457 problem details, as every refusal of the API is answered (`lib/error-handler.tsx`). */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string().describe('The error code (`validation_failed`, `api_scope_missing`…).'),
    errors: z
      .array(
        z.object({
          field: z.string().describe('Dotted path of the field (`address.postal_code`, `lines[2].label`); empty for the whole body.'),
          in: z.enum(['body', 'query', 'path']),
          code: z.string().describe('The rule broken: required, unknown, type, too_long, too_short, too_big, too_small, format, enum, invalid…'),
          message: z.string(),
        }),
      )
      .optional(),
    required_scope: z.string().optional(),
  })
  .describe('application/problem+json (RFC 9457)');

/** The refusals every API route may answer, for its schema's `response`. */
export const problemResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  422: problemSchema,
  429: problemSchema,
} as const;

type Where = 'body' | 'query' | 'path';
const whereOf = (context: string | undefined): Where => (context === 'querystring' ? 'query' : context === 'params' ? 'path' : 'body');

/** `['lines', 2, 'label']` → `lines[2].label`. */
export const fieldPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), '');

const isMessageKey = (s: string): s is MessageKey => (messageKeys as string[]).includes(s);

const typeNames: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

/** What a zod issue says, as field errors in catalogue words (an unknown key gives one per field). */
function issueErrors(issue: z.core.$ZodIssue, where: Where): (FieldError & { in: Where })[] {
  const field = fieldPath(issue.path);
  const one = (code: string, key: MessageKey, params?: Record<string, string | number>) => [{ field, in: where, code, key, ...(params ? { params } : {}) }];
  // A field left out (the value an issue is about is kept: `apiValidatorCompiler`).
  if (issue.code !== 'custom' && issue.code !== 'unrecognized_keys' && 'input' in issue && issue.input === undefined) return one('required', 'api.field.required');
  switch (issue.code) {
    case 'invalid_type':
      return one('type', 'api.field.type', { expected: typeNames[issue.expected] ?? issue.expected });
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({ field: fieldPath([...issue.path, k]), in: where, code: 'unknown', key: 'api.field.unknown' as const }));
    case 'too_big':
      if (issue.origin === 'string') return one('too_long', 'api.field.tooLong', { max: Number(issue.maximum) });
      if (issue.origin === 'array' || issue.origin === 'set') return one('too_many', 'api.field.tooMany', { max: Number(issue.maximum) });
      return one('too_big', 'api.field.tooBig', { max: Number(issue.maximum) });
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? one('required', 'api.field.empty') : one('too_short', 'api.field.tooShort', { min: Number(issue.minimum) });
      if (issue.origin === 'array' || issue.origin === 'set') return one('too_few', 'api.field.tooFew', { min: Number(issue.minimum) });
      return one('too_small', 'api.field.tooSmall', { min: Number(issue.minimum) });
    case 'invalid_format':
      if (issue.format === 'email') return one('format', 'api.field.email');
      if (issue.format === 'date') return one('format', 'api.field.date');
      if (issue.format === 'datetime') return one('format', 'api.field.dateTime');
      return one('format', 'api.field.format');
    case 'invalid_value':
      return one('enum', 'api.field.enum', { values: issue.values.map((v) => JSON.stringify(v)).join(', ') });
    case 'custom':
      // A refinement names its words by a catalogue key: `.refine(f, { message: 'api.field.x' })`.
      if (isMessageKey(issue.message)) return one(String(issue.params?.code ?? 'invalid'), issue.message, issue.params as Record<string, string | number> | undefined);
      return one('invalid', 'api.field.invalid');
    default:
      return one('invalid', 'api.field.invalid');
  }
}

/** Every bad field a zod error names, each once per rule, in the order of the issues. */
export function fieldErrorsOf(error: z.ZodError, context?: string): FieldError[] {
  const where = whereOf(context);
  return error.issues.flatMap((issue) => issueErrors(issue, where));
}

/**
 * `schema.safeParse`, every issue kept with the value it was about (to tell a missing field
 * from a wrong one; the value is never echoed). Keeping the values costs a tenth of a parse
 * (a batch's thousand documents, an import's hundred thousand): a value that passes is parsed
 * once without, one that fails again with them.
 */
export function safeParseReported<T extends z.ZodType>(schema: T, data: unknown): z.ZodSafeParseResult<z.output<T>> {
  const result = schema.safeParse(data);
  return result.success ? result : schema.safeParse(data, { reportInput: true });
}

/**
 * The API's validator: the route's zod schema, every issue kept with the value it was about
 * (`safeParseReported`). Fastify turns the ZodError into the error the handler answers with
 * `validation_failed` (`lib/error-handler.tsx`).
 */
export const apiValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const result = safeParseReported(schema, data);
    return result.success ? { value: result.data } : { error: result.error };
  };
