import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import type { CustomerUserRole } from '../../db/schema.ts';
import { type RequestMeta, type StaffActor, audit } from '../../lib/audit.ts';
import { type Clock, DAY, HOUR, newId, nowIso } from '../../lib/clock.ts';
import { type FormErrors, addError } from '../../lib/forms.tsx';
import { publicUrl } from '../../lib/links.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { hashToken, isTokenShaped, newToken } from '../../lib/tokens.ts';
import { destroyUserSessions } from '../auth/sessions.ts';
import { loginKey } from '../auth/throttle.ts';
import { mailCustomerColumns } from '../auth/verify.service.ts';
import { invitationMail, userResetMail } from './users.mails.ts';
import { type InviteValues, inviteErrors } from './users.rules.ts';

/*
 * The users of a business account (issue 14): invited by the owner (a one-time link, its token
 * hashed, 7 days), who choose their password there and then log in with their e-mail address;
 * their role changed, or removed at once (their sessions end). A user who forgot their password
 * gets a new link (1 h) through "Mot de passe oublié" with their address. Every step audited
 * against the account (`target` the customer, the user in the details).
 */

export const INVITATION_TTL_MS = 7 * DAY;
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
    const account = await trx.selectFrom('customers').select(mailCustomerColumns).where('id', '=', customerId).executeTakeFirstOrThrow();
    const id = newId();
    const token = newToken();
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS).toISOString();
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
        token_hash: hashToken(token),
        token_expires_at: expiresAt,
        invited_at: now.toISOString(),
        activated_at: null,
        last_login_at: null,
        removed_at: null,
      })
      .execute();
    const content = invitationMail(config, account, { name, role }, publicUrl(config, `/utilisateur/${token}`), expiresAt);
    await enqueueMail(trx, clock, config, { to: values.email, lang: account.language, dedupeKey: `user-invitation:${id}`, content });
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
 * Uses a link: the password (hashed by the caller) set, the link spent, the user active, every
 * session of theirs ended (no auto-login), the login hold on their address released, audited.
 * Null when the link is no longer valid (two submissions: one sets it).
 */
export async function setUserPassword(db: Db, clock: Clock, token: string, passwordHash: string, meta: RequestMeta): Promise<UserLinkTarget | null> {
  return inTransaction(db, async (trx) => {
    const target = await findUserByToken(trx, clock, token);
    if (!target) return null;
    const now = nowIso(clock);
    const set = await trx
      .updateTable('customer_users')
      .set({ password_hash: passwordHash, state: 'active', activated_at: target.state === 'invited' ? now : undefined, token_hash: null, token_expires_at: null })
      .where('id', '=', target.id)
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (Number(set.numUpdatedRows) !== 1) return null;
    await destroyUserSessions(trx, target.id);
    await trx.deleteFrom('login_throttle').where('key', '=', loginKey(target.email)).execute();
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
