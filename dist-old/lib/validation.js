import { z } from 'zod';
/*
 * How a route reads what a request carries — form bodies, query strings, route parameters:
 * with zod, from the few field shapes below, at the top of the handler. A schema reads; it
 * does not judge. What is wrong with what a customer typed (an IBAN, a plate, a date, a file)
 * is said by the feature's rules, in words, next to the field.
 *
 * The schemas are parsed in the handler rather than given to Fastify's `schema` option: a
 * form that does not read is answered by the route (the form again with its errors, a
 * redirect, a 404), never by the framework's generic 400.
 */
/** A form's fields. A body that is not a form (absent, JSON text, a list) reads as an empty one. */
export const form = (shape) => z.preprocess((body) => (body && typeof body === 'object' && !Array.isArray(body) ? body : {}), z.object(shape));
/**
 * A text field kept as typed, to be shown back when the form has errors: anything but one
 * string (absent, sent twice) is empty; `max` cuts what is kept. Its rules say what is wrong.
 */
export const typedText = (max = Infinity) => z
    .string()
    .catch('')
    .transform((s) => (s.length > max ? s.slice(0, max) : s));
/** The token every state-changing form carries, for the app's CSRF check (security bar S2). */
export const csrfField = form({ _csrf: z.string().optional().catch(undefined) });
/** A text field of at most `max` characters, empty when absent; longer, the whole body does not read. */
export const boundedText = (max) => z.string().max(max).default('');
/** An address as it is kept and compared (newsletter sign-ups, staff logins): trimmed, lower case. */
export const normalizeEmail = (email) => email.trim().toLowerCase();
/** An e-mail address: trimmed, at most 254 characters (RFC 5321), well formed. */
export const emailAddress = z.string().trim().max(254).pipe(z.email());
/** A checkbox: ticked when sent, whatever its value. */
export const checkbox = z
    .string()
    .optional()
    .transform((v) => v !== undefined);
/** A field a form may send several times (checkboxes of the same name): always a list. */
export const repeated = (item) => z
    .union([item, z.array(item)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
/** A query-string flag such as `?envoyee`: set when present, whatever its value. */
export const present = z
    .unknown()
    .optional()
    .transform((v) => v !== undefined);
/** A query parameter a form redirects with (`?papier=oui`): the notice its value names; any other value, none. */
export const noticeParam = (values) => z
    .enum(Object.keys(values))
    .optional()
    .catch(undefined)
    .transform((v) => (v ? values[v] : undefined));
/**
 * A path on this site, to go back to after a form (`/langue`'s `next`, the login's `suite`):
 * one slash and then neither a second one nor a backslash (`//host`, `/\host` would leave the
 * site), visible ASCII only (no scheme, no space, no line break). Never an open redirect.
 */
export const localPath = z
    .string()
    .max(2048)
    .regex(/^\/(?![/\\])[\x21-\x7e]*$/);
/** The page to go on to after a login (`?suite=`, then the forms' hidden `suite`): a local path, or none. */
export const suiteField = localPath.optional().catch(undefined);
/** `?page=` of a paged list: a page number from 1, the first page when absent or wrong. */
export const pageNumber = z.coerce.number().int().min(1).max(10_000).catch(1).default(1);
/** An id as the portal makes them (`randomUUID`, lower case). */
export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
/** The `:token` of a link sent by e-mail: any text; the lookup by its hash says whether it is one. */
export const tokenParams = z.object({ token: z.string() });
/**
 * A route parameter in `format`: its `value` when well formed, null otherwise, and always its
 * `raw` text — what a denial audits (security bar Z1).
 */
export const wellFormed = (format) => z.string().transform((raw) => {
    const read = format.safeParse(raw);
    return { raw, value: read.success ? read.data : null };
});
//# sourceMappingURL=validation.js.map