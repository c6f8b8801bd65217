import { jsx as _jsx } from "preact/jsx-runtime";
import { z } from 'zod';
import { pageContext, sendPage } from '../../lib/page.js';
import { localPath } from '../../lib/validation.js';
import { setLanguage } from '../customers/customers.service.js';
import { listCarParks, ping } from './public.queries.js';
import { CarParksView } from './public.views.js';
const languageBody = z.object({
    lang: z.enum(['fr', 'en']),
    next: localPath.catch('/'),
});
/** Pages reachable without logging in, and the language switch present on every page. */
const publicRoutes = async (app) => {
    const { db, config } = app;
    app.post('/langue', async (req, reply) => {
        const parsed = languageBody.safeParse(req.body ?? {});
        if (!parsed.success)
            return reply.redirect('/', 303);
        const { lang, next } = parsed.data;
        reply.setCookie('lang', lang, { path: '/', sameSite: 'lax', httpOnly: true, secure: config.cookieSecure, maxAge: 365 * 24 * 3600 });
        if (req.session?.kind === 'customer')
            await setLanguage(db, req.session.customer.id, lang);
        return reply.redirect(next, 303);
    });
    app.get('/parkings', async (req, reply) => {
        const parks = await listCarParks(db);
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('parkings.title'), _jsx(CarParksView, { ctx: ctx, parks: parks }));
    });
    /** For load balancers: 200 when the database answers. */
    app.get('/healthz', async (_req, reply) => {
        await ping(db);
        return reply.type('text/plain').send('ok');
    });
};
export default publicRoutes;
//# sourceMappingURL=public.routes.js.map