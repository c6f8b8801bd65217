import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The guard of every customer page, registered once per feature plugin as a hook.
 * No session → the login page; an activation session (temporary password) → the first-login
 * form, which is all it may reach (security bar A1).
 */
export async function requireCustomer(req: FastifyRequest, reply: FastifyReply) {
  if (!req.session) return reply.redirect(req.sessionExpired ? '/connexion?expire' : '/connexion');
  if (req.session.kind !== 'customer') return reply.redirect('/premiere-connexion');
}
