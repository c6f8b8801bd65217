import { mailRecipientColumns } from './verify.service.ts';
import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import type { Language } from '../../db/schema.ts';
import { type Clock, HOUR, MINUTE, newId, nowIso } from '../../lib/clock.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { verifiedAddresses } from '../customers/customers.service.ts';
import { type MailCustomer, resetMail } from './auth.mails.ts';
import { hashToken, isTokenShaped, newToken } from '../../lib/tokens.ts';
import { setNewPassword } from './password.service.ts';
import { countInWindow, ipKey, retryAfterMs } from './throttle.ts';
import { publicUrl } from '../../lib/links.ts';

/*
 * Password reset by e-mail (security bar A6): a 256-bit token, stored hashed, single use,
 * valid 1 h, sent to every verified address of an active account; issuing one spends the
 * earlier ones, so only the newest link works. Using it sets the new
 * password, spends every pending token of the customer, ends all their sessions (no
 * auto-login) and sends a notice. The request answers the same whatever the customer
 * number (A5); it is throttled per number typed and per IP, in the login throttle table
 * under keys of its own, so it cannot be used to flood a mailbox.
 */

export const RESET_TTL_MS = HOUR;
export const RESET_LIMITS = { perNumber: 3, perIp: 20, windowMs: 15 * MINUTE };

export const resetKeys = (identifier: string, ip: string) => [`reset:${identifier}`, ipKey(ip, 'reset-ip')];

/** Milliseconds before another request may be made for this number from this IP, or 0. */
export const resetRetryAfterMs = (db: Db, clock: Clock, identifier: string, ip: string) => retryAfterMs(db, clock, resetKeys(identifier, ip));

/** Counts one request against the number and the IP; the one that reaches its limit holds the key until its window ends. */
export async function countResetRequest(db: Db, clock: Clock, identifier: string, ip: string): Promise<void> {
  const [numberKey, clientKey] = resetKeys(identifier, ip) as [string, string];
  await countInWindow(db, clock, numberKey, RESET_LIMITS.perNumber, RESET_LIMITS.windowMs);
  await countInWindow(db, clock, clientKey, RESET_LIMITS.perIp, RESET_LIMITS.windowMs);
}

export type ResetRequestOutcome = 'sent' | 'unknown_customer' | 'not_active' | 'no_verified_email';

/**
 * Sends a reset link to the verified addresses of an active account. The caller answers
 * the same page whatever the outcome, which is for the audit log only.
 */
export async function requestPasswordReset(
  db: Db,
  clock: Clock,
  config: Config,
  identifier: string,
): Promise<{ outcome: ResetRequestOutcome; customerId: string | null }> {
  return inTransaction(db, async (trx) => {
    const c = await trx
      .selectFrom('customers as c')
      .innerJoin('customer_logins as a', 'a.customer_id', 'c.id')
      .select(['c.id', ...mailRecipientColumns, 'a.state'])
      .where('c.number', '=', identifier)
      .executeTakeFirst();
    if (!c) return { outcome: 'unknown_customer', customerId: null };
    if (c.state !== 'active') return { outcome: 'not_active', customerId: c.id };
    const to = verifiedAddresses(c);
    if (to.length === 0) return { outcome: 'no_verified_email', customerId: c.id };
    const token = newToken();
    const id = newId();
    const now = clock.now();
    // Only the newest link works: issuing one spends the customer's earlier pending links.
    await trx.updateTable('password_resets').set({ used_at: now.toISOString() }).where('customer_id', '=', c.id).where('used_at', 'is', null).execute();
    await trx
      .insertInto('password_resets')
      .values({
        id,
        customer_id: c.id,
        token_hash: hashToken(token),
        expires_at: new Date(now.getTime() + RESET_TTL_MS).toISOString(),
        used_at: null,
        created_at: now.toISOString(),
      })
      .execute();
    const content = resetMail(config, c, publicUrl(config, `/reinitialiser/${token}`));
    for (const address of to) {
      await enqueueMail(trx, clock, config, { to: address, lang: c.language, dedupeKey: `reset:${id}:${address}`, content });
    }
    return { outcome: 'sent', customerId: c.id };
  });
}

export interface ResetTarget extends MailCustomer {
  resetId: string;
  customerId: string;
  language: Language;
  email_primary: string | null;
  email_secondary: string | null;
}

/** The account a reset link is for, while the link is unused, unexpired and the account active; otherwise null. */
export async function findValidReset(db: Db, clock: Clock, token: unknown): Promise<ResetTarget | null> {
  if (!isTokenShaped(token)) return null;
  const row = await db
    .selectFrom('password_resets as r')
    .innerJoin('customers as c', 'c.id', 'r.customer_id')
    .innerJoin('customer_logins as a', 'a.customer_id', 'c.id')
    .select([
      'r.id as resetId',
      'r.expires_at',
      'r.used_at',
      'c.id as customerId',
      'c.number',
      'c.kind',
      'c.last_name',
      'c.first_name',
      'c.company_name',
      'c.language',
      'c.email_primary',
      'c.email_secondary',
      'a.state',
    ])
    .where('r.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.used_at || Date.parse(row.expires_at) <= clock.now().getTime() || row.state !== 'active') return null;
  const { expires_at: _e, used_at: _u, state: _s, ...target } = row;
  return target;
}

/**
 * Uses a reset token: sets the new password (already hashed by the caller, outside the
 * transaction) with `setNewPassword` — every pending reset token of the customer spent, all
 * their sessions ended, the login hold released, the notice queued — all in one transaction.
 * Returns null when the token is not (or no longer) valid.
 */
export async function completePasswordReset(
  db: Db,
  clock: Clock,
  config: Config,
  token: string,
  passwordHash: string,
): Promise<ResetTarget | null> {
  return inTransaction(db, async (trx) => {
    const target = await findValidReset(trx, clock, token);
    if (!target) return null;
    const now = nowIso(clock);
    // Guarded on used_at: of two submissions of one link, only one sets a password.
    const spent = await trx
      .updateTable('password_resets')
      .set({ used_at: now })
      .where('id', '=', target.resetId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) === 0) return null;
    if (!(await setNewPassword(trx, clock, config, target.customerId, passwordHash, target.resetId))) return null;
    return target;
  });
}
