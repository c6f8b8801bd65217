import type { FastifyRequest } from 'fastify';
import { audit, requestMeta } from './audit.ts';
import { notFound } from './errors.ts';

/**
 * What a customer asks for by id or number and does not own is answered 404 — the same as
 * what does not exist — and the attempt is audited (security bar Z1). For routes of the
 * customer area (it reads `req.customer`).
 */
export async function deniedAsNotFound(req: FastifyRequest, targetType: string, targetId: string): Promise<never> {
  await audit(req.server.db, req.server.clock, {
    actor_type: 'customer',
    actor_id: req.customer.id,
    action: 'authz.denied',
    outcome: 'denied',
    target_type: targetType,
    target_id: targetId.slice(0, 100),
    ...requestMeta(req),
  });
  throw notFound();
}
