import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { StaffRole, StaffSessionStage } from '../../db/schema.ts';
import { type RequestMeta, requestMeta } from '../../lib/audit.ts';
import { type Clock, MINUTE } from '../../lib/clock.ts';
import { hashToken, newToken } from '../../lib/tokens.ts';
import type { SessionPolicy } from '../auth/sessions.ts';

/*
 * The staff's server-side sessions: the customers' design (S1) — 256 random bits in a cookie
 * of its own, only their SHA-256 kept — with their own table, cookie and shorter timeouts
 * (`STAFF_SESSION_IDLE_MINUTES`, `STAFF_SESSION_ABSOLUTE_HOURS`). A session is opened at the
 * `second_factor` stage by the right password and becomes `full` with the right code, under a
 * new token. A disabled member keeps no session: their rows are deleted, and a row whose
 * member is not active is refused anyway.
 */

export interface StaffSession {
  tokenHash: string;
  stage: StaffSessionStage;
  staff: { id: string; email: string; displayName: string; role: StaffRole };
}

export type StaffLookup = { session: StaffSession } | { expired: true } | null;

export async function findStaffSession(db: Db, clock: Clock, policy: SessionPolicy, token: string): Promise<StaffLookup> {
  const tokenHash = hashToken(token);
  const row = await db
    .selectFrom('staff_sessions as s')
    .innerJoin('staff_members as m', 'm.id', 's.staff_id')
    .select(['s.stage', 's.last_seen_at', 's.expires_at', 'm.id', 'm.email', 'm.display_name', 'm.role', 'm.state'])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return null;
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

export async function createStaffSession(db: Db, clock: Clock, policy: SessionPolicy, staffId: string, stage: StaffSessionStage, meta: RequestMeta): Promise<string> {
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

export async function destroyStaffSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('token_hash', '=', tokenHash).execute();
}

/** Ends every session of a member (disabled, or their password or second factor changed). */
export async function destroyAllStaffSessions(db: Db, staffId: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('staff_id', '=', staffId).execute();
}

/** Opens a session for this browser under a new token (no fixation); the one it had is ended. */
export async function openStaffSession(req: FastifyRequest, reply: FastifyReply, staffId: string, stage: StaffSessionStage, previousTokenHash: string | null): Promise<void> {
  const app = req.server;
  if (previousTokenHash) await destroyStaffSession(app.db, previousTokenHash);
  const token = await createStaffSession(app.db, app.clock, app.staffSessionPolicy, staffId, stage, requestMeta(req));
  reply.setCookie(app.staffCookie.name, token, app.staffCookie.options);
}

/** Ends this browser's staff session and its cookie. */
export async function closeStaffSession(req: FastifyRequest, reply: FastifyReply, tokenHash: string | null): Promise<void> {
  if (tokenHash) await destroyStaffSession(req.server.db, tokenHash);
  reply.clearCookie(req.server.staffCookie.name, req.server.staffCookie.options);
  // A page answered now binds its forms to no session, as the browser's next request will carry none.
  req.staffSession = null;
}
