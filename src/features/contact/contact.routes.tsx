import { requestMeta } from '../../lib/audit.ts';
import multipart, { type Multipart } from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { parisDate } from '../../lib/clock.ts';
import { z } from 'zod';
import { formatDate } from '../../lib/i18n.ts';
import { deniedAsNotFound } from '../../lib/ownership.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { contentStore } from '../../lib/content-store.ts';
import { present, uuid, wellFormed } from '../../lib/validation.ts';
import { fullSessionCustomer } from '../auth/sessions.ts';
import { carParksOfCustomer } from '../public/public.queries.ts';
import { contractChoices, findOwnAttachment, findRequest, listRequests, verifiedAddressesOf } from './contact.queries.ts';
import { type ContactErrors, type ContactValues, MAX_FILE_BYTES, MAX_FILES, type UploadedFile, answerForm, contactForm, validateAnswer, validateRequest } from './contact.rules.ts';
import { answerRequest, createContactRequest, readAttachment } from './contact.service.ts';
import { type AnswerFormData, ContactPageView, RequestView, emptyAnswer, emptyValues } from './contact.views.tsx';
import { requestPath } from './contact.mails.ts';
import { forAccountants } from '../users/users.rules.ts';

/** A request's reference, `DEM-2026-000123`: its `value` when well formed, and its `raw` text. */
export const referenceParam = wellFormed(z.string().regex(/^DEM-\d{4}-\d{6}$/));
const requestParams = z.object({ reference: referenceParam });
export const attachmentParams = z.object({ reference: referenceParam, id: wellFormed(uuid) });
const requestQuery = z.object({ envoyee: present, repondu: present });

/**
 * Sends an attachment so that it is opened safely: always downloaded (`attachment`, never
 * rendered inline), with the type its bytes were found to be when it was received, under
 * `nosniff`, and a policy that would run nothing if a browser displayed it all the same. The
 * name is the one shown (`displayFileName`): plain ASCII in `filename`, the exact name in
 * `filename*` (RFC 6266).
 */
export function sendAttachment(reply: FastifyReply, file: { original_name: string; content_type: string }, bytes: Buffer) {
  const ascii = file.original_name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(file.original_name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return reply
    .type(file.content_type)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('content-length', String(bytes.length))
    .header('cache-control', 'no-store')
    .send(bytes);
}

/** What the multipart parser read of the form: its fields, and its files as bytes. */
interface ParsedUpload {
  files: UploadedFile[];
  tooManyFiles: boolean;
}
const uploads = new WeakMap<FastifyRequest, ParsedUpload>();
/** The files `readContactForm` kept aside (none when the post had no files). */
export const uploadOf = (req: FastifyRequest): ParsedUpload => uploads.get(req) ?? { files: [], tooManyFiles: false };
/** The parts of a multipart post still to read, once its first part — the CSRF token — is read. */
const remainingParts = new WeakMap<FastifyRequest, AsyncIterableIterator<Multipart>>();
/** The parts `readCsrfPart` left to read (another upload form reads its own after the CSRF check). */
export const remainingPartsOf = (req: FastifyRequest) => remainingParts.get(req);

/**
 * Reads only the first part of a multipart post, before the CSRF check (a preValidation
 * hook): the form puts its `_csrf` field first, which becomes `req.body`, so the global
 * preHandler checks the token — and refuses a forged post — before a byte of any file is
 * read. A post whose first part is anything else carries no token, and is refused the same
 * way. (The customer area's guard has already sent a visitor to the login page, on request.)
 */
export async function readCsrfPart(req: FastifyRequest) {
  if (!req.isMultipart()) return; // an urlencoded body (no files) was parsed already
  const parts = req.parts();
  remainingParts.set(req, parts);
  const first = await parts.next();
  const part = first.done ? undefined : first.value;
  req.body = part?.type === 'field' && part.fieldname === '_csrf' && typeof part.value === 'string' ? { _csrf: part.value } : {};
}

/**
 * Reads the rest of the form once its token is checked (a preHandler of the route, run after
 * the global CSRF check): the fields join `req.body`; the files are kept aside. The parser's
 * limits (file size, number of files) do not end the request with a 413: they become errors
 * next to the field, like any other. Another upload form with the same needs reads its own this
 * way too (`uploadOf`: its files), under its plugin's own multipart limits.
 */
export async function readContactForm(req: FastifyRequest, reply: FastifyReply) {
  if (reply.sent) return;
  const upload: ParsedUpload = { files: [], tooManyFiles: false };
  uploads.set(req, upload);
  const parts = remainingParts.get(req);
  if (!parts) return;
  const fields: Record<string, string> = { ...(req.body as Record<string, string>) };
  try {
    for await (const part of parts) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        // An empty file input is sent as one nameless, empty part.
        if (part.filename === '' && bytes.length === 0) continue;
        const truncated = part.file.truncated;
        upload.files.push({ filename: part.filename, bytes: truncated ? Buffer.alloc(0) : bytes, truncated });
      } else if (typeof part.value === 'string' && !Object.hasOwn(fields, part.fieldname)) {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (e) {
    if ((e as { code?: string }).code !== 'FST_FILES_LIMIT') throw e;
    upload.tooManyFiles = true;
  }
  req.body = fields;
}

/**
 * Once a post refused before its files were read is answered (onResponse), the rest of its
 * body is discarded unparsed, as Node does for any body a route leaves unread: the parser
 * no longer holds the connection, which the browser finishes sending on and may reuse.
 */
export async function discardUnreadBody(req: FastifyRequest) {
  if (req.raw.readableEnded) return;
  req.raw.unpipe();
  req.raw.resume();
}

/**
 * The contact page: for everyone, the customer-service contacts; for a logged-in customer,
 * also the form and "Mes demandes".
 */
async function renderContactPage(
  req: FastifyRequest,
  reply: FastifyReply,
  customerId: string | null,
  form: { values: ContactValues; errors: ContactErrors } | null,
  status = 200,
) {
  const { db } = req.server;
  const [parks, contracts, requests] = customerId
    ? await Promise.all([carParksOfCustomer(db, customerId), contractChoices(db, customerId), listRequests(db, customerId)])
    : [[], [], []];
  const operator = req.server.operator;
  const ctx = pageContext(req, reply);
  return sendPage(
    reply,
    ctx,
    ctx.t('contact.title'),
    <ContactPageView
      ctx={ctx}
      operator={operator}
      parks={parks}
      form={customerId ? { contracts, requests, values: form?.values ?? emptyValues(), errors: form?.errors ?? {} } : null}
    />,
    status,
  );
}

/** `GET /contact`, a public page: the form appears when a customer is logged in. */
export const contactPageRoutes: FastifyPluginAsync = async (app) => {
  app.get('/contact', (req, reply) => renderContactPage(req, reply, fullSessionCustomer(req.session)?.id ?? null, null));
};

/** Sending a request and reading one's requests: in the customer area. */
const contactRoutes: FastifyPluginAsync = async (app) => {
  const { db, config, clock } = app;
  const attachments = contentStore(config, 'attachments');

  // Multipart only for this plugin's routes, with its limits: 3 files of 5 MB, a few fields.
  // The area's guard has run before the body is read: nobody uploads anything without a session.
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES, fields: 20, fieldSize: 64 * 1024, parts: 30, headerPairs: 50 },
  });

  app.post('/contact', { ...forAccountants, preValidation: readCsrfPart, preHandler: readContactForm, onResponse: discardUnreadBody }, async (req, reply) => {
    const customerId = req.customer.id;
    const upload = uploads.get(req) ?? { files: [], tooManyFiles: false };
    const values = contactForm.parse(req.body);
    const own = await contractChoices(db, customerId);
    const today = parisDate(clock.now()); // the customer's day
    const result = validateRequest(
      values,
      upload.files,
      upload.tooManyFiles,
      own.map((k) => k.number),
      today,
      (d) => formatDate(d, req.lang),
    );
    if (!result.ok) return renderContactPage(req, reply, customerId, { values, errors: result.errors }, 422);

    const created = await createContactRequest(
      { db, clock, config, storage: attachments, customerId, meta: requestMeta(req) },
      result.request,
    );
    return reply.redirect(`/contact/demandes/${created.reference}?envoyee`, 303);
  });

  /** One of the customer's requests, with its conversation and the answer form (`answer`: as typed, with its errors). */
  async function renderRequest(req: FastifyRequest, reply: FastifyReply, answer: AnswerFormData | null, status = 200) {
    const customerId = req.customer.id;
    const { reference } = requestParams.parse(req.params);
    const request = reference.value ? await findRequest(db, customerId, reference.value) : undefined;
    if (!request) return deniedAsNotFound(req, 'contact_request', reference.raw);
    const q = requestQuery.parse(req.query);
    const sent = q.envoyee ? { addresses: await verifiedAddressesOf(db, customerId) } : null;
    const ctx = pageContext(req, reply);
    return sendPage(
      reply,
      ctx,
      ctx.t('contact.request.title', { reference: request.reference }),
      <RequestView ctx={ctx} request={request} sent={sent} answered={q.repondu && !answer} answer={answer ?? emptyAnswer()} />,
      status,
    );
  }

  app.get('/contact/demandes/:reference', forAccountants, (req, reply) => renderRequest(req, reply, null));

  /** The customer answers back: a message and files, read as the contact form's (CSRF first, F1). */
  app.post('/contact/demandes/:reference/reponse', { ...forAccountants, preValidation: readCsrfPart, preHandler: readContactForm, onResponse: discardUnreadBody }, async (req, reply) => {
    const customerId = req.customer.id;
    const { reference } = requestParams.parse(req.params);
    const owned = reference.value ? await findRequest(db, customerId, reference.value) : undefined;
    if (!owned) return deniedAsNotFound(req, 'contact_request', reference.raw);
    const upload = uploads.get(req) ?? { files: [], tooManyFiles: false };
    const values = answerForm.parse(req.body);
    const result = validateAnswer(values, upload.files, upload.tooManyFiles);
    if (!result.ok) return renderRequest(req, reply, { values, errors: result.errors }, 422);
    await answerRequest({ db, clock, config, storage: attachments, customerId, meta: requestMeta(req) }, owned.reference, result.answer);
    return reply.redirect(`${requestPath(owned.reference)}?repondu#conversation-title`, 303);
  });

  /** An attachment of one of the customer's requests, to its owner only. */
  app.get('/contact/demandes/:reference/pieces/:id', forAccountants, async (req, reply) => {
    const { reference, id } = attachmentParams.parse(req.params);
    const file = reference.value && id.value ? await findOwnAttachment(db, req.customer.id, reference.value, id.value) : undefined;
    if (!file) return deniedAsNotFound(req, 'contact_attachment', `${reference.raw}/${id.raw}`);
    return sendAttachment(reply, file, await readAttachment(attachments, file.sha256));
  });
};

export default contactRoutes;
