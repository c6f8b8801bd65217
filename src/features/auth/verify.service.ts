import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import type { Language } from '../../db/schema.ts';
import { type Clock, HOUR, MINUTE, newId, nowIso } from '../../lib/clock.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { lockCustomer, verifiedAddressColumns } from '../customers/customers.service.ts';
import { type MailCustomer, paperlessMail, verificationMail } from './auth.mails.ts';
import { hashToken, isTokenShaped, newToken } from '../../lib/tokens.ts';
import { publicUrl } from '../../lib/links.ts';

/*
 * E-mail address verification. Each new address gets a link (256-bit token, only its SHA-256
 * stored, single use, 48 h). The link opens a page whose button POSTs the confirmation, so
 * that a mail scanner following links verifies nothing. Notices go only to verified addresses.
 */

export const VERIFICATION_TTL_MS = 48 * HOUR;
/** At most one link per address in this time when the customer asks for it again. */
export const RESEND_INTERVAL_MS = 5 * MINUTE;

export type EmailSlot = 'primary' | 'secondary';

export const mailCustomerColumns = ['number', 'kind', 'last_name', 'first_name', 'company_name', 'language'] as const;
/** What an e-mail needs to know about its customer, and their addresses with when each was verified. */
export const mailRecipientColumns = [...mailCustomerColumns, 'email_primary', 'email_primary_verified_at', 'email_secondary', 'email_secondary_verified_at'] as const;
/** What a notice needs of a customer joined as `c` beside another table's rows (documents, renewals): its id and kind as `customer_id`, `customer_kind`, its names, language and addresses. */
export const joinedMailRecipientColumns = [
  'c.id as customer_id',
  'c.kind as customer_kind',
  'c.last_name',
  'c.first_name',
  'c.company_name',
  'c.language',
  ...verifiedAddressColumns,
] as const;

/** Locks the customer's row (`lockCustomer`), then reads their `mailRecipientColumns`. */
export async function lockMailRecipient(trx: Db, customerId: string) {
  await lockCustomer(trx, customerId);
  return trx.selectFrom('customers').select(mailRecipientColumns).where('id', '=', customerId).executeTakeFirstOrThrow();
}

/**
 * Creates a verification for `address` and queues its e-mail. Pass the transaction of the
 * change that makes the address new, so both happen or neither.
 */
export async function queueVerification(
  db: Db,
  clock: Clock,
  config: Config,
  customerId: string,
  customer: MailCustomer,
  address: string,
): Promise<void> {
  const token = newToken();
  const id = newId();
  const now = clock.now();
  await db
    .insertInto('email_verifications')
    .values({
      id,
      customer_id: customerId,
      address,
      token_hash: hashToken(token),
      expires_at: new Date(now.getTime() + VERIFICATION_TTL_MS).toISOString(),
      used_at: null,
      created_at: now.toISOString(),
    })
    .execute();
  await enqueueMail(db, clock, config, {
    to: address,
    lang: customer.language,
    dedupeKey: `verify:${id}:${address}`,
    content: verificationMail(config, customer, address, publicUrl(config, `/verification-email/${token}`)),
  });
}

/** Queues a verification for each address of the customer not verified yet (after the first connection). */
export async function queueVerificationsForUnverified(db: Db, clock: Clock, config: Config, customerId: string): Promise<number> {
  const c = await db.selectFrom('customers').select(mailRecipientColumns).where('id', '=', customerId).executeTakeFirstOrThrow();
  let queued = 0;
  for (const [address, verifiedAt] of [
    [c.email_primary, c.email_primary_verified_at],
    [c.email_secondary, c.email_secondary_verified_at],
  ] as const) {
    if (!address || verifiedAt) continue;
    await queueVerification(db, clock, config, customerId, c, address);
    queued++;
  }
  return queued;
}

export type VerificationLookup =
  | { state: 'valid'; id: string; customerId: string; address: string; language: Language }
  | { state: 'used' | 'expired' | 'stale'; customerId: string; language: Language }
  | { state: 'unknown' };

/** What a link's token stands for. A token whose address left the account is "stale". */
export async function lookupVerification(db: Db, clock: Clock, token: string): Promise<VerificationLookup> {
  if (!isTokenShaped(token)) return { state: 'unknown' };
  const row = await db
    .selectFrom('email_verifications as v')
    .innerJoin('customers as c', 'c.id', 'v.customer_id')
    .select(['v.id', 'v.customer_id', 'v.address', 'v.expires_at', 'v.used_at', 'c.email_primary', 'c.email_secondary', 'c.language'])
    .where('v.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) return { state: 'unknown' };
  const base = { customerId: row.customer_id, language: row.language };
  if (row.used_at) return { state: 'used', ...base };
  if (Date.parse(row.expires_at) <= clock.now().getTime()) return { state: 'expired', ...base };
  if (row.address !== row.email_primary && row.address !== row.email_secondary) return { state: 'stale', ...base };
  return { state: 'valid', id: row.id, address: row.address, ...base };
}

export type VerificationResult =
  | { state: 'verified'; customerId: string; address: string; language: Language; slots: EmailSlot[] }
  | Exclude<VerificationLookup, { state: 'valid' }>;

/** Uses the token once: marks the address verified where it still is the customer's. */
export async function confirmVerification(db: Db, clock: Clock, config: Config, token: string): Promise<VerificationResult> {
  return inTransaction(db, async (trx) => {
    const found = await lookupVerification(trx, clock, token);
    if (found.state !== 'valid') return found;
    const now = nowIso(clock);
    // Guarded on used_at: of two confirmations at once, one wins and the other sees "used".
    const claimed = await trx
      .updateTable('email_verifications')
      .set({ used_at: now })
      .where('id', '=', found.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return { state: 'used', customerId: found.customerId, language: found.language };
    const slots: EmailSlot[] = [];
    const primary = await trx
      .updateTable('customers')
      .set({ email_primary_verified_at: now, updated_at: now })
      .where('id', '=', found.customerId)
      .where('email_primary', '=', found.address)
      .where('email_primary_verified_at', 'is', null)
      .executeTakeFirst();
    if (Number(primary.numUpdatedRows) > 0) slots.push('primary');
    const secondary = await trx
      .updateTable('customers')
      .set({ email_secondary_verified_at: now, updated_at: now })
      .where('id', '=', found.customerId)
      .where('email_secondary', '=', found.address)
      .where('email_secondary_verified_at', 'is', null)
      .executeTakeFirst();
    if (Number(secondary.numUpdatedRows) > 0) slots.push('secondary');
    if (slots.length > 0) {
      // Consent given at the first connection could not be confirmed then (no address was
      // verified yet): the first address verified gets that confirmation now.
      const consent = await trx
        .selectFrom('paperless_consents')
        .select(['id', 'given', 'source', 'at'])
        .where('customer_id', '=', found.customerId)
        .orderBy('at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (consent?.given === 1 && consent.source === 'first_login') {
        const c = await trx.selectFrom('customers').select(mailRecipientColumns).where('id', '=', found.customerId).executeTakeFirstOrThrow();
        await enqueueMail(trx, clock, config, {
          to: found.address,
          lang: c.language,
          dedupeKey: `paperless:${consent.id}:first`,
          content: paperlessMail(config, c, true, consent.at),
        });
      }
    }
    return { state: 'verified', customerId: found.customerId, address: found.address, language: found.language, slots };
  });
}

export type ResendOutcome = 'sent' | 'wait' | 'verified' | 'none';

/** A new link for one of the customer's addresses, at most one per RESEND_INTERVAL_MS per address. */
export async function resendVerification(db: Db, clock: Clock, config: Config, customerId: string, slot: EmailSlot): Promise<ResendOutcome> {
  return inTransaction(db, async (trx) => {
    // Two requests at the same instant are serialised, so the interval holds.
    const c = await lockMailRecipient(trx, customerId);
    const address = slot === 'primary' ? c.email_primary : c.email_secondary;
    const verifiedAt = slot === 'primary' ? c.email_primary_verified_at : c.email_secondary_verified_at;
    if (!address) return 'none';
    if (verifiedAt) return 'verified';
    const since = new Date(clock.now().getTime() - RESEND_INTERVAL_MS).toISOString();
    const recent = await trx
      .selectFrom('email_verifications')
      .select('id')
      .where('customer_id', '=', customerId)
      .where('address', '=', address)
      .where('created_at', '>', since)
      .executeTakeFirst();
    if (recent) return 'wait';
    await queueVerification(trx, clock, config, customerId, c, address);
    return 'sent';
  });
}
