import type { Insertable, Selectable } from 'kysely';
import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { forUpdate, isUniqueViolation } from '../../db/dialect.ts';
import type { Language, MandateEndReason, SepaMandateTable } from '../../db/schema.ts';
import { audit, type RequestMeta } from '../../lib/audit.ts';
import { type Clock, DAY, newId, nowIso } from '../../lib/clock.ts';
import { AppError, type ErrorCode, isAppError } from '../../lib/errors.ts';
import { recordEvent } from '../../lib/events.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { type ContentStore, sha256Hex } from '../../lib/content-store.ts';
import { displayName, lockCustomer, mailVerifiedAddresses } from '../customers/customers.service.ts';
import { type MandateFacts, type MandateNotice, mandateNoticeMail, signingCodeMail } from './direct-debit.mails.ts';
import { mandateParties, renderSignedMandatePdf } from './direct-debit.pdf.ts';
import {
  type MandateContract,
  type MandateCustomer,
  latestCode,
  mandateContracts,
  mandateInForce,
  mandateCustomer,
} from './direct-debit.queries.ts';
import {
  CODE_MAX_TRIES,
  CODE_RESEND_MS,
  CODE_TTL_MS,
  CODES_PER_DAY,
  type ValidMandate,
  codeMatches,
  hashSigningCode,
  ibanLast4,
  isOnlineRumOf,
  maskIban,
  newRum,
  newSigningCode,
  signingAddress,
} from './direct-debit.rules.ts';
import { openIban, sealIban, storeMandatePdf } from './direct-debit.secrets.ts';
import { operatorSettings } from '../settings/settings.queries.ts';

/*
 * The life of a SEPA mandate signed online:
 *
 *   form ──► awaiting_signature ──(one-time code)──► to_validate ──(staff)──► active
 *                                                         │                     │
 *                                                         ├──(staff)──► rejected │
 *                                                         └──(customer)──► revoked ◄┘
 *
 * This file is the customer's steps (fill in, get a code, sign, revoke) and the purge of
 * mandates never signed; the staff's are `direct-debit.backoffice.ts`. The IBAN and the signed
 * PDF are encrypted at rest (`direct-debit.secrets.ts`); audit entries and e-mails
 * (`direct-debit.mails.ts`) carry the RUM and the masked IBAN, never the IBAN. The one-time
 * code is kept as a salted SHA-256, single use, 10 minutes, 5 tries; only the latest code of a
 * mandate can sign it. Every e-mail is queued in the transaction of the change it tells about (R1).
 */

export interface CustomerRequest {
  db: Db;
  clock: Clock;
  config: Config;
  customerId: string;
  /** Where the request came from, for the audit log (and the signature's evidence). */
  meta: RequestMeta;
}

/** How many rows an update changed: 0 when its guard (a status, a try count…) no longer held. */
export const updatedRows = (r: { numUpdatedRows?: bigint }) => Number(r.numUpdatedRows ?? 0);

/** What a notice says about a mandate and its contracts. */
export const noticeFacts = (m: { rum: string; iban_country: string; iban_last4: string }, contracts: MandateContract[], at: string): MandateFacts => ({
  rum: m.rum,
  maskedIban: maskIban(m.iban_country, m.iban_last4),
  contracts: contracts.map((k) => k.number),
  at,
});

/** What a mandate's event needs of its row (`recordMandateEvent`). */
export type MandateEventRow = Pick<MandateRow, 'id' | 'customer_id' | 'rum' | 'source' | 'holder_name' | 'holder_address' | 'iban_country' | 'iban_last4' | 'bic' | 'signed_at'>;

/** The columns `MandateEventRow` reads. */
export const mandateEventColumns = ['id', 'customer_id', 'rum', 'source', 'holder_name', 'holder_address', 'iban_country', 'iban_last4', 'bic', 'signed_at'] as const;

/**
 * Tells the ERP's mandates feed what became of a mandate (`lib/events.ts`), in the transaction
 * of the change: the masked IBAN only (the feed decrypts the IBAN for a client allowed to read it).
 */
export async function recordMandateEvent(
  trx: Db,
  clock: Clock,
  type: 'mandate.signed' | 'mandate.validated' | 'mandate.rejected' | 'mandate.revoked',
  m: MandateEventRow,
  contracts: { number: string }[],
  after: {
    status: 'to_validate' | 'active' | 'rejected' | 'revoked';
    origin: 'customer' | 'staff' | 'system';
    signedAt?: string;
    rejectionReason?: string;
    previousStatus?: 'to_validate' | 'active';
    endReason?: MandateEndReason;
    /** A change of bank account: the RUM of the mandate this one replaces. */
    replacesRum?: string | null;
  },
): Promise<void> {
  await recordEvent(trx, clock, {
    type,
    customerId: m.customer_id,
    subjectId: m.id,
    origin: after.origin,
    payload: {
      rum: m.rum,
      status: after.status,
      source: m.source,
      holder_name: m.holder_name,
      holder_address: m.holder_address,
      iban_masked: maskIban(m.iban_country, m.iban_last4),
      bic: m.bic,
      signed_at: after.signedAt ?? m.signed_at,
      contracts: contracts.map((k) => k.number),
      rejection_reason: after.rejectionReason ?? null,
      previous_status: after.previousStatus ?? null,
      end_reason: after.endReason ?? null,
      replaces_rum: after.replacesRum ?? null,
    },
  });
}

/** Queues a notice about a mandate to each verified address of its customer. */
export async function queueMandateNotice(
  trx: Db,
  clock: Clock,
  config: Config,
  customer: MandateCustomer,
  kind: MandateNotice,
  mandateId: string,
  f: MandateFacts,
) {
  const content = mandateNoticeMail(config, customer, kind, f);
  await mailVerifiedAddresses(trx, clock, config, customer, `mandate-${kind}`, mandateId, content);
}

/** Writes a new one-time code for a mandate and queues it to `sentTo`; returns the code row's id. */
/** What a new mandate's form starts with about its holder: the customer's name and postal address (the street on one line). */
export function holderPrefill(customer: Parameters<typeof displayName>[0] & { address_line1: string; address_line2: string | null; postal_code: string; city: string; country: string }) {
  return {
    holder: displayName(customer),
    street: [customer.address_line1, customer.address_line2].filter(Boolean).join(', '),
    postal_code: customer.postal_code,
    city: customer.city,
    country: customer.country,
  };
}

/** The customer's current (not ended) contracts among these ids, by number; an id that is not one of them is a bug of the form. */
export async function ownCurrentContracts(trx: Db, customerId: string, contractIds: string[]) {
  const contracts = await trx
    .selectFrom('contracts')
    .select(['id', 'number'])
    .where('customer_id', '=', customerId)
    .where('status', '!=', 'ended')
    .where('id', 'in', contractIds)
    .orderBy('number')
    .execute();
  if (contracts.length !== contractIds.length) throw new AppError('mandate_contracts');
  return contracts;
}

/**
 * Writes a new mandate and the contracts it covers: the one insert of a mandate, online (awaiting
 * its signature) or on paper (recorded in force by a member of staff, who is `decided_by`).
 */
export async function insertMandate(
  trx: Db,
  config: Config,
  n: { id: string; customerId: string; rum: string; mandate: ValidMandate; contracts: { id: string }[]; now: string },
  state: Pick<Insertable<SepaMandateTable>, 'status' | 'signed_at' | 'source' | 'decided_by' | 'decided_at' | 'replaces_mandate_id'>,
) {
  const m = n.mandate;
  await trx
    .insertInto('sepa_mandates')
    .values({
      id: n.id,
      customer_id: n.customerId,
      rum: n.rum,
      holder_name: m.holderName,
      holder_address: m.holderAddress,
      iban_encrypted: sealIban(config, m.iban),
      iban_last4: ibanLast4(m.iban),
      iban_country: m.ibanCountry,
      bic: m.bic,
      signature_place: m.place,
      signature_evidence: null,
      pdf_sha256: null,
      rejection_reason: null,
      revoked_at: null,
      ...state,
      created_at: n.now,
      updated_at: n.now,
    })
    .execute();
  await trx
    .insertInto('sepa_mandate_contracts')
    .values(n.contracts.map((k) => ({ mandate_id: n.id, contract_id: k.id })))
    .execute();
}

async function issueCode(trx: Db, clock: Clock, config: Config, customer: MandateCustomer, mandate: { id: string; rum: string }, sentTo: string) {
  const code = newSigningCode();
  const now = clock.now();
  const id = newId();
  await trx
    .insertInto('sepa_signing_codes')
    .values({
      id,
      mandate_id: mandate.id,
      code_hash: hashSigningCode(mandate.id, code),
      sent_to: sentTo,
      expires_at: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
      tries: 0,
      used_at: null,
      created_at: now.toISOString(),
    })
    .execute();
  await enqueueMail(trx, clock, config, {
    to: sentTo,
    lang: customer.language,
    dedupeKey: `mandate-code:${id}`,
    content: signingCodeMail(config, customer, mandate.rum, code),
  });
  return id;
}

/** Codes sent to this customer in the last 24 hours, every mandate together. */
async function codesToday(trx: Db, clock: Clock, customerId: string): Promise<number> {
  const since = new Date(clock.now().getTime() - DAY).toISOString();
  const row = await trx
    .selectFrom('sepa_signing_codes as s')
    .innerJoin('sepa_mandates as m', 'm.id', 's.mandate_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('m.customer_id', '=', customerId)
    .where('s.created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---------------------------------------------------------------- the online form

export type CreateRefusal = 'no_verified_email' | 'already_has_mandate' | 'too_many_codes' | 'not_replaceable';
export type CreateResult = { ok: true; mandateId: string; rum: string; sentTo: string } | { ok: false; reason: CreateRefusal };

/**
 * Records the mandate as filled in (awaiting its signature), its contracts, and a one-time
 * code e-mailed to the customer's verified primary address, in one transaction. `shownRum` is
 * the RUM the form showed: kept when it is well formed and this customer's, else a new one.
 *
 * A change of bank account (`replaces`, the id of the customer's active mandate): the new
 * mandate covers the same current contracts as the active one (whatever the form said), which
 * stays in force — and debited — until customer service validates the new one
 * (`direct-debit.backoffice.ts` then revokes it, `end_reason` `replaced`). Refused
 * (`not_replaceable`) when that mandate is not the customer's active one, and
 * (`already_has_mandate`) while another new mandate is signed and waits for validation.
 */
export async function createMandate(c: CustomerRequest, m: ValidMandate, shownRum: string, replaces?: string): Promise<CreateResult> {
  const { db, clock, config } = c;
  for (let attempt = 1; ; attempt++) {
    try {
      return await inTransaction(db, async (trx): Promise<CreateResult> => {
        const customer = await mandateCustomer(trx, c.customerId);
        const sentTo = signingAddress(customer);
        if (!sentTo) return { ok: false, reason: 'no_verified_email' };
        const replaced = replaces ? await replaceableMandate(trx, c.customerId, replaces) : undefined;
        if (replaces && !replaced) return { ok: false, reason: 'not_replaceable' };
        if (await mandateInForce(trx, c.customerId, replaced?.id)) return { ok: false, reason: 'already_has_mandate' };
        if ((await codesToday(trx, clock, c.customerId)) >= CODES_PER_DAY) return { ok: false, reason: 'too_many_codes' };

        // Only the customer's current contracts (the form checked; checked again here, in the transaction);
        // a new bank account's mandate: those of the mandate it replaces.
        const contracts = await ownCurrentContracts(trx, c.customerId, replaced ? replaced.contractIds : m.contractIds);
        const now = nowIso(clock);
        const id = newId();
        const rum = attempt === 1 && isOnlineRumOf(shownRum, customer.number) ? shownRum : newRum(customer.number, clock.now());
        await insertMandate(
          trx,
          config,
          { id, customerId: c.customerId, rum, mandate: m, contracts, now },
          { status: 'awaiting_signature', signed_at: null, source: 'online', replaces_mandate_id: replaced?.id ?? null },
        );
        await issueCode(trx, clock, config, customer, { id, rum }, sentTo);
        await audit(trx, clock, {
          actor_type: 'customer',
          actor_id: c.customerId,
          action: 'mandate.create',
          outcome: 'success',
          target_type: 'mandate',
          target_id: rum,
          ...c.meta,
          details: { iban_country: m.ibanCountry, bic: m.bic !== null, contracts: contracts.map((k) => k.number), code_sent: true, ...(replaced ? { replaces: replaced.rum } : {}) },
        });
        return { ok: true, mandateId: id, rum, sentTo };
      });
    } catch (e) {
      // The RUM shown was taken meanwhile (or, rarely, a random one collided): take a new one.
      if (isUniqueViolation(e) && attempt < 5) continue;
      throw e;
    }
  }
}

/**
 * The customer's active mandate whose bank account they may change online, with its current
 * contracts' ids; undefined when it is not theirs, not active, or covers no current contract.
 */
export async function replaceableMandate(trx: Db, customerId: string, mandateId: string): Promise<{ id: string; rum: string; contractIds: string[] } | undefined> {
  const m = await trx
    .selectFrom('sepa_mandates')
    .select(['id', 'rum'])
    .where('id', '=', mandateId)
    .where('customer_id', '=', customerId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!m) return undefined;
  const contractIds = (await mandateContracts(trx, m.id)).filter((k) => k.status !== 'ended').map((k) => k.id);
  return contractIds.length > 0 ? { ...m, contractIds } : undefined;
}

// ---------------------------------------------------------------- the one-time code

export type ResendResult =
  | { ok: true; sentTo: string }
  | { ok: false; reason: 'not_found' | 'not_awaiting' | 'no_verified_email' | 'too_many_codes' }
  | { ok: false; reason: 'too_soon'; seconds: number };

/** A new code for a mandate awaiting its signature, at most one a minute; the previous one stops working. */
export async function resendCode(c: CustomerRequest, mandateId: string): Promise<ResendResult> {
  const { db, clock, config } = c;
  return inTransaction(db, async (trx): Promise<ResendResult> => {
    const mandate = await trx
      .selectFrom('sepa_mandates')
      .select(['id', 'rum', 'status'])
      .where('id', '=', mandateId)
      .where('customer_id', '=', c.customerId)
      .executeTakeFirst();
    if (!mandate) return { ok: false, reason: 'not_found' };
    // Taking the mandate's row first makes two clicks at once wait for each other (PostgreSQL).
    const locked = await trx
      .updateTable('sepa_mandates')
      .set({ updated_at: nowIso(clock) })
      .where('id', '=', mandateId)
      .where('status', '=', 'awaiting_signature')
      .executeTakeFirst();
    if (updatedRows(locked) === 0) return { ok: false, reason: 'not_awaiting' };
    const customer = await mandateCustomer(trx, c.customerId);
    const sentTo = signingAddress(customer);
    if (!sentTo) return { ok: false, reason: 'no_verified_email' };
    const last = await latestCode(trx, mandateId);
    const wait = last ? new Date(last.created_at).getTime() + CODE_RESEND_MS - clock.now().getTime() : 0;
    if (wait > 0) return { ok: false, reason: 'too_soon', seconds: Math.ceil(wait / 1000) };
    if ((await codesToday(trx, clock, c.customerId)) >= CODES_PER_DAY) return { ok: false, reason: 'too_many_codes' };
    await issueCode(trx, clock, config, customer, mandate, sentTo);
    await audit(trx, clock, {
      actor_type: 'customer',
      actor_id: c.customerId,
      action: 'mandate.code.resend',
      outcome: 'success',
      target_type: 'mandate',
      target_id: mandate.rum,
      ...c.meta,
    });
    return { ok: true, sentTo };
  });
}

// ---------------------------------------------------------------- signing

export type SignResult =
  | { ok: true; rum: string }
  | { ok: false; reason: 'not_found' | 'not_awaiting' | 'no_code' | 'dead' | 'last_try' | 'already_has_mandate' }
  | { ok: false; reason: 'wrong'; remaining: number };

export type SignRequest = CustomerRequest & { storage: ContentStore; /** The language of the page signed on: the PDF's. */ lang?: Language };

type MandateRow = Selectable<SepaMandateTable>;
type SigningCode = NonNullable<Awaited<ReturnType<typeof latestCode>>>;

/** What a signing transaction rolled back for, as the signing page tells it. */
const signingRefusals: Partial<Record<ErrorCode, 'dead' | 'not_awaiting' | 'already_has_mandate'>> = {
  mandate_code_spent: 'dead',
  mandate_not_awaiting: 'not_awaiting',
  mandate_in_force: 'already_has_mandate',
};

/**
 * Signs a mandate with its one-time code: the try is counted and the code compared
 * (`tryCode`); the right code makes the signed PDF (`makeSignedPdf`), then records the
 * signature in one transaction (`recordSignature`). Every refusal is audited.
 */
export async function signMandate(c: SignRequest, mandateId: string, code: string): Promise<SignResult> {
  const { db, clock } = c;
  const mandate = await db
    .selectFrom('sepa_mandates')
    .selectAll()
    .where('id', '=', mandateId)
    .where('customer_id', '=', c.customerId)
    .executeTakeFirst();
  if (!mandate) return { ok: false, reason: 'not_found' };
  if (mandate.status !== 'awaiting_signature') return { ok: false, reason: 'not_awaiting' };
  const auditFailure = (details: Record<string, unknown>) =>
    audit(db, clock, {
      actor_type: 'customer',
      actor_id: c.customerId,
      action: 'mandate.sign',
      outcome: 'failure',
      target_type: 'mandate',
      target_id: mandate.rum,
      ...c.meta,
      details,
    });

  const row = await latestCode(db, mandateId);
  if (!row) return { ok: false, reason: 'no_code' };
  const now = clock.now();
  const refused = await tryCode(db, now, row, code);
  if (refused) {
    await auditFailure(refused.audit);
    return refused.result;
  }
  const signature = await makeSignedPdf(c, mandate, row, now.toISOString());
  try {
    await inTransaction(db, (trx) => recordSignature(trx, c, mandate, row, signature));
  } catch (e) {
    const reason = isAppError(e) ? signingRefusals[e.code] : undefined;
    if (!reason) throw e;
    await auditFailure({ reason });
    return { ok: false, reason };
  }
  return { ok: true, rum: mandate.rum };
}

/**
 * Counts a try on the code, then compares it: the count is an atomic `tries < 5` update, so
 * never more than 5 comparisons per code, even in parallel. Null for the right code; otherwise
 * the answer and what the audit records.
 */
async function tryCode(
  db: Db,
  now: Date,
  row: SigningCode,
  code: string,
): Promise<{ result: Extract<SignResult, { ok: false }>; audit: Record<string, unknown> } | null> {
  const claimed = await db
    .updateTable('sepa_signing_codes')
    .set((eb) => ({ tries: eb('tries', '+', 1) }))
    .where('id', '=', row.id)
    .where('tries', '<', CODE_MAX_TRIES)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (updatedRows(claimed) === 0) {
    return { result: { ok: false, reason: 'dead' }, audit: { reason: row.used_at ? 'code_used' : row.tries >= CODE_MAX_TRIES ? 'code_exhausted' : 'code_expired' } };
  }
  if (codeMatches(row.mandate_id, code, row.code_hash)) return null;
  const after = await db.selectFrom('sepa_signing_codes').select('tries').where('id', '=', row.id).executeTakeFirstOrThrow();
  const remaining = Math.max(0, CODE_MAX_TRIES - after.tries);
  return {
    result: remaining === 0 ? { ok: false, reason: 'last_try' } : { ok: false, reason: 'wrong', remaining },
    audit: { reason: 'wrong_code', remaining },
  };
}

/** A signature made: when, by whom, for which contracts, its PDF as stored and its evidence. */
interface Signature {
  at: string;
  customer: MandateCustomer;
  contracts: MandateContract[];
  pdfSha256: string;
  evidence: Record<string, unknown>;
}

/**
 * The signed mandate's PDF, made with the full IBAN in the language of the page signed on and
 * stored encrypted, and the evidence of the signature. Outside the transaction: a stored file
 * without its row is harmless.
 */
async function makeSignedPdf(c: SignRequest, mandate: MandateRow, row: SigningCode, at: string): Promise<Signature> {
  const { db, config } = c;
  const customer = await mandateCustomer(db, c.customerId);
  const contracts = await mandateContracts(db, mandate.id);
  const lang = c.lang ?? customer.language;
  const pdf = await renderSignedMandatePdf({
    lang,
    ...mandateParties(await operatorSettings(db, config)),
    customerNumber: customer.number,
    rum: mandate.rum,
    holderName: mandate.holder_name,
    holderAddress: mandate.holder_address.split('\n'),
    iban: openIban(config, mandate.iban_encrypted),
    bic: mandate.bic,
    contracts: contracts.map((k) => ({ number: k.number, carPark: k.car_park_name })),
    place: mandate.signature_place ?? '',
    signedAt: at,
    evidence: { sentTo: row.sent_to, sentAt: row.created_at, confirmedAt: at, ip: c.meta.ip },
  });
  const pdfSha256 = await storeMandatePdf(c.storage, config, pdf);
  const evidence = {
    method: 'one-time code by e-mail',
    code_id: row.id,
    code_sent_to: row.sent_to,
    code_sent_at: row.created_at,
    code_hash: row.code_hash,
    tries: row.tries + 1,
    confirmed_at: at,
    ip: c.meta.ip,
    user_agent: c.meta.user_agent?.slice(0, 300) ?? null,
    language: lang,
    /** SHA-256 of the PDF as signed (before its encryption at rest). */
    document_sha256: sha256Hex(pdf),
  };
  return { at, customer, contracts, pdfSha256, evidence };
}

/**
 * In one transaction: the code is spent, the mandate becomes `to_validate` with its date,
 * place and evidence, the confirmation is queued and the signature audited. Throws (rolling
 * it back) when a concurrent request spent the code, signed the mandate or another one first.
 */
async function recordSignature(trx: Db, c: SignRequest, mandate: MandateRow, row: SigningCode, s: Signature): Promise<void> {
  const { clock, config } = c;
  // One mandate in force per customer: the customer's row serialises two signatures at once (PostgreSQL).
  await lockCustomer(trx, c.customerId);
  const spent = await trx.updateTable('sepa_signing_codes').set({ used_at: s.at }).where('id', '=', row.id).where('used_at', 'is', null).executeTakeFirst();
  if (updatedRows(spent) === 0) throw new AppError('mandate_code_spent');
  const signed = await trx
    .updateTable('sepa_mandates')
    .set({
      status: 'to_validate',
      signed_at: s.at,
      signature_evidence: JSON.stringify(s.evidence),
      pdf_sha256: s.pdfSha256,
      updated_at: s.at,
    })
    .where('id', '=', mandate.id)
    .where('customer_id', '=', c.customerId)
    .where('status', '=', 'awaiting_signature')
    .executeTakeFirst();
  if (updatedRows(signed) === 0) throw new AppError('mandate_not_awaiting');
  // A new bank account's mandate is signed beside the active one it replaces.
  if (await mandateInForce(trx, c.customerId, mandate.id, mandate.replaces_mandate_id)) throw new AppError('mandate_in_force');
  await queueMandateNotice(trx, clock, config, s.customer, 'signed', mandate.id, noticeFacts(mandate, s.contracts, s.at));
  await audit(trx, clock, {
    actor_type: 'customer',
    actor_id: c.customerId,
    action: 'mandate.sign',
    outcome: 'success',
    target_type: 'mandate',
    target_id: mandate.rum,
    ...c.meta,
    details: { contracts: s.contracts.map((k) => k.number), code_sent_to: row.sent_to, pdf_sha256: s.pdfSha256 },
  });
  const replaces = mandate.replaces_mandate_id
    ? await trx.selectFrom('sepa_mandates').select('rum').where('id', '=', mandate.replaces_mandate_id).executeTakeFirst()
    : undefined;
  await recordMandateEvent(trx, clock, 'mandate.signed', mandate, s.contracts, { status: 'to_validate', origin: 'customer', signedAt: s.at, replacesRum: replaces?.rum ?? null });
}

// ---------------------------------------------------------------- revocation

export type RevokeResult = { ok: true; rum: string } | { ok: false; reason: 'not_found' | 'not_revocable' };

/** The customer revokes their mandate (signed, to validate or active): no more debits under it. */
export async function revokeMandate(c: CustomerRequest, mandateId: string): Promise<RevokeResult> {
  const { db, clock, config } = c;
  return inTransaction(db, async (trx): Promise<RevokeResult> => {
    const m = await trx
      .selectFrom('sepa_mandates')
      .select([...mandateEventColumns, 'status'])
      .where('id', '=', mandateId)
      .where('customer_id', '=', c.customerId)
      .executeTakeFirst();
    if (!m) return { ok: false, reason: 'not_found' };
    const previousStatus = m.status;
    if (previousStatus !== 'to_validate' && previousStatus !== 'active') return { ok: false, reason: 'not_revocable' };
    const at = nowIso(clock);
    const done = await trx
      .updateTable('sepa_mandates')
      .set({ status: 'revoked', revoked_at: at, end_reason: 'customer', updated_at: at })
      .where('id', '=', mandateId)
      .where('status', '=', m.status)
      .executeTakeFirst();
    if (updatedRows(done) === 0) return { ok: false, reason: 'not_revocable' };
    const contracts = await mandateContracts(trx, mandateId);
    if (m.status === 'active' && contracts.length > 0) {
      await trx.updateTable('contracts').set({ direct_debit: 0 }).where('id', 'in', contracts.map((k) => k.id)).execute();
    }
    const customer = await mandateCustomer(trx, c.customerId);
    await queueMandateNotice(trx, clock, config, customer, 'revoked', mandateId, noticeFacts(m, contracts, at));
    await audit(trx, clock, {
      actor_type: 'customer',
      actor_id: c.customerId,
      action: 'mandate.revoke',
      outcome: 'success',
      target_type: 'mandate',
      target_id: m.rum,
      ...c.meta,
      details: { previous_status: m.status, contracts: contracts.map((k) => k.number) },
    });
    await recordMandateEvent(trx, clock, 'mandate.revoked', m, contracts, { status: 'revoked', origin: 'customer', previousStatus, endReason: 'customer' });
    return { ok: true, rum: m.rum };
  });
}

// ---------------------------------------------------------------- housekeeping

/**
 * A mandate filled in but never signed keeps an encrypted IBAN for nothing: after `days` it is
 * deleted with its codes and contract links (data minimisation). For a periodic job; returns
 * how many were deleted, which is what the audit line says (none when nothing was). Several
 * workers may run it at the same instant: the stale mandates are locked as they are read (in
 * the order of their ids, so two runs never hold each other's), and a second run waits for
 * the first, then finds them gone — on SQLite the transaction holds the whole database.
 */
export async function purgeUnsignedMandates(db: Db, clock: Clock, days = 7): Promise<number> {
  const before = new Date(clock.now().getTime() - days * DAY).toISOString();
  return inTransaction(db, async (trx) => {
    const stale = await forUpdate(
      trx,
      trx.selectFrom('sepa_mandates').select('id').where('status', '=', 'awaiting_signature').where('updated_at', '<', before).orderBy('id'),
    ).execute();
    if (stale.length === 0) return 0;
    const ids = stale.map((m) => m.id);
    await trx.deleteFrom('sepa_signing_codes').where('mandate_id', 'in', ids).execute();
    await trx.deleteFrom('sepa_mandate_contracts').where('mandate_id', 'in', ids).execute();
    const { numDeletedRows } = await trx.deleteFrom('sepa_mandates').where('id', 'in', ids).where('status', '=', 'awaiting_signature').executeTakeFirstOrThrow();
    const deleted = Number(numDeletedRows);
    if (deleted > 0) await audit(trx, clock, { actor_type: 'system', action: 'mandate.purge_unsigned', outcome: 'success', details: { count: deleted, older_than_days: days } });
    return deleted;
  });
}
