import type { FastifyPluginAsync } from 'fastify';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { requireCustomer } from '../auth/guard.ts';
import { z } from 'zod';
import { audit } from '../../lib/audit.ts';
import { findContractSummaries, findProfile, setPaperless } from './profile.queries.ts';

const consentBody = z.object({ paperless: z.enum(['yes', 'no']) });
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
    const q = req.query as Record<string, string | undefined>;
    const notice =
      q.active !== undefined
        ? 'profile.welcomeActivated'
        : q.papier === 'oui'
          ? 'profile.paperless.given'
          : q.papier === 'non'
            ? 'profile.paperless.withdrawn'
            : undefined;
    return sendPage(reply, ctx, ctx.t('profile.title'), <ProfileView ctx={ctx} customer={customer} contracts={contracts} notice={notice} />);
  });

  /** Paperless consent, given or withdrawn at any time; every change is dated in its history. */
  app.post('/profil/documents-par-email', async (req, reply) => {
    const { paperless } = consentBody.parse(req.body ?? {});
    const customerId = req.session!.customer.id;
    await setPaperless(app.db, app.clock, customerId, paperless === 'yes', 'profile', req.ip);
    await audit(app.db, app.clock, {
      actor_type: 'customer',
      actor_id: customerId,
      action: 'customer.paperless',
      outcome: 'success',
      target_type: 'customer',
      target_id: customerId,
      ip: req.ip,
      user_agent: req.headers['user-agent'],
      details: { given: paperless === 'yes' },
    });
    return reply.redirect(`/profil?papier=${paperless === 'yes' ? 'oui' : 'non'}#documents-par-email`, 303);
  });
};

export default profileRoutes;
