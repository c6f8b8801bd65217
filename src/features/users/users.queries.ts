import type { Db } from '../../db/database.ts';
import { invitationState } from './users.rules.ts';

/**
 * The users of an account (the removed ones last), as the owner's page and the back office list
 * them; an invited user's invitation as it stands at `now` (pending or expired, and until when).
 */
export async function listUsers(db: Db, customerId: string, now: Date) {
  const rows = await db
    .selectFrom('customer_users')
    .select(['id', 'email', 'name', 'role', 'state', 'invited_at', 'activated_at', 'last_login_at', 'removed_at', 'token_expires_at'])
    .where('customer_id', '=', customerId)
    .orderBy((eb) => eb.case().when('state', '=', 'removed').then(1).else(0).end())
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map(({ token_expires_at, ...u }) => ({ ...u, invitation: invitationState({ state: u.state, token_expires_at }, now) }));
}

export type UserRow = Awaited<ReturnType<typeof listUsers>>[number];

/** One user of this account, not removed; undefined for anyone else's (or a malformed id). */
export function findOwnUser(db: Db, customerId: string, userId: string) {
  return db
    .selectFrom('customer_users')
    .select(['id', 'email', 'name', 'role', 'state'])
    .where('customer_id', '=', customerId)
    .where('id', '=', userId)
    .where('state', '<>', 'removed')
    .executeTakeFirst();
}

/** Whether an account may have users: a business customer's. */
export async function isBusinessAccount(db: Db, customerId: string): Promise<boolean> {
  const row = await db.selectFrom('customers').select('kind').where('id', '=', customerId).executeTakeFirst();
  return row?.kind === 'business';
}

/**
 * A user's login by the address they typed: what a login attempt checks, in the shape of the
 * owner's (`findLoginByNumber`). The account's login state counts too: a locked account locks
 * its users out.
 */
export async function findLoginByEmail(db: Db, email: string) {
  const row = await db
    .selectFrom('customer_users as u')
    .innerJoin('customer_logins as a', 'a.customer_id', 'u.customer_id')
    .select(['u.customer_id as id', 'u.id as user_id', 'u.name as user_name', 'u.state as user_state', 'u.password_hash', 'a.state as account_state'])
    .where('u.email', '=', email)
    .where('u.state', '<>', 'removed')
    .executeTakeFirst();
  if (!row) return undefined;
  const usable = row.user_state === 'active' && (row.account_state === 'active' || row.account_state === 'not_activated');
  return {
    id: row.id,
    state: usable ? 'active' : 'locked',
    password_hash: row.password_hash,
    temp_password_hash: null,
    temp_password_expires_at: null,
    user: { id: row.user_id, name: row.user_name },
  };
}

/** A user's password hash and the address they log in with, for a page that asks for the password again. */
export function userPasswordHashOf(db: Db, userId: string) {
  return db.selectFrom('customer_users').select(['password_hash', 'email']).where('id', '=', userId).executeTakeFirst();
}
