import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { pageNumber } from '../../lib/validation.ts';
import { PAGE_SIZE } from '../account/account.views.tsx';
import { parisDayStart } from '../audit/audit.rules.ts';
import { MONTH_PATTERN, monthIndex, monthOfIndex, parisMonth } from '../statements/statements.rules.ts';
import { listRenewalNotices } from './renewals.queries.ts';
import { RenewalsView } from './renewals.backoffice.views.tsx';

/*
 * The renewal notices sent (loi Chatel), in the back office (staff area, `/gestion`):
 *   GET /gestion/renouvellements?mois=YYYY-MM&page=   the notices, latest first; a Paris month of sending, or all
 */

/** How many months back the month filter offers. */
const MONTHS_OFFERED = 13;

const listQuery = z.object({
  mois: z.string().regex(MONTH_PATTERN).optional().catch(undefined),
  page: pageNumber,
});

const renewalsBackofficeRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock } = app;

  app.get('/renouvellements', async (req, reply) => {
    const q = listQuery.parse(req.query ?? {});
    const month = q.mois ?? null;
    const filters = month ? { from: parisDayStart(`${month}-01`), until: parisDayStart(`${monthOfIndex(monthIndex(month) + 1)}-01`) } : { from: null, until: null };
    const { rows, total } = await listRenewalNotices(db, filters, q.page, PAGE_SIZE);
    const current = monthIndex(parisMonth(clock.now()));
    const months = Array.from({ length: MONTHS_OFFERED }, (_, i) => monthOfIndex(current - i));
    if (month && !months.includes(month)) months.push(month);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('renewals.bo.title'), <RenewalsView ctx={ctx} data={{ month, months, rows, total, page: q.page }} />);
  });
};

export default renewalsBackofficeRoutes;
