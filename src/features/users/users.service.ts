import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import type { CustomerUserRole } from '../../db/schema.ts';
import { type RequestMeta, type StaffActor, audit } from '../../lib/audit.ts';
import { type Clock, HOUR, newId, nowIso } from '../../lib/clock.ts';
import { type FormErrors, addError } from '../../lib/forms.tsx';
import { publicUrl } from '../../lib/links.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { hashToken, isTokenShaped, newToken } from '../../lib/tokens.ts';
import { destroyUserSessions } from '../auth/sessions.ts';
import { countInWindow, loginKey, retryAfterMs } from '../auth/throttle.ts';
import { mailCustomerColumns } from '../auth/verify.service.ts';
import { invitationMail, userPasswordChangedMail, userResetMail } from './users.mails.ts';
import { findOwnUser } from './users.queries.ts';
import { INVITATION_RESEND_WINDOW_MS, INVITATION_RESENDS_PER_DAY, INVITATION_TTL_MS, type InviteValues, inviteErrors } from './users.rules.ts';

/*
 * The users of a business account (issue 14): invited by the owner (a one-time link, its token
 * hashed, 7 days), who choose their password there and then log in with their e-mail address;
 * their role changed, or removed at once (their sessions end); an invitation sent again (a new
 * link, a few a day). A user who forgot their password gets a new link (1 h) through "Mot de
 * passe oublié" with their address; one who knows it changes it from Profil (`changeUserPassword`,
 * through `changePassword`). Every step audited against the account (`target` the customer, the
 * user in the details).
 */

export const USER_RESET_TTL_MS = HOUR;

/** Who changes the users of an account: its owner (from the customer area) or a staff member (the back office). */
export type UsersActor = { kind: 'owner'; customerId: string; meta: RequestMeta } | { kind: 'staff'; actor: StaffActor };

const actorEntry = (a: UsersActor) =>
  a.kind === 'owner' ? ({ actor_type: 'customer', actor_id: a.customerId, ...a.meta } as const) : ({ actor_type: 'staff', actor_id: a.actor.staffId, ...a.actor.meta } as const);

export type InviteResult = { ok: true; email: string } | { ok: false; errors: FormErrors };

/** Invites a colleague: the row, its link e-mailed in the account's language, the audit entry; or what is wrong with the form. */
export async function inviteUser(db: Db, clock: Clock, config: Config, customerId: string, values: InviteValues, meta: RequestMeta): Promise<InviteResult> {
  const errors = inviteErrors(values);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const role = values.role as CustomerUserRole;
  const name = values.name.trim();
  return inTransaction(db, async (trx) => {
    const taken = await trx.selectFrom('customer_users').select('id').where('email', '=', values.email).where('state', '<>', 'removed').executeTakeFirst();
    if (taken) {
      const errs: FormErrors = {};
      addError(errs, 'email', 'users.error.email.taken');
      return { ok: false, errors: errs };
    }
    const id = newId();
    await trx
      .insertInto('customer_users')
      .values({
        id,
        customer_id: customerId,
        email: values.email,
        name,
        role,
        state: 'invited',
        password_hash: null,
        token_hash: null,
        token_expires_at: null,
        invited_at: nowIso(clock),
        activated_at: null,
        last_login_at: null,
        removed_at: null,
      })
      .execute();
    await sendInvitation(trx, clock, config, customerId, { id, email: values.email, name, role });
    await audit(trx, clock, {
      actor_type: 'customer',
      actor_id: customerId,
      action: 'customer.user.invite',
      outcome: 'success',
      target_type: 'customer',
      target_id: customerId,
      ...meta,
      details: { user_id: id, email: values.email, name, role },
    });
    return { ok: true, email: values.email };
  });
}

/**
 * An invitation's link: a new token (only its hash kept; any earlier link no longer works), valid
 * `INVITATION_TTL_MS` from now, e-mailed to the user through the outbox in the account's language.
 * Returns its expiry. In the caller's transaction: the first invitation and each one sent again.
 */
async function sendInvitation(trx: Db, clock: Clock, config: Config, customerId: string, user: { id: string; email: string; name: string; role: CustomerUserRole }): Promise<string> {
  const account = await trx.selectFrom('customers').select(mailCustomerColumns).where('id', '=', customerId).executeTakeFirstOrThrow();
  const token = newToken();
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS).toISOString();
  const tokenHash = hashToken(token);
  await trx.updateTable('customer_users').set({ token_hash: tokenHash, token_expires_at: expiresAt }).where('id', '=', user.id).execute();
  const content = invitationMail(config, account, user, publicUrl(config, `/utilisateur/${token}`), expiresAt);
  // One message per link: two sends at the same instant are two links, each mailed.
  await enqueueMail(trx, clock, config, { to: user.email, lang: account.language, dedupeKey: `user-invitation:${user.id}:${tokenHash.slice(0, 16)}`, content });
  return expiresAt;
}

export type ResendOutcome = { outcome: 'sent'; name: string } | { outcome: 'not_invited' } | { outcome: 'throttled'; retryAfterMs: number } | null;

/**
 * The owner (or customer service) sends an invited user's invitation again (pending or expired): a new link, 7 days
 * from now, the earlier one dead, audited. At most `INVITATION_RESENDS_PER_DAY` a day per user
 * (counted in a window as the reset links are); `not_invited` once the user has chosen a
 * password. Null when the user is not this account's (or removed).
 */
export async function resendInvitation(db: Db, clock: Clock, config: Config, customerId: string, userId: string, by: UsersActor): Promise<ResendOutcome> {
  return inTransaction(db, async (trx) => {
    const user = await findOwnUser(trx, customerId, userId);
    if (!user) return null;
    if (user.state !== 'invited') return { outcome: 'not_invited' as const };
    const key = invitationResendKey(userId);
    const held = await retryAfterMs(trx, clock, [key]);
    if (held > 0) return { outcome: 'throttled' as const, retryAfterMs: held };
    await countInWindow(trx, clock, key, INVITATION_RESENDS_PER_DAY, INVITATION_RESEND_WINDOW_MS);
    const expiresAt = await sendInvitation(trx, clock, config, customerId, user);
    await audit(trx, clock, {
      ...actorEntry(by),
      action: 'customer.user.invitation_resend',
      outcome: 'success',
      target_type: 'customer',
      target_id: customerId,
      details: { user_id: userId, email: user.email, name: user.name, expires_at: expiresAt },
    });
    return { outcome: 'sent' as const, name: user.name };
  });
}

/** The throttle's key of one user's invitations sent again. */
export const invitationResendKey = (userId: string) => `user-invitation:${userId}`;

/** A user's new role (owner only); false when the user is not this account's (or removed). */
export async function changeUserRole(db: Db, clock: Clock, customerId: string, userId: string, role: CustomerUserRole, meta: RequestMeta): Promise<{ name: string } | null> {
  return inTransaction(db, async (trx) => {
    const user = await trx.selectFrom('customer_users').select(['name', 'role']).where('id', '=', userId).where('customer_id', '=', customerId).where('state', '<>', 'removed').executeTakeFirst();
    if (!user) return null;
    if (user.role !== role) {
      await trx.updateTable('customer_users').set({ role }).where('id', '=', userId).execute();
      await audit(trx, clock, {
        actor_type: 'customer',
        actor_id: customerId,
        action: 'customer.user.role',
        outcome: 'success',
        target_type: 'customer',
        target_id: customerId,
        ...meta,
        details: { user_id: userId, name: user.name, from: user.role, to: role },
      });
    }
    return { name: user.name };
  });
}

/**
 * Removes a user at once: no more login, the pending link spent, every session of theirs ended
 * (their next request is a visitor's). Null when the user is not this account's (or already removed).
 */
export async function removeUser(db: Db, clock: Clock, customerId: string, userId: string, by: UsersActor): Promise<{ name: string } | null> {
  return inTransaction(db, async (trx) => {
    const user = await trx.selectFrom('customer_users').select(['name', 'email', 'role']).where('id', '=', userId).where('customer_id', '=', customerId).where('state', '<>', 'removed').executeTakeFirst();
    if (!user) return null;
    await trx.updateTable('customer_users').set({ state: 'removed', removed_at: nowIso(clock), token_hash: null, token_expires_at: null }).where('id', '=', userId).execute();
    await destroyUserSessions(trx, userId);
    await audit(trx, clock, {
      ...actorEntry(by),
      action: 'customer.user.remove',
      outcome: 'success',
      target_type: 'customer',
      target_id: customerId,
      details: { user_id: userId, name: user.name, email: user.email, role: user.role, sessions_ended: 'all' },
    });
    return { name: user.name };
  });
}

/** The user a link (invitation or new password) is for, while it is unused and unexpired; else null. */
export async function findUserByToken(db: Db, clock: Clock, token: unknown) {
  if (!isTokenShaped(token)) return null;
  const row = await db
    .selectFrom('customer_users as u')
    .innerJoin('customers as c', 'c.id', 'u.customer_id')
    .select(['u.id', 'u.email', 'u.name', 'u.role', 'u.state', 'u.token_expires_at', 'u.customer_id', 'c.number', 'c.kind', 'c.last_name', 'c.first_name', 'c.company_name', 'c.language'])
    .where('u.token_hash', '=', hashToken(token))
    .where('u.state', '<>', 'removed')
    .executeTakeFirst();
  if (!row?.token_expires_at || Date.parse(row.token_expires_at) <= clock.now().getTime()) return null;
  return row;
}

export type UserLinkTarget = NonNullable<Awaited<ReturnType<typeof findUserByToken>>>;

/**
 * A user's new password (hashed by the caller, outside the transaction), whichever way it comes —
 * their invitation's link, a new password's link, or the change from Profil —, in the caller's
 * transaction: the password set, any pending link spent, the user active, every session of
 * theirs ended (the owner's and the other users' untouched), the login hold on their address
 * released and, unless it is their first password, the notice e-mailed to their address
 * (deduplicated on `changeId`). The user's sessions as for the owner (`setNewPassword`).
 */
async function setNewUserPassword(
  trx: Db,
  clock: Clock,
  config: Config,
  user: { id: string; email: string; name: string; role: CustomerUserRole; state: string; customer_id: string },
  passwordHash: string,
  changeId: string,
): Promise<void> {
  const now = nowIso(clock);
  await trx
    .updateTable('customer_users')
    .set({ password_hash: passwordHash, state: 'active', activated_at: user.state === 'invited' ? now : undefined, token_hash: null, token_expires_at: null })
    .where('id', '=', user.id)
    .execute();
  await destroyUserSessions(trx, user.id);
  await trx.deleteFrom('login_throttle').where('key', '=', loginKey(user.email)).execute();
  if (user.state === 'invited') return;
  const account = await trx.selectFrom('customers').select(mailCustomerColumns).where('id', '=', user.customer_id).executeTakeFirstOrThrow();
  const content = userPasswordChangedMail(config, account, user, now);
  await enqueueMail(trx, clock, config, { to: user.email, lang: account.language, dedupeKey: `user-password-changed:${changeId}`, content });
}

/**
 * Uses a link: the password (hashed by the caller) set as `setNewUserPassword` does (no
 * auto-login), audited. Null when the link is no longer valid (two submissions: one sets it).
 */
export async function setUserPassword(db: Db, clock: Clock, config: Config, token: string, passwordHash: string, meta: RequestMeta): Promise<UserLinkTarget | null> {
  return inTransaction(db, async (trx) => {
    const target = await findUserByToken(trx, clock, token);
    if (!target) return null;
    // Spent first, guarded on the token: of two submissions, one sets the password.
    const spent = await trx.updateTable('customer_users').set({ token_hash: null, token_expires_at: null }).where('id', '=', target.id).where('token_hash', '=', hashToken(token)).executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) return null;
    await setNewUserPassword(trx, clock, config, target, passwordHash, newId());
    await audit(trx, clock, {
      actor_type: 'customer',
      actor_id: target.customer_id,
      action: target.state === 'invited' ? 'customer.user.activate' : 'customer.user.password_reset',
      outcome: 'success',
      target_type: 'customer',
      target_id: target.customer_id,
      ...meta,
      user: { id: target.id, name: target.name },
      details: { user_id: target.id, email: target.email },
    });
    return target;
  });
}

/**
 * A user changes their own password from Profil, the current one confirmed by the caller:
 * `setNewUserPassword`, in a transaction. False, changing nothing, when the user is no longer
 * active (removed meanwhile).
 */
export async function changeUserPassword(db: Db, clock: Clock, config: Config, customerId: string, userId: string, passwordHash: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const user = await trx
      .selectFrom('customer_users')
      .select(['id', 'email', 'name', 'role', 'state', 'customer_id'])
      .where('id', '=', userId)
      .where('customer_id', '=', customerId)
      .where('state', '=', 'active')
      .executeTakeFirst();
    if (!user) return false;
    await setNewUserPassword(trx, clock, config, user, passwordHash, newId());
    return true;
  });
}

/**
 * "Mot de passe oublié" for a user, by their address: a new link (1 h) to an active user, the
 * earlier one spent. The caller answers the same whatever the outcome (for the audit log only).
 */
export async function requestUserPasswordReset(db: Db, clock: Clock, config: Config, email: string): Promise<{ outcome: 'sent' | 'unknown_customer' | 'not_active'; customerId: string | null }> {
  return inTransaction(db, async (trx) => {
    const user = await trx
      .selectFrom('customer_users as u')
      .innerJoin('customer_logins as a', 'a.customer_id', 'u.customer_id')
      .select(['u.id', 'u.name', 'u.role', 'u.state', 'u.customer_id', 'a.state as account_state'])
      .where('u.email', '=', email)
      .where('u.state', '<>', 'removed')
      .executeTakeFirst();
    if (!user) return { outcome: 'unknown_customer', customerId: null };
    if (user.state !== 'active' || user.account_state !== 'active') return { outcome: 'not_active', customerId: user.customer_id };
    const account = await trx.selectFrom('customers').select(mailCustomerColumns).where('id', '=', user.customer_id).executeTakeFirstOrThrow();
    const token = newToken();
    const now = clock.now();
    await trx
      .updateTable('customer_users')
      .set({ token_hash: hashToken(token), token_expires_at: new Date(now.getTime() + USER_RESET_TTL_MS).toISOString() })
      .where('id', '=', user.id)
      .execute();
    const content = userResetMail(config, account, user, publicUrl(config, `/utilisateur/${token}`));
    await enqueueMail(trx, clock, config, { to: email, lang: account.language, dedupeKey: `user-reset:${user.id}:${now.toISOString()}`, content });
    return { outcome: 'sent', customerId: user.customer_id };
  });
}
