import { isIPv4, isIPv6 } from 'node:net';
import { sql } from 'kysely';
import { audit } from '../../lib/audit.js';
import { MINUTE } from '../../lib/clock.js';
export const loginKey = (identifier) => `login:${identifier}`;
/**
 * The client a per-IP counter counts: an IPv4 address alone (also written IPv4-mapped,
 * `::ffff:a.b.c.d`); an IPv6 address by its /64, the block one line or host is given and
 * within which a client picks any address it likes. Anything else is kept as it is.
 */
export function ipClient(ip) {
    if (isIPv4(ip))
        return ip;
    const groups = ipv6Groups(ip);
    if (!groups)
        return ip;
    if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
        const [hi, lo] = [groups[6], groups[7]];
        return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
    }
    return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}
/** The eight 16-bit groups of an IPv6 address (compressed, with a zone or a dotted IPv4 tail), or null. */
function ipv6Groups(ip) {
    const address = ip.split('%')[0].toLowerCase();
    if (!isIPv6(address))
        return null;
    const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
    const hex = dotted
        ? `${address.slice(0, dotted.index)}${((+dotted[1] << 8) | +dotted[2]).toString(16)}:${((+dotted[3] << 8) | +dotted[4]).toString(16)}`
        : address;
    const [head, tail] = hex.split('::');
    const parse = (part) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
    const [before, after] = [parse(head), parse(tail)];
    const zeros = tail === undefined ? [] : Array(8 - before.length - after.length).fill(0);
    return [...before, ...zeros, ...after];
}
/** A per-IP throttle key: `scope` names the counter (login failures, reset requests, sign-ups), `ipClient` the client. */
export const ipKey = (ip, scope = 'ip') => `${scope}:${ipClient(ip)}`;
/** Milliseconds until the first of these keys is released, or 0 when none is held. */
export async function retryAfterMs(db, clock, keys) {
    const rows = await db.selectFrom('login_throttle').select(['locked_until']).where('key', 'in', keys).execute();
    const now = clock.now().getTime();
    return Math.max(0, ...rows.map((r) => (r.locked_until ? Date.parse(r.locked_until) - now : 0)));
}
/**
 * What every refusal of an attempt held back by the throttle does: the audit entry (denied,
 * reason "throttled"), and the wait to answer with (`sendThrottled` sets the header).
 */
export async function refuseThrottled(db, clock, waitMs, entry) {
    await audit(db, clock, { ...entry, outcome: 'denied', details: { ...entry.details, reason: 'throttled' } });
    const retryAfterSeconds = Math.ceil(waitMs / 1000);
    return { retryAfterSeconds, minutes: Math.ceil(retryAfterSeconds / 60) };
}
/** The Retry-After header of a throttled answer; returns the minutes its page tells. */
export function sendThrottled(reply, t) {
    reply.header('Retry-After', String(t.retryAfterSeconds));
    return t.minutes;
}
export async function recordFailure(db, clock, policy, identifier, ip) {
    await recordFailureOn(db, clock, policy, { account: loginKey(identifier), ip: ipKey(ip) });
}
/**
 * One failed attempt counted against an account key and an IP key: the customers' login
 * (`recordFailure`) and the back office's (`staff:<email>`, `ipKey(ip, 'staff')`) each have theirs.
 */
export async function recordFailureOn(db, clock, policy, keys) {
    const now = clock.now();
    const nowIso = now.toISOString();
    const windowStart = new Date(now.getTime() - policy.windowMs).toISOString();
    for (const [key, limit, isAccount] of [
        [keys.account, policy.maxPerLogin, true],
        [keys.ip, policy.maxPerIp, false],
    ]) {
        // One atomic upsert per key, so concurrent failures are all counted.
        const { failures } = await db
            .insertInto('login_throttle')
            .values({ key, failures: 1, window_started_at: nowIso, locked_until: null })
            .onConflict((oc) => oc.column('key').doUpdateSet({
            failures: sql `case when login_throttle.window_started_at <= ${windowStart} then 1 else login_throttle.failures + 1 end`,
            window_started_at: sql `case when login_throttle.window_started_at <= ${windowStart} then ${nowIso} else login_throttle.window_started_at end`,
        }))
            .returning('failures')
            .executeTakeFirstOrThrow();
        if (failures >= limit) {
            const lockMs = isAccount ? Math.min(MINUTE * 2 ** (failures - limit), policy.maxLockMs) : policy.windowMs;
            await db
                .updateTable('login_throttle')
                .set({ locked_until: new Date(now.getTime() + lockMs).toISOString() })
                .where('key', '=', key)
                .execute();
        }
    }
}
const chains = new Map();
/**
 * Runs `fn` for one key at a time in this process: a login's check, verification and
 * failure count are one step, so concurrent attempts on an account cannot all slip past
 * the limit before any is counted. Across N processes at most N run at once.
 */
export function oneAtATime(key, fn) {
    const previous = chains.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    chains.set(key, tail);
    void tail.then(() => {
        if (chains.get(key) === tail)
            chains.delete(key);
    });
    return run;
}
/**
 * Counts one request against `key` in a fixed window; the request that reaches `limit` holds
 * the key until the window ends (for requests that are not failures: reset links, sign-ups).
 * Returns the count in the window, this request included.
 */
export async function countInWindow(db, clock, key, limit, windowMs) {
    const now = clock.now();
    const nowIso = now.toISOString();
    const expired = sql `login_throttle.window_started_at <= ${new Date(now.getTime() - windowMs).toISOString()}`;
    const row = await db
        .insertInto('login_throttle')
        .values({ key, failures: 1, window_started_at: nowIso, locked_until: null })
        .onConflict((oc) => oc.column('key').doUpdateSet({
        failures: sql `case when ${expired} then 1 else login_throttle.failures + 1 end`,
        window_started_at: sql `case when ${expired} then ${nowIso} else login_throttle.window_started_at end`,
        locked_until: sql `case when ${expired} then null else login_throttle.locked_until end`,
    }))
        .returning(['failures', 'window_started_at'])
        .executeTakeFirstOrThrow();
    if (row.failures >= limit) {
        const until = new Date(Date.parse(row.window_started_at) + windowMs).toISOString();
        await db.updateTable('login_throttle').set({ locked_until: until }).where('key', '=', key).execute();
    }
    return row.failures;
}
/** A successful login clears the account's counter (not the IP's). */
export async function clearLoginFailures(db, identifier) {
    await clearFailures(db, loginKey(identifier));
}
/** Clears one account key's counter (`clearLoginFailures` for a customer number). */
export async function clearFailures(db, key) {
    await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
//# sourceMappingURL=throttle.js.map