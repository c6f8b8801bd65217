import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { forUpdate, isUniqueViolation } from '../../db/dialect.ts';
import type { ContactStatus } from '../../db/schema.ts';
import { audit, type RequestMeta } from '../../lib/audit.ts';
import { type Clock, newId } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { recordEvent } from '../../lib/events.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { type ContentStore, assertSha256, sha256Hex } from '../../lib/content-store.ts';
import { verifiedAddresses } from '../customers/customers.service.ts';
import { type RecordedRequest, acknowledgementMail, replyMail, staffAnswerNoticeMail, staffNoticeMail } from './contact.mails.ts';
import { type ContactEvent, type SettableState, type ValidAnswer, type ValidAttachment, type ValidRequest, closedAtAfter, nextState, requestReference } from './contact.rules.ts';
import { operatorSettings } from '../settings/settings.queries.ts';

/*
 * A contact request is stored first and never lost (security bar R1): in one transaction the
 * request, its attachments' rows, the acknowledgement to each verified address of the
 * customer, the notice to the staff and the audit entry. The mails are only queued there; the
 * outbox worker delivers them, whenever the mail server answers (the mails themselves are
 * `contact.mails.ts`). The attachments' bytes are written before, content-addressed: a file
 * named by its SHA-256, never by the customer.
 */

/** An attachment's bytes, checked against their SHA-256 before anyone gets them. */
export async function readAttachment(storage: ContentStore, sha256: string): Promise<Buffer> {
  assertSha256(sha256);
  const bytes = await storage.get(sha256);
  if (!bytes) throw new AppError('contact_attachment_missing', { detail: `attachment ${sha256} is missing from storage` });
  if (sha256Hex(bytes) !== sha256) throw new AppError('contact_attachment_corrupted', { detail: `attachment ${sha256} does not match its SHA-256` });
  return bytes;
}

const parisYear = (d: Date) => new Intl.DateTimeFormat('en', { timeZone: 'Europe/Paris', year: 'numeric' }).format(d);

/** `DEM-2026-000123`: the year's next number. A concurrent request taking it makes the insert fail, and the caller try again. */
async function nextReference(db: Db, year: string): Promise<string> {
  const prefix = `DEM-${year}-`;
  const row = await db
    .selectFrom('contact_requests')
    .select((eb) => eb.fn.max('reference').as('last'))
    .where('reference', 'like', `${prefix}%`)
    .executeTakeFirst();
  const last = row?.last ? Number(String(row.last).slice(prefix.length)) : 0;
  return requestReference(year, (Number.isFinite(last) ? last : 0) + 1);
}

export interface CreatedRequest {
  id: string;
  reference: string;
  acknowledgedTo: string[];
}

export interface CreateContext {
  db: Db;
  clock: Clock;
  config: Config;
  storage: ContentStore;
  customerId: string;
  /** Where the request came from, for the audit log (and the signature's evidence). */
  meta: RequestMeta;
}

type StoredAttachment = ValidAttachment & { sha256: string };

export async function createContactRequest(c: CreateContext, request: ValidRequest): Promise<CreatedRequest> {
  // Bytes first, outside the transaction: a file without a row is harmless, a row without its file is not.
  const stored = await storeFiles(c.storage, request.attachments);

  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(c.db, (trx) => recordRequest(trx, c, request, stored));
    } catch (e) {
      // Two requests took the same number at once: the loser takes the next one. The same
      // form sent twice at once: the second finds the first's request on its next attempt.
      if (isUniqueViolation(e) && attempt < 10) continue;
      throw e;
    }
  }
}

/** In one transaction: the request and its attachments, the e-mails it causes, its audit entry. */
async function recordRequest(trx: Db, c: CreateContext, request: ValidRequest, stored: StoredAttachment[]): Promise<CreatedRequest> {
  const { clock, config } = c;
  const customer = await trx.selectFrom('customers').selectAll().where('id', '=', c.customerId).executeTakeFirstOrThrow();
  const contract = request.contractNumber
    ? await trx
        .selectFrom('contracts')
        .select(['id', 'number'])
        .where('customer_id', '=', c.customerId)
        .where('number', '=', request.contractNumber)
        .executeTakeFirstOrThrow()
    : null;
  // The same form sent twice (a double click, a reload): the request it already made.
  if (request.submissionId) {
    const earlier = await trx
      .selectFrom('contact_requests')
      .select(['id', 'reference'])
      .where('customer_id', '=', c.customerId)
      .where('submission_id', '=', request.submissionId)
      .executeTakeFirst();
    if (earlier) return { id: earlier.id, reference: earlier.reference, acknowledgedTo: verifiedAddresses(customer) };
  }

  const now = clock.now();
  const at = now.toISOString();
  const id = newId();
  const reference = await nextReference(trx, parisYear(now));
  await insertRequest(trx, { id, reference, customerId: c.customerId, contractId: contract?.id ?? null, request, stored, at });

  const addresses = verifiedAddresses(customer);
  const recorded: RecordedRequest = {
    reference,
    category: request.category,
    contractNumber: contract?.number ?? null,
    message: request.message,
    newPlate: request.newPlate,
    effectiveDate: request.effectiveDate,
    files: stored.map((a) => ({ original_name: a.originalName, content_type: a.contentType, size_bytes: a.bytes.length })),
    at,
  };
  // The acknowledgement to each verified address of the customer; the staff's notice, in French.
  const acknowledgement = acknowledgementMail(config, customer, recorded);
  for (const to of addresses) {
    await enqueueMail(trx, clock, config, { to, lang: customer.language, dedupeKey: `contact-ack:${id}:${to}`, content: acknowledgement });
  }
  await enqueueMail(trx, clock, config, {
    to: (await operatorSettings(trx, config)).staff_notification_email,
    lang: 'fr',
    dedupeKey: `contact-staff:${id}`,
    content: staffNoticeMail(config, customer, recorded, addresses.length > 0),
  });

  await audit(trx, clock, {
    actor_type: 'customer',
    actor_id: c.customerId,
    action: 'contact.create',
    outcome: 'success',
    target_type: 'contact_request',
    target_id: reference,
    ...c.meta,
    details: { category: request.category, contract: contract?.number ?? null, attachments: stored.length, acknowledgements: addresses.length },
  });
  await recordEvent(trx, clock, {
    type: 'contact_request.created',
    customerId: c.customerId,
    subjectId: id,
    origin: 'customer',
    payload: {
      reference,
      category: request.category,
      contract_number: contract?.number ?? null,
      message: request.message,
      new_plate: request.newPlate,
      effective_date: request.effectiveDate,
      attachments: stored.length,
    },
  });
  return { id, reference, acknowledgedTo: addresses };
}

/** Stores the files' bytes, before the transaction that records their rows. */
async function storeFiles(storage: ContentStore, files: ValidAttachment[]): Promise<StoredAttachment[]> {
  const stored: StoredAttachment[] = [];
  for (const a of files) stored.push({ ...a, sha256: await storage.put(a.bytes) });
  return stored;
}

/** The rows of attachments stored for a request, or for one of its messages. */
function attachmentRows(requestId: string, messageId: string | null, stored: StoredAttachment[], at: string) {
  return stored.map((a) => ({
    id: newId(),
    request_id: requestId,
    message_id: messageId,
    original_name: a.originalName,
    content_type: a.contentType,
    size_bytes: a.bytes.length,
    sha256: a.sha256,
    created_at: at,
  }));
}

/** The request's row and its attachments' rows. */
async function insertRequest(
  trx: Db,
  r: { id: string; reference: string; customerId: string; contractId: string | null; request: ValidRequest; stored: StoredAttachment[]; at: string },
): Promise<void> {
  await trx
    .insertInto('contact_requests')
    .values({
      id: r.id,
      reference: r.reference,
      customer_id: r.customerId,
      contract_id: r.contractId,
      category: r.request.category,
      message: r.request.message,
      new_plate: r.request.newPlate,
      effective_date: r.request.effectiveDate,
      status: 'received',
      submission_id: r.request.submissionId,
      created_at: r.at,
      updated_at: r.at,
    })
    .execute();
  if (r.stored.length === 0) return;
  await trx.insertInto('contact_attachments').values(attachmentRows(r.id, null, r.stored, r.at)).execute();
}

// ---------------------------------------------------------------- the conversation

/** A transaction retried once when a unique index refuses it: the same form sent twice at once finds the first's row. */
async function onceForTheSameForm<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(db, work);
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    return inTransaction(db, work);
  }
}

/** The request of this reference, locked to the end of the transaction; not found is a 404. */
async function lockRequest(trx: Db, reference: string, customerId?: string) {
  const request = await forUpdate(
    trx,
    trx
      .selectFrom('contact_requests')
      .select(['id', 'reference', 'customer_id', 'category', 'status', 'closed_at', 'assigned_staff_id', 'created_at'])
      .where('reference', '=', reference)
      .$if(customerId !== undefined, (q) => q.where('customer_id', '=', customerId!)),
  ).executeTakeFirst();
  if (!request) throw notFound(`contact request ${reference}`);
  return request;
}

type LockedRequest = Awaited<ReturnType<typeof lockRequest>>;

/** Moves the request to the state `event` leads to (and its closing date with it); returns that state. */
async function applyEvent(trx: Db, request: LockedRequest, event: ContactEvent, at: string, set: { assigned_staff_id?: string | null } = {}): Promise<ContactStatus> {
  const status = nextState(request.status, event);
  await trx
    .updateTable('contact_requests')
    .set({ status, closed_at: closedAtAfter(request, status, at), updated_at: at, ...set })
    .where('id', '=', request.id)
    .execute();
  return status;
}

/** The message of a form already recorded on this request (sent twice), if any. */
async function earlierMessage(trx: Db, requestId: string, submissionId: string | null) {
  if (!submissionId) return undefined;
  return trx.selectFrom('contact_messages').select('id').where('request_id', '=', requestId).where('submission_id', '=', submissionId).executeTakeFirst();
}

/** Who acts in the back office, and from where. */
export interface StaffActionContext {
  db: Db;
  clock: Clock;
  config: Config;
  staffId: string;
  meta: RequestMeta;
}

/** Every staff action on a request is audited against its customer. */
const auditStaffAction = (trx: Db, c: StaffActionContext, action: string, request: LockedRequest, details: Record<string, unknown>) =>
  audit(trx, c.clock, {
    actor_type: 'staff',
    actor_id: c.staffId,
    action,
    outcome: 'success',
    target_type: 'customer',
    target_id: request.customer_id,
    ...c.meta,
    details: { reference: request.reference, ...details },
  });

/**
 * Assigns the request to an active member (or to nobody): a new request is then in progress.
 * Refused, as a value, when the member is not one of the active staff.
 */
export async function assignRequest(c: StaffActionContext, reference: string, assigneeId: string | null): Promise<{ ok: true; assigneeName: string | null } | { ok: false }> {
  return inTransaction(c.db, async (trx) => {
    const request = await lockRequest(trx, reference);
    const assignee = assigneeId
      ? await trx.selectFrom('staff_members').select(['id', 'display_name']).where('id', '=', assigneeId).where('state', '=', 'active').executeTakeFirst()
      : null;
    if (assigneeId && !assignee) return { ok: false as const };
    const at = c.clock.now().toISOString();
    const status = await applyEvent(trx, request, assignee ? { kind: 'assigned' } : { kind: 'unassigned' }, at, { assigned_staff_id: assignee?.id ?? null });
    await auditStaffAction(trx, c, 'contact.assign', request, { assignee: assignee?.id ?? null, from: request.status, to: status });
    return { ok: true as const, assigneeName: assignee?.display_name ?? null };
  });
}

/** Sets the request's state by hand; nothing happens (nor is audited) when it is already in it. */
export async function changeRequestState(c: StaffActionContext, reference: string, state: SettableState): Promise<{ changed: boolean }> {
  return inTransaction(c.db, async (trx) => {
    const request = await lockRequest(trx, reference);
    if (request.status === state) return { changed: false };
    await applyEvent(trx, request, { kind: 'set', state }, c.clock.now().toISOString());
    await auditStaffAction(trx, c, 'contact.state', request, { from: request.status, to: state });
    return { changed: true };
  });
}

/** A message of a request's conversation (the customer's answer, a staff reply or an internal note, `staffId` null for the customer); returns its id. */
async function insertMessage(trx: Db, requestId: string, m: { staffId: string | null; body: string; internal: 0 | 1; submissionId: string | null }, at: string): Promise<string> {
  const id = newId();
  await trx
    .insertInto('contact_messages')
    .values({ id, request_id: requestId, author_type: m.staffId === null ? 'customer' : 'staff', staff_id: m.staffId, body: m.body, internal: m.internal, submission_id: m.submissionId, created_at: at })
    .execute();
  return id;
}

/** An internal note: for the staff only, never shown to the customer nor e-mailed. */
export async function addInternalNote(c: StaffActionContext, reference: string, note: { body: string; submissionId: string | null }): Promise<void> {
  await onceForTheSameForm(c.db, async (trx) => {
    const request = await lockRequest(trx, reference);
    if (await earlierMessage(trx, request.id, note.submissionId)) return;
    const at = c.clock.now().toISOString();
    const id = await insertMessage(trx, request.id, { staffId: c.staffId, body: note.body, internal: 1, submissionId: note.submissionId }, at);
    await applyEvent(trx, request, { kind: 'note' }, at);
    await auditStaffAction(trx, c, 'contact.note', request, { message: id, length: note.body.length });
  });
}

/**
 * A reply to the customer: recorded in the conversation ("Mes demandes"), e-mailed to each of
 * their verified addresses in their language, and the request waits for them — or is closed
 * when the agent says so. Returns the addresses written to.
 */
export async function replyToRequest(c: StaffActionContext, reference: string, reply: { body: string; close: boolean; submissionId: string | null }): Promise<{ emailedTo: string[] }> {
  return onceForTheSameForm(c.db, async (trx) => {
    const request = await lockRequest(trx, reference);
    const customer = await trx.selectFrom('customers').selectAll().where('id', '=', request.customer_id).executeTakeFirstOrThrow();
    const addresses = verifiedAddresses(customer);
    if (await earlierMessage(trx, request.id, reply.submissionId)) return { emailedTo: addresses };
    const at = c.clock.now().toISOString();
    const id = await insertMessage(trx, request.id, { staffId: c.staffId, body: reply.body, internal: 0, submissionId: reply.submissionId }, at);
    const status = await applyEvent(trx, request, { kind: 'reply', close: reply.close }, at);
    const content = replyMail(c.config, customer, { reference: request.reference, requestedAt: request.created_at, body: reply.body, closed: status === 'closed' });
    for (const to of addresses) {
      await enqueueMail(trx, c.clock, c.config, { to, lang: customer.language, dedupeKey: `contact-reply:${id}:${to}`, content });
    }
    await auditStaffAction(trx, c, 'contact.reply', request, { message: id, from: request.status, to: status, emailed: addresses.length });
    return { emailedTo: addresses };
  });
}

/** What the customer's answer needs to know of who sends it: as for a new request. */
export type AnswerContext = CreateContext;

/**
 * The customer's answer to one of their requests, with its files: recorded in the
 * conversation, the request back in progress — reopened when it was closed — and the staff
 * told as of a new request. The files' bytes are stored first, as a request's are.
 */
export async function answerRequest(c: AnswerContext, reference: string, answer: ValidAnswer): Promise<void> {
  const stored = await storeFiles(c.storage, answer.attachments);
  await onceForTheSameForm(c.db, async (trx) => {
    const request = await lockRequest(trx, reference, c.customerId);
    if (await earlierMessage(trx, request.id, answer.submissionId)) return;
    const customer = await trx.selectFrom('customers').selectAll().where('id', '=', c.customerId).executeTakeFirstOrThrow();
    const at = c.clock.now().toISOString();
    const id = await insertMessage(trx, request.id, { staffId: null, body: answer.message, internal: 0, submissionId: answer.submissionId }, at);
    if (stored.length > 0) await trx.insertInto('contact_attachments').values(attachmentRows(request.id, id, stored, at)).execute();
    const status = await applyEvent(trx, request, { kind: 'customer_answer' }, at);
    const reopened = request.status === 'closed';
    await enqueueMail(trx, c.clock, c.config, {
      to: (await operatorSettings(trx, c.config)).staff_notification_email,
      lang: 'fr',
      dedupeKey: `contact-answer-staff:${id}`,
      content: staffAnswerNoticeMail(c.config, customer, {
        reference: request.reference,
        category: request.category,
        message: answer.message,
        files: stored.map((a) => ({ original_name: a.originalName, content_type: a.contentType, size_bytes: a.bytes.length })),
        at,
        reopened,
      }),
    });
    await audit(trx, c.clock, {
      actor_type: 'customer',
      actor_id: c.customerId,
      action: 'contact.answer',
      outcome: 'success',
      target_type: 'contact_request',
      target_id: request.reference,
      ...c.meta,
      details: { message: id, attachments: stored.length, from: request.status, to: status },
    });
    await recordEvent(trx, c.clock, {
      type: 'contact_request.answered',
      customerId: c.customerId,
      subjectId: request.id,
      origin: 'customer',
      payload: { reference: request.reference, message: answer.message, attachments: stored.length, reopened },
    });
  });
}
