import type { FastifyPluginAsync } from 'fastify';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { requireCustomer } from '../auth/guard.ts';
import { findContractSummaries, findProfile } from './profile.queries.ts';
import { ProfileView } from './profile.views.tsx';

const profileRoutes: FastifyPluginAsync = async (app) => {
  app.addHook('preHandler', requireCustomer);

  app.get('/profil', async (req, reply) => {
    const customerId = req.session!.customer.id;
    const [customer, contracts] = await Promise.all([
      findProfile(app.db, customerId),
      findContractSummaries(app.db, customerId),
    ]);
    const ctx = pageContext(req, reply);
    const justActivated = (req.query as Record<string, string | undefined>).active !== undefined;
    return sendPage(
      reply,
      ctx,
      ctx.t('profile.title'),
      <ProfileView ctx={ctx} customer={customer} contracts={contracts} justActivated={justActivated} />,
    );
  });
};

export default profileRoutes;
