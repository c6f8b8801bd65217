import { audit } from '../../lib/audit.js';
import { nowIso } from '../../lib/clock.js';
import { verifyOrDecoy, verifyPassword } from '../../lib/passwords.js';
import { findLoginByNumber, passwordHashOf } from './auth.queries.js';
import { loginKey, clearLoginFailures, ipKey, oneAtATime, recordFailure, refuseThrottled, retryAfterMs } from './throttle.js';
/** What the account and the two password checks say of an attempt. */
export function loginOutcome(found, passwordOk, temporaryOk, now) {
    if (!found)
        return { failure: 'unknown_customer' };
    if (found.state === 'locked')
        return { failure: 'account_locked' };
    if (passwordOk)
        return { login: 'active' };
    if (!temporaryOk)
        return { failure: 'wrong_password' };
    const expired = !found.temp_password_expires_at || Date.parse(found.temp_password_expires_at) <= now.getTime();
    return expired ? { failure: 'temporary_password_expired' } : { login: 'activation' };
}
/**
 * One login attempt. Attempts on one number run one at a time in this process, so that
 * concurrent guesses cannot all slip past the limit before any is counted.
 */
export function login(db, clock, policy, identifier, password, meta) {
    return oneAtATime(`login:${identifier}`, () => attempt(db, clock, policy, identifier, password, meta));
}
async function attempt(db, clock, policy, identifier, password, meta) {
    const wait = await retryAfterMs(db, clock, [loginKey(identifier), ipKey(meta.ip)]);
    if (wait > 0) {
        const throttled = await refuseThrottled(db, clock, wait, { actor_type: 'anonymous', action: 'auth.login', ...meta, details: { identifier } });
        return { ok: false, reason: 'throttled', throttled };
    }
    const found = await findLoginByNumber(db, identifier);
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
    await clearLoginFailures(db, identifier);
    await db.updateTable('customer_logins').set({ last_login_at: nowIso(clock) }).where('customer_id', '=', customerId).execute();
    await audit(db, clock, {
        actor_type: 'customer',
        actor_id: customerId,
        action: 'auth.login',
        outcome: 'success',
        target_type: 'customer',
        target_id: customerId,
        ...meta,
        details: { identifier, via: outcome.login === 'activation' ? 'temporary_password' : 'password' },
    });
    return { ok: true, customerId, login: outcome.login };
}
/**
 * The current password asked again before a sensitive change (security bar A7), audited as
 * `action`. Held while the login throttle holds the customer's number or the IP (the refusal
 * audited). A wrong one is a guess like any other: the throttle counts it against the number
 * and the IP, and the failure is audited.
 */
export async function confirmPassword(db, clock, policy, customer, password, meta, action) {
    const entry = { actor_type: 'customer', actor_id: customer.id, action, target_type: 'customer', target_id: customer.id, ...meta };
    const wait = await retryAfterMs(db, clock, [loginKey(customer.number), ipKey(meta.ip)]);
    if (wait > 0)
        return { ok: false, throttled: await refuseThrottled(db, clock, wait, entry) };
    if (password) {
        const hash = await passwordHashOf(db, customer.id);
        if (hash && (await verifyPassword(hash, password)))
            return { ok: true };
        await recordFailure(db, clock, policy, customer.number, meta.ip);
    }
    const failure = password ? 'wrong_password' : 'password_missing';
    await audit(db, clock, { ...entry, outcome: 'failure', details: { reason: failure } });
    return { ok: false, failure };
}
//# sourceMappingURL=login.service.js.map