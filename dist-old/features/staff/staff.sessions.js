import { requestMeta } from '../../lib/audit.js';
import { MINUTE } from '../../lib/clock.js';
import { hashToken, newToken } from '../../lib/tokens.js';
export async function findStaffSession(db, clock, policy, token) {
    const tokenHash = hashToken(token);
    const row = await db
        .selectFrom('staff_sessions as s')
        .innerJoin('staff_members as m', 'm.id', 's.staff_id')
        .select(['s.stage', 's.last_seen_at', 's.expires_at', 'm.id', 'm.email', 'm.display_name', 'm.role', 'm.state'])
        .where('s.token_hash', '=', tokenHash)
        .executeTakeFirst();
    if (!row)
        return null;
    const now = clock.now().getTime();
    if (row.state !== 'active' || now >= Date.parse(row.expires_at) || now - Date.parse(row.last_seen_at) >= policy.idleMs) {
        await destroyStaffSession(db, tokenHash);
        return { expired: true };
    }
    if (now - Date.parse(row.last_seen_at) >= MINUTE) {
        await db.updateTable('staff_sessions').set({ last_seen_at: new Date(now).toISOString() }).where('token_hash', '=', tokenHash).execute();
    }
    return { session: { tokenHash, stage: row.stage, staff: { id: row.id, email: row.email, displayName: row.display_name, role: row.role } } };
}
export async function createStaffSession(db, clock, policy, staffId, stage, meta) {
    const token = newToken();
    const now = clock.now();
    await db
        .insertInto('staff_sessions')
        .values({
        token_hash: hashToken(token),
        staff_id: staffId,
        stage,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        expires_at: new Date(now.getTime() + policy.absoluteMs).toISOString(),
        ip: meta.ip,
        user_agent: meta.user_agent?.slice(0, 300) ?? null,
    })
        .execute();
    return token;
}
export async function destroyStaffSession(db, tokenHash) {
    await db.deleteFrom('staff_sessions').where('token_hash', '=', tokenHash).execute();
}
/** Ends every session of a member (disabled, or their password or second factor changed). */
export async function destroyAllStaffSessions(db, staffId) {
    await db.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute();
}
/** Opens a session for this browser under a new token (no fixation); the one it had is ended. */
export async function openStaffSession(req, reply, staffId, stage, previousTokenHash) {
    const app = req.server;
    if (previousTokenHash)
        await destroyStaffSession(app.db, previousTokenHash);
    const token = await createStaffSession(app.db, app.clock, app.staffSessionPolicy, staffId, stage, requestMeta(req));
    reply.setCookie(app.staffCookie.name, token, app.staffCookie.options);
}
/** Ends this browser's staff session and its cookie. */
export async function closeStaffSession(req, reply, tokenHash) {
    if (tokenHash)
        await destroyStaffSession(req.server.db, tokenHash);
    reply.clearCookie(req.server.staffCookie.name, req.server.staffCookie.options);
    // A page answered now binds its forms to no session, as the browser's next request will carry none.
    req.staffSession = null;
}
//# sourceMappingURL=staff.sessions.js.map