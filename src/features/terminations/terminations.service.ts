import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/dialect.ts';
import type { TerminationChannel } from '../../db/schema.ts';
import { type RequestMeta, type StaffActor, audit } from '../../lib/audit.ts';
import { type Clock, HOUR, newId, nowIso, parisDate } from '../../lib/clock.ts';
import { type EventPayload, recordEvent } from '../../lib/events.ts';
import type { Language } from '../../db/schema.ts';
import { publicUrl } from '../../lib/links.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { normalise } from '../../lib/search.ts';
import { hashToken, newToken } from '../../lib/tokens.ts';
import { verifiedAddresses } from '../customers/customers.service.ts';
import { ipKey, countInWindow, retryAfterMs } from '../auth/throttle.ts';
import { MINUTE } from '../../lib/clock.ts';
import { acknowledgementMail, confirmLinkMail, withdrawnMail } from './terminations.mails.ts';
import { type ContractToTerminate, type TerminationRecord, contractToTerminate, terminationRecord, validTerminationLink } from './terminations.queries.ts';
import { type ChosenDate, type NotTerminable, checkChosenDate, earliestEffectiveDate, mayChooseDate, whyNotTerminable, withdrawable } from './terminations.rules.ts';

/*
 * Ending a contract online (L215-1-1). Each change — a termination asked, withdrawn,
 * processed — writes, in one transaction, its row, its e-mail (the acknowledgement is the
 * durable medium), its event for the ERP's `terminations` feed and its audit entry.
 *
 * The public page (`/resilier`) answers the same whatever was typed: when the customer
 * number, the name and the contract number match, a link (a token, hashed at rest, valid
 * 24 h, single use) goes to the address typed, which leads to the same summary and
 * confirmation as Contrats; the acknowledgement goes to that address and to the customer's
 * verified addresses, so that the holder of the contract always learns of it.
 */

export const LINK_TTL_MS = 24 * HOUR;
/** The public page is throttled as the password reset is: per customer number typed and per IP. */
export const PUBLIC_LIMITS = { perNumber: 3, perIp: 20, windowMs: 15 * MINUTE };

const publicKeys = (number: string, ip: string) => [`terminate:${number}`, ipKey(ip, 'terminate-ip')];

export const publicRetryAfterMs = (db: Db, clock: Clock, number: string, ip: string) => retryAfterMs(db, clock, publicKeys(number, ip));

export async function countPublicRequest(db: Db, clock: Clock, number: string, ip: string): Promise<void> {
  const [numberKey, clientKey] = publicKeys(number, ip) as [string, string];
  await countInWindow(db, clock, numberKey, PUBLIC_LIMITS.perNumber, PUBLIC_LIMITS.windowMs);
  await countInWindow(db, clock, clientKey, PUBLIC_LIMITS.perIp, PUBLIC_LIMITS.windowMs);
}

/** What the summary shows before the customer confirms: when it would take effect, or why it cannot be asked. */
export type TerminationPreview =
  | { ok: true; earliest: string; effective: string; mayChoose: boolean }
  | { ok: false; why: NotTerminable }
  | { ok: false; why: 'date'; earliest: string; error: Extract<ChosenDate, { ok: false }> };

export function previewTermination(found: ContractToTerminate, today: string, typedDate: string): TerminationPreview {
  const why = whyNotTerminable(found.contract, today, found.current);
  if (why) return { ok: false, why };
  const earliest = earliestEffectiveDate(found.contract, today);
  const mayChoose = mayChooseDate(found.contract.kind);
  if (!mayChoose) return { ok: true, earliest, effective: earliest, mayChoose };
  const chosen = checkChosenDate(typedDate, earliest, found.contract.end_date);
  if (!chosen.ok) return { ok: false, why: 'date', earliest, error: chosen };
  return { ok: true, earliest, effective: chosen.date, mayChoose };
}

const reference = () => `RES-${newToken().replace(/[^A-Za-z0-9]/g, '').slice(0, 8).toUpperCase()}`;

const facts = (r: TerminationRecord): EventPayload<'contract.termination_requested'> => ({
  reference: r.reference,
  contract_number: r.contract_number,
  car_park: r.car_park_code,
  status: r.status,
  channel: r.channel,
  requested_at: r.requested_at,
  effective_date: r.effective_date,
  badge_number: r.badge_number,
});

export interface TerminationAsked {
  customerId: string;
  contractNumber: string;
  typedDate: string;
  channel: TerminationChannel;
  /** The address typed on the public page; logged in: the customer's verified addresses. */
  address: string | null;
  /** The public page's link, spent in the same transaction. */
  linkId: string | null;
  meta: RequestMeta;
}

export type TerminationOutcome = { ok: true; termination: TerminationRecord } | { ok: false; preview: Exclude<TerminationPreview, { ok: true }> | { ok: false; why: 'unknown' } };

/** Records a termination, its acknowledgement, its event and its audit entry; or says why not (nothing written). */
export async function requestTermination(db: Db, clock: Clock, config: Config, a: TerminationAsked): Promise<TerminationOutcome> {
  try {
    return await recordTermination(db, clock, config, a);
  } catch (e) {
    // Two confirmations at once: the partial unique index keeps one termination per contract.
    if (isUniqueViolation(e)) return { ok: false, preview: { ok: false, why: 'pending' } };
    throw e;
  }
}

function recordTermination(db: Db, clock: Clock, config: Config, a: TerminationAsked): Promise<TerminationOutcome> {
  return inTransaction(db, async (trx) => {
    const found = await contractToTerminate(trx, a.customerId, a.contractNumber);
    if (!found) return { ok: false, preview: { ok: false, why: 'unknown' } };
    const preview = previewTermination(found, parisDate(clock.now()), a.typedDate);
    if (!preview.ok) return { ok: false, preview };
    if (a.linkId) {
      const spent = await trx.updateTable('termination_links').set({ used_at: nowIso(clock) }).where('id', '=', a.linkId).where('used_at', 'is', null).executeTakeFirst();
      if (Number(spent.numUpdatedRows) === 0) return { ok: false, preview: { ok: false, why: 'unknown' } };
    }
    const { contract } = found;
    const to = [...new Set([...(a.address ? [a.address] : []), ...verifiedAddresses(contract), ...(contract.email_primary && !a.address ? [contract.email_primary] : [])])];
    const id = newId();
    const withdrawToken = newToken();
    await trx
      .insertInto('contract_terminations')
      .values({
        id,
        reference: reference(),
        contract_id: contract.id,
        customer_id: contract.customer_id,
        status: 'requested',
        channel: a.channel,
        requested_at: nowIso(clock),
        effective_date: preview.effective,
        chosen_date: preview.effective !== preview.earliest ? 1 : 0,
        acknowledgement_to: to.join(', '),
        withdraw_token_hash: hashToken(withdrawToken),
        withdrawn_at: null,
        processed_at: null,
        processed_by: null,
      })
      .execute();
    const r = (await terminationRecord(trx, id))!;
    const content = acknowledgementMail(config, r, publicUrl(config, `/resilier/retrait/${withdrawToken}`));
    for (const address of to) await enqueueMail(trx, clock, config, { to: address, lang: r.language, dedupeKey: `termination-ack:${id}:${address}`, content });
    await audit(trx, clock, {
      actor_type: a.channel === 'customer_area' ? 'customer' : 'anonymous',
      actor_id: contract.customer_id,
      action: 'termination.request',
      outcome: 'success',
      target_type: 'customer',
      target_id: contract.customer_id,
      ...a.meta,
      details: { reference: r.reference, contract: r.contract_number, effective_date: r.effective_date, channel: a.channel },
    });
    await recordEvent(trx, clock, { type: 'contract.termination_requested', customerId: contract.customer_id, subjectId: id, origin: 'customer', payload: facts(r) });
    return { ok: true, termination: r };
  });
}

export type WithdrawOutcome = { ok: true; termination: TerminationRecord } | { ok: false; why: 'too_late' | 'already' };

/** Withdraws a termination until its effective date (included): its status, the notice e-mail, the event, the audit entry. */
export async function withdrawTermination(db: Db, clock: Clock, config: Config, id: string, how: 'customer_area' | 'email_link', meta: RequestMeta): Promise<WithdrawOutcome> {
  return inTransaction(db, async (trx) => {
    const before = await terminationRecord(trx, id);
    if (!before || before.status === 'withdrawn') return { ok: false, why: 'already' };
    if (!withdrawable(before, parisDate(clock.now()))) return { ok: false, why: 'too_late' };
    const done = await trx
      .updateTable('contract_terminations')
      .set({ status: 'withdrawn', withdrawn_at: nowIso(clock) })
      .where('id', '=', id)
      .where('status', '<>', 'withdrawn')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return { ok: false, why: 'already' };
    const r = (await terminationRecord(trx, id))!;
    const content = withdrawnMail(config, r);
    for (const address of r.acknowledgement_to.split(', ').filter(Boolean)) {
      await enqueueMail(trx, clock, config, { to: address, lang: r.language, dedupeKey: `termination-withdrawn:${id}:${address}`, content });
    }
    await audit(trx, clock, {
      actor_type: how === 'customer_area' ? 'customer' : 'anonymous',
      actor_id: r.customer_id,
      action: 'termination.withdraw',
      outcome: 'success',
      target_type: 'customer',
      target_id: r.customer_id,
      ...meta,
      details: { reference: r.reference, contract: r.contract_number, via: how },
    });
    await recordEvent(trx, clock, { type: 'contract.termination_withdrawn', customerId: r.customer_id, subjectId: id, origin: 'customer', payload: facts(r) });
    return { ok: true, termination: r };
  });
}

/** Customer service marks a termination processed (badge back, final invoice or credit note issued); false when it no longer waits. */
export async function processTermination(db: Db, clock: Clock, actor: StaffActor, id: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const done = await trx
      .updateTable('contract_terminations')
      .set({ status: 'processed', processed_at: nowIso(clock), processed_by: actor.staffId })
      .where('id', '=', id)
      .where('status', '=', 'requested')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return false;
    const r = (await terminationRecord(trx, id))!;
    await audit(trx, clock, {
      actor_type: 'staff',
      actor_id: actor.staffId,
      action: 'termination.process',
      outcome: 'success',
      target_type: 'customer',
      target_id: r.customer_id,
      ...actor.meta,
      details: { reference: r.reference, contract: r.contract_number },
    });
    await recordEvent(trx, clock, { type: 'contract.termination_processed', customerId: r.customer_id, subjectId: id, origin: 'staff', payload: facts(r) });
    return true;
  });
}

export interface PublicRequest {
  customerNumber: string;
  name: string;
  contractNumber: string;
  email: string;
}

export type PublicOutcome = 'sent' | 'no_match';

/** A name typed matches the customer's: the last name, the company's, or first and last names in either order (case and accents aside). */
function nameMatches(typed: string, c: { last_name: string; first_name: string | null; company_name: string | null }): boolean {
  const n = normalise(typed);
  if (n === '') return false;
  const names = [c.last_name, c.company_name, c.first_name ? `${c.first_name} ${c.last_name}` : null, c.first_name ? `${c.last_name} ${c.first_name}` : null];
  return names.some((x) => x !== null && normalise(x) === n);
}

/**
 * The public page: when the details match a contract of the customer, a link to confirm goes
 * to the address typed (earlier links of the contract spent). The caller answers the same
 * whatever the outcome, which is for the audit log only.
 */
export async function requestTerminationLink(db: Db, clock: Clock, config: Config, p: PublicRequest, lang: Language): Promise<{ outcome: PublicOutcome; customerId: string | null }> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('contracts as k')
      .innerJoin('customers as c', 'c.id', 'k.customer_id')
      .select(['k.id as contract_id', 'k.number as contract_number', 'c.id as customer_id', 'c.last_name', 'c.first_name', 'c.company_name'])
      .where('c.number', '=', p.customerNumber)
      .where('k.number', '=', p.contractNumber)
      .executeTakeFirst();
    if (!row || !nameMatches(p.name, row)) return { outcome: 'no_match', customerId: row?.customer_id ?? null };
    const now = clock.now();
    await trx.updateTable('termination_links').set({ used_at: now.toISOString() }).where('contract_id', '=', row.contract_id).where('used_at', 'is', null).execute();
    const token = newToken();
    const id = newId();
    await trx
      .insertInto('termination_links')
      .values({
        id,
        token_hash: hashToken(token),
        customer_id: row.customer_id,
        contract_id: row.contract_id,
        email: p.email,
        expires_at: new Date(now.getTime() + LINK_TTL_MS).toISOString(),
        used_at: null,
        created_at: now.toISOString(),
      })
      .execute();
    const content = confirmLinkMail(lang, row.contract_number, publicUrl(config, `/resilier/confirmation/${token}`));
    await enqueueMail(trx, clock, config, { to: p.email, lang, dedupeKey: `termination-link:${id}`, content });
    return { outcome: 'sent', customerId: row.customer_id };
  });
}

export { validTerminationLink };
