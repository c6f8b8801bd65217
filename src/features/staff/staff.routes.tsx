import type { FastifyPluginAsync } from 'fastify';
import { STAFF_PREFIX } from '../../areas/staff-area.ts';
import { audit, requestMeta } from '../../lib/audit.ts';
import { closeStaffSession } from './staff.sessions.ts';

/** The staff's own pages in the back office: logging out (login and enrolment come next). */
const staffRoutes: FastifyPluginAsync = async (app) => {
  app.post('/deconnexion', async (req, reply) => {
    await closeStaffSession(req, reply, req.staff.sessionTokenHash);
    await audit(app.db, app.clock, { actor_type: 'staff', actor_id: req.staff.id, action: 'staff.logout', outcome: 'success', ...requestMeta(req) });
    return reply.redirect(`${STAFF_PREFIX}/connexion`);
  });
};

export default staffRoutes;
