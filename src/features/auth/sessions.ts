import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { SessionKind } from '../../db/schema.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type RequestMeta, requestMeta } from '../../lib/audit.ts';
import { type Clock, HOUR, MINUTE } from '../../lib/clock.ts';
import { hashToken, newToken } from '../../lib/tokens.ts';
import type { CurrentCustomer } from '../../lib/nav.ts';
import { displayName } from '../customers/customers.service.ts';
import { isStaffUrl } from '../../areas/staff-area.ts';
import { reusableQuery } from '../../db/reusable.ts';

/*
 * Server-side sessions (security bar S1): the cookie carries 256 random bits; the database
 * keeps only their SHA-256. Idle and absolute timeouts are enforced here, on every request.
 * An "activation" session, opened by a temporary password, reaches the first-login form only.
 */

export interface Session {
  tokenHash: string;
  kind: SessionKind;
  customer: CurrentCustomer & { language: 'fr' | 'en' };
  /** A `staff_view` session's staff member, looking at the customer's pages read-only; null otherwise. */
  viewedBy: StaffViewer | null;
}

/** Who is looking at a customer's pages through a `staff_view` session. */
export interface StaffViewer {
  staffId: string;
  staffName: string;
}

/**
 * The customer of a full session — their own (`customer`) or a staff member's read-only view
 * of it (`staff_view`) —, as pages show them; null for a visitor or an activation session.
 */
export const fullSessionCustomer = (session: Session | null) => (session && session.kind !== 'activation' ? session.customer : null);

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export const sessionPolicy = (idleMinutes: number, absoluteHours: number): SessionPolicy => ({
  idleMs: idleMinutes * MINUTE,
  absoluteMs: absoluteHours * HOUR,
});

export async function createSession(
  db: Db,
  clock: Clock,
  policy: SessionPolicy,
  customerId: string,
  kind: SessionKind,
  meta: RequestMeta,
  /** For a `staff_view` session: the staff member looking. */
  staffId: string | null = null,
  /** For a session of a user of a business account (`customer_users`); null: the owner. */
  userId: string | null = null,
): Promise<string> {
  const token = newToken();
  const now = clock.now();
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      customer_id: customerId,
      kind,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + policy.absoluteMs).toISOString(),
      ip: meta.ip,
      user_agent: meta.user_agent?.slice(0, 300) ?? null,
      staff_id: staffId,
      user_id: userId,
    })
    .execute();
  return token;
}

export type Lookup = { session: Session } | { expired: true } | null;

/** A session with its customer, as every page reads it. */
const sessionRow = reusableQuery((db: Db, key: { tokenHash: string }) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    // Left: a staff member may look at the pages of a customer who has no login yet.
    .leftJoin('customer_logins as a', 'a.customer_id', 's.customer_id')
    .leftJoin('staff_members as m', 'm.id', 's.staff_id')
    .leftJoin('customer_users as u', 'u.id', 's.user_id')
    .select([
      's.user_id',
      'u.name as user_name',
      'u.role as user_role',
      'u.state as user_state',
      's.kind',
      's.staff_id',
      'm.display_name as staff_name',
      'm.state as staff_state',
      's.last_seen_at',
      's.expires_at',
      'c.id',
      'c.number',
      'c.kind as customer_kind',
      'c.last_name',
      'c.first_name',
      'c.company_name',
      'c.language',
      'a.state as login_state',
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom('contracts as k')
              .select(sql`1`.as('one'))
              .whereRef('k.customer_id', '=', 'c.id')
              .where('k.product', '=', 'resident_petit_rouleur'),
          )
          .as('has_petit_rouleur'),
    ])
    .where('s.token_hash', '=', key.tokenHash),
);

/** Finds the session of a cookie token, enforcing both timeouts; an expired one is deleted. */
export async function findSession(db: Db, clock: Clock, policy: SessionPolicy, token: string): Promise<Lookup> {
  const tokenHash = hashToken(token);
  const [row] = await sessionRow(db, { tokenHash });
  if (!row) return null;
  const now = clock.now().getTime();
  // A locked account keeps no session of its own alive; a staff member's view lasts while
  // they are an active member (and a customer session has a login: the row is the customer's).
  // A user's session lasts while the user is active: removing them ends it at their next request.
  const dead =
    row.kind === 'staff_view'
      ? row.staff_state !== 'active'
      : (row.login_state !== 'active' && row.login_state !== 'not_activated') || (row.user_id !== null && row.user_state !== 'active');
  if (dead || now >= Date.parse(row.expires_at) || now - Date.parse(row.last_seen_at) >= policy.idleMs) {
    await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    return { expired: true };
  }
  // Refresh the idle clock at most once a minute: one write per minute, not per request.
  if (now - Date.parse(row.last_seen_at) >= MINUTE) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(now).toISOString() })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  return {
    session: {
      tokenHash,
      kind: row.kind,
      customer: {
        id: row.id,
        number: row.number,
        displayName: displayName(row),
        hasPetitRouleur: Boolean(row.has_petit_rouleur),
        language: row.language,
        user:
          row.user_id && row.user_role
            ? { id: row.user_id, name: row.user_name ?? '', role: row.user_role }
            : { id: null, name: displayName(row), role: 'owner' },
      },
      viewedBy: row.kind === 'staff_view' && row.staff_id ? { staffId: row.staff_id, staffName: row.staff_name ?? '' } : null,
    },
  };
}

/*
 * What a form's CSRF token is bound to (S2): the session, when there is one, so that a
 * token and CSRF cookie taken from another browser are refused; "visitor" otherwise (the
 * login form). A page binds the tokens it hands out to the session it found; a post is
 * checked against the session cookie it carries, whether that session still runs or not,
 * so a form posted just after its session ran out still reaches its route (the customer
 * area's guard, or a public route that then treats it as a visitor's).
 */
const VISITOR = 'visitor';

/** The binding of the CSRF tokens a page hands out (`reply.generateCsrf`); the back office's to the staff session. */
export const csrfBindingOfPage = (req: FastifyRequest): string =>
  (isStaffUrl(req.url) ? req.staffSession?.tokenHash : req.session?.tokenHash) ?? VISITOR;

/** The binding a posted token is checked against (`getUserInfo` of the CSRF plugin). */
export function csrfBindingOfPost(req: FastifyRequest): string {
  const token = req.cookies[isStaffUrl(req.url) ? req.server.staffCookie.name : req.server.sessionCookie.name];
  return token ? hashToken(token) : VISITOR;
}

export async function destroySession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function destroyAllSessions(db: Db, customerId: string): Promise<void> {
  await db.deleteFrom('sessions').where('customer_id', '=', customerId).execute();
}

/** Ends every session of the account's owner (and staff views of it), not those of its users (`customer_users`), who have passwords of their own. */
export async function destroyOwnerSessions(db: Db, customerId: string): Promise<void> {
  await db.deleteFrom('sessions').where('customer_id', '=', customerId).where('user_id', 'is', null).execute();
}

/** Ends every session of one user of a business account (removed, or a new password). */
export async function destroyUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/**
 * Opens a session for this browser: always a new token, at login and at every change of
 * privilege (no session fixation); the session it had is ended first.
 */
export async function openSession(
  req: FastifyRequest,
  reply: FastifyReply,
  customerId: string,
  kind: SessionKind,
  previousTokenHash: string | null,
  /** A user of a business account logging in; null: the owner. */
  userId: string | null = null,
): Promise<void> {
  const app = req.server;
  if (previousTokenHash) await destroySession(app.db, previousTokenHash);
  const token = await createSession(app.db, app.clock, app.sessionPolicy, customerId, kind, requestMeta(req), null, userId);
  reply.setCookie(app.sessionCookie.name, token, app.sessionCookie.options);
}

/** Ends this browser's session, if it has one, and its cookie. */
export async function closeSession(req: FastifyRequest, reply: FastifyReply, tokenHash: string | null): Promise<void> {
  if (tokenHash) await destroySession(req.server.db, tokenHash);
  req.session = null;
  reply.clearCookie(req.server.sessionCookie.name, req.server.sessionCookie.options);
}
