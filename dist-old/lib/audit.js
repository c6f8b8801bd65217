import { insertAll } from '../db/database.js';
import { newId, nowIso } from './clock.js';
/** Appends one entry to the audit log (security bar L1). Times are UTC. */
export async function audit(db, clock, e) {
    await auditAll(db, clock, [e]);
}
/** Appends entries to the audit log, in order, a few hundred per statement: a batch's writes. */
export async function auditAll(db, clock, entries) {
    // Written at one instant.
    const at = nowIso(clock);
    await insertAll(db, 'audit_log', entries.map((e) => ({
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
    })));
}
export const requestMeta = (req) => ({ ip: req.ip, user_agent: req.headers['user-agent'] ?? null });
/** The staff member of a back-office request (`req.staff`, set by the staff area's guard). */
export const staffActor = (req) => ({ staffId: req.staff.id, meta: requestMeta(req) });
/**
 * A staff member read (or downloaded) something of this customer: the customer's page, a
 * request, a mandate, a document. What the back office's reads audit (L1: who looked at whom).
 */
export function auditStaffRead(req, action, customerId, details) {
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
/** The API client of a request inside the API area. */
export const apiActor = (req) => ({ kind: 'api', clientId: req.apiClient.id, clientName: req.apiClient.name, meta: requestMeta(req) });
/**
 * The audit entry's actor for an integration write: `api` and the client's id (its name in the
 * details), or `system` for the command line (the command in the details). Spread it, with
 * `details: { ...integrationDetails(actor), … }`.
 */
export const integrationEntry = (a) => a.kind === 'api' ? { actor_type: 'api', actor_id: a.clientId, ...a.meta } : { actor_type: 'system', actor_id: 'cli' };
/** What an integration write's details say of its author: the API client's name, or the command. */
export const integrationDetails = (a) => (a.kind === 'api' ? { client: a.clientName } : { command: a.command });
//# sourceMappingURL=audit.js.map