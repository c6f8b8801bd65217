import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { type Clock, newId, nowIso } from '../../lib/clock.ts';
import { type ChangeOrigin, recordEvent } from '../../lib/events.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { emailChangedMail } from '../auth/auth.mails.ts';
import { lockMailRecipient, queueVerification } from '../auth/verify.service.ts';
import { refreshSearchKeys, verifiedAddresses } from '../customers/customers.service.ts';

/*
 * Changing the e-mail addresses — the password-reset channel (security bar A7). The caller
 * has checked the current password. In one transaction: the new addresses are saved, a
 * verification link goes to each address new to the account, and a notice goes to the
 * addresses verified before the change, so the owner learns of a change they did not make.
 * A verification belongs to its address: an address kept (or moved from secondary to
 * primary) stays verified; a new one is not until its link is used.
 */

export interface EmailAddresses {
  primary: string;
  secondary: string | null;
}

export interface EmailChangeResult {
  changed: boolean;
  verificationsQueued: number;
  noticesQueued: number;
}

export async function changeEmailAddresses(
  db: Db,
  clock: Clock,
  config: Config,
  customerId: string,
  next: EmailAddresses,
): Promise<EmailChangeResult> {
  return inTransaction(db, (trx) => applyEmailChange(trx, clock, config, customerId, next, 'customer'));
}

/**
 * The same change inside the caller's transaction (the back office corrects contact details in
 * one, the ERP's PUT writes a customer in one), told to the ERP's feed unless the ERP made it (`origin`).
 */
export async function applyEmailChange(trx: Db, clock: Clock, config: Config, customerId: string, next: EmailAddresses, origin: ChangeOrigin): Promise<EmailChangeResult> {
  // The customer's row is locked first, so two changes at once are applied one after the other.
  const old = await lockMailRecipient(trx, customerId);
  if (old.email_primary === next.primary && (old.email_secondary ?? null) === next.secondary) {
    return { changed: false, verificationsQueued: 0, noticesQueued: 0 };
  }

  const verifiedAt = new Map<string, string>();
  if (old.email_primary && old.email_primary_verified_at) verifiedAt.set(old.email_primary, old.email_primary_verified_at);
  if (old.email_secondary && old.email_secondary_verified_at) verifiedAt.set(old.email_secondary, old.email_secondary_verified_at);
  const now = nowIso(clock);
  await trx
    .updateTable('customers')
    .set({
      email_primary: next.primary,
      email_primary_verified_at: verifiedAt.get(next.primary) ?? null,
      email_secondary: next.secondary,
      email_secondary_verified_at: next.secondary ? (verifiedAt.get(next.secondary) ?? null) : null,
      updated_at: now,
    })
    .where('id', '=', customerId)
    .execute();
  await refreshSearchKeys(trx, customerId);
  // Reset links already sent to the old addresses die with the change: moving away from a
  // mailbox one no longer trusts must close it as a way in.
  await trx.updateTable('password_resets').set({ used_at: now }).where('customer_id', '=', customerId).where('used_at', 'is', null).execute();

  const before = new Set([old.email_primary, old.email_secondary].filter((a): a is string => Boolean(a)));
  let verificationsQueued = 0;
  for (const address of [next.primary, next.secondary]) {
    if (!address || before.has(address)) continue;
    await queueVerification(trx, clock, config, customerId, old, address);
    verificationsQueued++;
  }

  const changeId = newId();
  const content = emailChangedMail(config, old, now, next);
  let noticesQueued = 0;
  for (const to of verifiedAddresses(old)) {
    await enqueueMail(trx, clock, config, { to, lang: old.language, dedupeKey: `email-changed:${changeId}:${to}`, content });
    noticesQueued++;
  }
  await recordEvent(trx, clock, {
    type: 'customer.emails_changed',
    customerId,
    subjectId: customerId,
    origin,
    payload: { primary: next.primary, secondary: next.secondary, primary_verified: verifiedAt.has(next.primary), secondary_verified: next.secondary ? verifiedAt.has(next.secondary) : false },
  });
  return { changed: true, verificationsQueued, noticesQueued };
}
