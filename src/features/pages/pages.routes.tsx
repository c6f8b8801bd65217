import type { FastifyPluginAsync } from 'fastify';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { defaultContentDir, pageRenderer, readPageSources } from './pages.content.ts';
import { ContentPageView } from './pages.views.tsx';

export interface PagesOptions {
  /** Where the Markdown pages are; `content/` at the project root by default. */
  contentDir?: string;
}

/**
 * The content pages: one `GET /<slug>` per `content/<lang>/<slug>.md` (/faq, /accessibilite,
 * /mentions-legales, /confidentialite…), in the request's language. Read and checked once at
 * start, rendered again when the operator's settings they show change; an unknown slug is
 * simply not a route (the app's 404 page).
 */
const pagesRoutes: FastifyPluginAsync<PagesOptions> = async (app, opts) => {
  const pages = pageRenderer(await readPageSources(opts.contentDir ?? defaultContentDir), app.config);
  for (const slug of pages(app.operator).keys()) {
    app.get(`/${slug}`, async (req, reply) => {
      const page = pages(app.operator).get(slug)![req.lang];
      const ctx = pageContext(req, reply);
      return sendPage(reply, ctx, page.title, <ContentPageView ctx={ctx} page={page} />);
    });
  }
};

export default pagesRoutes;
