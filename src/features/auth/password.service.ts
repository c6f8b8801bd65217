import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { type Clock, newId, nowIso } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { verifiedAddresses } from '../customers/customers.service.ts';
import { changeUserPassword } from '../users/users.service.ts';
import { passwordChangedMail } from './auth.mails.ts';
import { destroyOwnerSessions } from './sessions.ts';
import { loginKey } from './throttle.ts';
import { mailRecipientColumns } from './verify.service.ts';

/*
 * A new password for an active account, whichever way it comes: a reset link (A6) or the
 * change from Profil (the current password confirmed by the caller). The same consequences
 * either way, in the caller's transaction.
 */

/**
 * Sets the password (hashed by the caller, outside the transaction), spends every pending
 * reset link, ends every session of the owner (not those of the account's users, whose passwords are their own), releases the login hold on their number and
 * queues the "password changed" notice to their verified addresses (deduplicated on `changeId`).
 * Returns false, changing nothing, when the account is not active.
 */
export async function setNewPassword(trx: Db, clock: Clock, config: Config, customerId: string, passwordHash: string, changeId: string): Promise<boolean> {
  const now = nowIso(clock);
  const set = await trx
    .updateTable('customer_logins')
    .set({ password_hash: passwordHash, password_changed_at: now })
    .where('customer_id', '=', customerId)
    .where('state', '=', 'active')
    .executeTakeFirst();
  if (Number(set.numUpdatedRows) !== 1) return false;
  await trx.updateTable('password_resets').set({ used_at: now }).where('customer_id', '=', customerId).where('used_at', 'is', null).execute();
  await destroyOwnerSessions(trx, customerId);
  const c = await trx.selectFrom('customers').select(mailRecipientColumns).where('id', '=', customerId).executeTakeFirstOrThrow();
  await trx.deleteFrom('login_throttle').where('key', '=', loginKey(c.number)).execute();
  const content = passwordChangedMail(config, c, now);
  for (const address of verifiedAddresses(c)) {
    await enqueueMail(trx, clock, config, { to: address, lang: c.language, dedupeKey: `password-changed:${changeId}:${address}`, content });
  }
  return true;
}

/**
 * The password changed from Profil, the current one confirmed by the caller, by whoever is
 * logged in: the account's owner (`userId` null: `setNewPassword`) or a user of the business
 * account (`changeUserPassword`, their own password). Every session of theirs ends (the caller
 * opens a new one for this browser) and they are told by e-mail.
 */
export async function changePassword(db: Db, clock: Clock, config: Config, customerId: string, userId: string | null, passwordHash: string): Promise<void> {
  // A full session belongs to an active account (and user); one locked or removed meanwhile keeps its password.
  if (userId) {
    if (!(await changeUserPassword(db, clock, config, customerId, userId, passwordHash))) throw new AppError('conflict');
    return;
  }
  await inTransaction(db, async (trx) => {
    if (!(await setNewPassword(trx, clock, config, customerId, passwordHash, newId()))) throw new AppError('conflict');
  });
}
