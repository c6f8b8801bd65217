import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { localPath } from '../../lib/validation.ts';
import { setLanguage } from '../customers/customers.service.ts';
import { listCarParks } from './public.queries.ts';
import { CarParksView } from './public.views.tsx';

const languageBody = z.object({
  lang: z.enum(['fr', 'en']),
  next: localPath.catch('/'),
});

/** Pages reachable without logging in, and the language switch present on every page. */
const publicRoutes: FastifyPluginAsync = async (app) => {
  const { db, config } = app;

  app.post('/langue', async (req, reply) => {
    const parsed = languageBody.safeParse(req.body ?? {});
    if (!parsed.success) return reply.redirect('/', 303);
    const { lang, next } = parsed.data;
    reply.setCookie('lang', lang, { path: '/', sameSite: 'lax', httpOnly: true, secure: config.cookieSecure, maxAge: 365 * 24 * 3600 });
    if (req.session?.kind === 'customer') await setLanguage(db, req.session.customer.id, lang);
    return reply.redirect(next, 303);
  });

  app.get('/parkings', async (req, reply) => {
    const parks = await listCarParks(db);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('parkings.title'), <CarParksView ctx={ctx} parks={parks} />);
  });
};

export default publicRoutes;
