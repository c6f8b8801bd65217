import { audit, requestMeta } from './audit.js';
import { notFound } from './errors.js';
/**
 * Records that the customer of a customer-area request asked for something that is not
 * theirs (security bar Z1): `authz.denied`, what it was, from where.
 */
export async function auditDenied(req, targetType, targetId, details) {
    await audit(req.server.db, req.server.clock, {
        actor_type: 'customer',
        actor_id: req.customer.id,
        action: 'authz.denied',
        outcome: 'denied',
        target_type: targetType,
        target_id: targetId.slice(0, 100),
        ...requestMeta(req),
        ...(details ? { details } : {}),
    });
}
/**
 * What a customer asks for by id or number and does not own is answered 404 — the same as
 * what does not exist — and the attempt is audited (security bar Z1). For routes of the
 * customer area (it reads `req.customer`).
 */
export async function deniedAsNotFound(req, targetType, targetId) {
    await auditDenied(req, targetType, targetId);
    throw notFound();
}
//# sourceMappingURL=ownership.js.map