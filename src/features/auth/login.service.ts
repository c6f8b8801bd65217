import type { Db } from '../../db/database.ts';
import { type RequestMeta, audit } from '../../lib/audit.ts';
import { type Clock, nowIso } from '../../lib/clock.ts';
import { verifyOrDecoy, verifyPassword } from '../../lib/passwords.ts';
import type { CustomerLogin } from '../../areas/customer-area.ts';
import { findLoginByNumber, passwordHashOf } from './auth.queries.ts';
import { findLoginByEmail, userPasswordHashOf } from '../users/users.queries.ts';
import { isEmailIdentifier } from '../users/users.rules.ts';
import type { CurrentUser } from '../../lib/nav.ts';
import { type Throttled, type ThrottlePolicy, loginKey, clearLoginFailures, ipKey, oneAtATime, recordFailure, refuseThrottled, retryAfterMs } from './throttle.ts';

/*
 * Logging in by customer number — the account's owner — or by e-mail address — a user of a
 * business account (issue 14) — (security bar A1, A4, A5, L1), both with the same throttle,
 * decoy hashing and one message for every failure. One function decides the
 * whole attempt — throttle, both password checks, outcome, counters, audit — so the route
 * only turns its result into a session or a page.
 */

export type LoginResult =
  | { ok: true; customerId: string; login: CustomerLogin; /** The user of a business account who logged in; null: the owner. */ userId: string | null }
  | { ok: false; reason: 'throttled'; throttled: Throttled }
  | { ok: false; reason: 'invalid' };

/** Why an attempt failed, for the audit log only: the customer sees one message for all. */
type Failure = 'unknown_customer' | 'account_locked' | 'temporary_password_expired' | 'wrong_password';

/** What the account and the two password checks say of an attempt. */
export function loginOutcome(
  found: { state: string; temp_password_expires_at: string | null } | undefined,
  passwordOk: boolean,
  temporaryOk: boolean,
  now: Date,
): { login: CustomerLogin } | { failure: Failure } {
  if (!found) return { failure: 'unknown_customer' };
  if (found.state === 'locked') return { failure: 'account_locked' };
  if (passwordOk) return { login: 'active' };
  if (!temporaryOk) return { failure: 'wrong_password' };
  const expired = !found.temp_password_expires_at || Date.parse(found.temp_password_expires_at) <= now.getTime();
  return expired ? { failure: 'temporary_password_expired' } : { login: 'activation' };
}

/**
 * One login attempt. Attempts on one number run one at a time in this process, so that
 * concurrent guesses cannot all slip past the limit before any is counted.
 */
export function login(
  db: Db,
  clock: Clock,
  policy: ThrottlePolicy,
  identifier: string,
  password: string,
  meta: RequestMeta,
): Promise<LoginResult> {
  return oneAtATime(`login:${identifier}`, () => attempt(db, clock, policy, identifier, password, meta));
}

async function attempt(db: Db, clock: Clock, policy: ThrottlePolicy, identifier: string, password: string, meta: RequestMeta): Promise<LoginResult> {
  const wait = await retryAfterMs(db, clock, [loginKey(identifier), ipKey(meta.ip)]);
  if (wait > 0) {
    const throttled = await refuseThrottled(db, clock, wait, { actor_type: 'anonymous', action: 'auth.login', ...meta, details: { identifier } });
    return { ok: false, reason: 'throttled', throttled };
  }

  const found = isEmailIdentifier(identifier) ? await findLoginByEmail(db, identifier) : await findLoginByNumber(db, identifier);
  // Every attempt costs exactly two argon2 verifications — the password and the temporary
  // password, or a decoy in their place — whatever the account, so timing tells nothing (A5).
  const [passwordOk, temporaryOk] = await Promise.all([
    verifyOrDecoy(found?.password_hash, password),
    verifyOrDecoy(found?.temp_password_hash, password),
  ]);
  const outcome = loginOutcome(found, passwordOk, temporaryOk, clock.now());

  if (!found || 'failure' in outcome) {
    await recordFailure(db, clock, policy, identifier, meta.ip);
    await audit(db, clock, {
      actor_type: 'anonymous',
      actor_id: found?.id ?? null,
      action: 'auth.login',
      outcome: 'failure',
      target_type: 'customer',
      target_id: found?.id ?? null,
      ...meta,
      details: { identifier, reason: 'failure' in outcome ? outcome.failure : 'unknown_customer' },
    });
    return { ok: false, reason: 'invalid' };
  }

  const customerId = found.id;
  const user = 'user' in found ? found.user : null;
  await clearLoginFailures(db, identifier);
  if (user) await db.updateTable('customer_users').set({ last_login_at: nowIso(clock) }).where('id', '=', user.id).execute();
  else await db.updateTable('customer_logins').set({ last_login_at: nowIso(clock) }).where('customer_id', '=', customerId).execute();
  await audit(db, clock, {
    actor_type: 'customer',
    actor_id: customerId,
    action: 'auth.login',
    outcome: 'success',
    target_type: 'customer',
    target_id: customerId,
    ...meta,
    user,
    details: { identifier, via: outcome.login === 'activation' ? 'temporary_password' : 'password' },
  });
  return { ok: true, customerId, login: outcome.login, userId: user?.id ?? null };
}

/** What asking for the current password again decided. */
export type PasswordRecheck = { ok: true } | { ok: false; throttled: Throttled } | { ok: false; failure: 'password_missing' | 'wrong_password' };

/**
 * The current password asked again before a sensitive change (security bar A7), audited as
 * `action`. Held while the login throttle holds the customer's number or the IP (the refusal
 * audited). A wrong one is a guess like any other: the throttle counts it against the number
 * and the IP, and the failure is audited.
 */
export async function confirmPassword(
  db: Db,
  clock: Clock,
  policy: ThrottlePolicy,
  customer: { id: string; number: string; user: CurrentUser },
  password: string,
  meta: RequestMeta,
  action: 'customer.email_change' | 'customer.password_change',
): Promise<PasswordRecheck> {
  const entry = { actor_type: 'customer', actor_id: customer.id, action, target_type: 'customer', target_id: customer.id, ...meta } as const;
  // A user of the account confirms with their own password, a guess counted against the address they log in with.
  const userId = customer.user.id;
  const userLogin = userId ? await userPasswordHashOf(db, userId) : null;
  const key = userLogin ? userLogin.email : customer.number;
  const wait = await retryAfterMs(db, clock, [loginKey(key), ipKey(meta.ip)]);
  if (wait > 0) return { ok: false, throttled: await refuseThrottled(db, clock, wait, entry) };
  if (password) {
    const hash = userId ? (userLogin?.password_hash ?? null) : await passwordHashOf(db, customer.id);
    if (hash && (await verifyPassword(hash, password))) return { ok: true };
    await recordFailure(db, clock, policy, key, meta.ip);
  }
  const failure = password ? 'wrong_password' : 'password_missing';
  await audit(db, clock, { ...entry, outcome: 'failure', details: { reason: failure } });
  return { ok: false, failure };
}
