import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit, requestMeta } from './audit.ts';
import { notFound } from './errors.ts';
import { wellFormed } from './validation.ts';

/**
 * Records that the customer of a customer-area request asked for something that is not
 * theirs (security bar Z1): `authz.denied`, what it was, from where.
 */
export async function auditDenied(req: FastifyRequest, targetType: string, targetId: string, details?: Record<string, unknown>): Promise<void> {
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
export async function deniedAsNotFound(req: FastifyRequest, targetType: string, targetId: string): Promise<never> {
  await auditDenied(req, targetType, targetId);
  throw notFound();
}

const contractParams = z.object({ number: wellFormed(z.string().min(1).max(40)) });

/**
 * The customer's contract a customer-area URL names (`/contrats/:number…`), as `find` reads it
 * for them, or an audited 404 (`deniedAsNotFound`) when the number is malformed or not theirs.
 */
export async function ownContractOf<T>(req: FastifyRequest, find: (number: string) => Promise<T | undefined>): Promise<T> {
  const { number } = contractParams.parse(req.params);
  const found = number.value ? await find(number.value) : undefined;
  if (!found) return deniedAsNotFound(req, 'contract', number.raw);
  return found;
}
