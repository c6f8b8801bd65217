import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/dialect.ts';
import { audit, type RequestMeta } from '../../lib/audit.ts';
import { type Clock, newId } from '../../lib/clock.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import type { ContentStore } from '../../lib/content-store.ts';
import { verifiedAddresses } from '../customers/customers.service.ts';
import { type RecordedRequest, acknowledgementMail, staffNoticeMail } from './contact.mails.ts';
import type { ValidAttachment, ValidRequest } from './contact.rules.ts';
import { operatorSettings } from '../settings/settings.queries.ts';

/*
 * A contact request is stored first and never lost (security bar R1): in one transaction the
 * request, its attachments' rows, the acknowledgement to each verified address of the
 * customer, the notice to the staff and the audit entry. The mails are only queued there; the
 * outbox worker delivers them, whenever the mail server answers (the mails themselves are
 * `contact.mails.ts`). The attachments' bytes are written before, content-addressed: a file
 * named by its SHA-256, never by the customer.
 */

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
  return `${prefix}${String((Number.isFinite(last) ? last : 0) + 1).padStart(6, '0')}`;
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
  const stored: StoredAttachment[] = [];
  for (const a of request.attachments) stored.push({ ...a, sha256: await c.storage.put(a.bytes) });

  for (let attempt = 1; ; attempt++) {
    try {
      return await c.db.transaction().execute((trx) => recordRequest(trx, c, request, stored));
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
    content: staffNoticeMail(customer, recorded, addresses.length > 0),
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
  return { id, reference, acknowledgedTo: addresses };
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
  await trx
    .insertInto('contact_attachments')
    .values(
      r.stored.map((a) => ({
        id: newId(),
        request_id: r.id,
        original_name: a.originalName,
        content_type: a.contentType,
        size_bytes: a.bytes.length,
        sha256: a.sha256,
        created_at: r.at,
      })),
    )
    .execute();
}
