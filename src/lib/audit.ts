import type { FastifyRequest } from 'fastify';
import { type Db, afterCommit, insertAll } from '../db/database.ts';
import type { AuditLogTable } from '../db/schema.ts';
import { type Clock, newId, nowIso } from './clock.ts';

export interface AuditEntry {
  actor_type: AuditLogTable['actor_type'];
  actor_id?: string | null;
  action: string;
  outcome: AuditLogTable['outcome'];
  target_type?: string | null;
  target_id?: string | null;
  ip?: string | null;
  user_agent?: string | null;
  /** Context for the reader. Never a password, token or full IBAN. */
  details?: Record<string, unknown>;
  /** The user of a business account who acted (`requestMeta` carries it from the customer area's guard). */
  user?: ActingUser | null;
}

/** Appends one entry to the audit log (security bar L1). Times are UTC. */
export async function audit(db: Db, clock: Clock, e: AuditEntry): Promise<void> {
  await auditAll(db, clock, [e]);
}

/**
 * Told of each entry once written: outside a transaction at once; in one, once it commits
 * (nothing if it rolls back) — every transaction of the code is opened by `inTransaction`.
 * What the metrics count (`features/ops/`).
 */
export type AuditObserver = (e: AuditEntry) => void;
const auditObservers = new Set<AuditObserver>();

/** Tells `observer` of every entry this process audits from now on; returns how to stop. */
export function observeAudit(observer: AuditObserver): () => void {
  auditObservers.add(observer);
  return () => auditObservers.delete(observer);
}

/** Appends entries to the audit log, in order, a few hundred per statement: a batch's writes. */
export async function auditAll(db: Db, clock: Clock, entries: AuditEntry[]): Promise<void> {
  // Written at one instant.
  const at = nowIso(clock);
  await insertAll(
    db,
    'audit_log',
    entries.map((e) => ({
      id: newId(),
      at,
      actor_type: e.actor_type,
      actor_id: e.actor_id ?? null,
      action: e.action,
      outcome: e.outcome,
      target_type: e.target_type ?? null,
      target_id: e.target_id ?? null,
      ip: e.ip ?? null,
      user_agent: e.user_agent?.slice(0, 300) ?? null,
      details: e.details ? JSON.stringify(e.details) : null,
      user_id: e.user?.id ?? null,
      user_name: e.user?.name ?? null,
    })),
  );
  if (auditObservers.size === 0) return;
  const tell = () => {
    for (const o of auditObservers) for (const e of entries) o(e);
  };
  if (!afterCommit(db, tell)) tell();
}

/** Where a request came from, as the audit log and the sessions table record it. */
export interface RequestMeta {
  ip: string;
  user_agent: string | null;
  /** In the customer area, the user of a business account making the request (none: the owner). */
  user?: ActingUser;
}

/** A user of a business account acting (`customer_users`), as every audit line of their requests names them. */
export interface ActingUser {
  id: string;
  name: string;
}

const actingUsers = new WeakMap<FastifyRequest, ActingUser>();

/**
 * Names the user of a business account making this request (the customer area's guard does it),
 * so that every audit entry spreading `requestMeta(req)` records them: one place, every call.
 */
export const setActingUser = (req: FastifyRequest, user: ActingUser) => actingUsers.set(req, user);

export const requestMeta = (req: FastifyRequest): RequestMeta => {
  const user = actingUsers.get(req);
  return { ip: req.ip, user_agent: req.headers['user-agent'] ?? null, ...(user ? { user } : {}) };
};

/** A staff member acting in the back office, and from where: what a back-office step audits. */
export interface StaffActor {
  staffId: string;
  meta: RequestMeta;
}

/** The staff member of a back-office request (`req.staff`, set by the staff area's guard). */
export const staffActor = (req: FastifyRequest): StaffActor => ({ staffId: req.staff.id, meta: requestMeta(req) });

/**
 * A staff member read (or downloaded) something of this customer: the customer's page, a
 * request, a mandate, a document. What the back office's reads audit (L1: who looked at whom).
 */
export function auditStaffRead(req: FastifyRequest, action: string, customerId: string, details: Record<string, unknown>): Promise<void> {
  return audit(req.server.db, req.server.clock, {
    actor_type: 'staff',
    actor_id: req.staff.id,
    action,
    outcome: 'success',
    target_type: 'customer',
    target_id: customerId,
    ...requestMeta(req),
    details,
  });
}

/**
 * Who writes the operator's data from its own systems: an API client (`req.apiClient`, in
 * the API area), or the command line (the bulk import). What a resource's write audits.
 */
export type IntegrationActor = { kind: 'api'; clientId: string; clientName: string; meta: RequestMeta } | { kind: 'cli'; command: string };

/** The API client of a request inside the API area. */
export const apiActor = (req: FastifyRequest): IntegrationActor => ({ kind: 'api', clientId: req.apiClient.id, clientName: req.apiClient.name, meta: requestMeta(req) });

/**
 * The audit entry's actor for an integration write: `api` and the client's id (its name in the
 * details), or `system` for the command line (the command in the details). Spread it, with
 * `details: { ...integrationDetails(actor), … }`.
 */
export const integrationEntry = (a: IntegrationActor): Pick<AuditEntry, 'actor_type' | 'actor_id' | 'ip' | 'user_agent'> =>
  a.kind === 'api' ? { actor_type: 'api', actor_id: a.clientId, ...a.meta } : { actor_type: 'system', actor_id: 'cli' };

/** What an integration write's details say of its author: the API client's name, or the command. */
export const integrationDetails = (a: IntegrationActor): Record<string, string> => (a.kind === 'api' ? { client: a.clientName } : { command: a.command });
