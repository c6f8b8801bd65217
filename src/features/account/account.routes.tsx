import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { isoDate } from '../../lib/clock.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { requireCustomer } from '../auth/guard.ts';
import { contractOptions, countOlderDocuments, documentYears, findDocumentPage } from './account.queries.ts';
import { AccountView, PAGE_SIZE } from './account.views.tsx';
import { accountBalance } from './balance.queries.ts';

/** Filters from the query string; anything malformed is simply not applied. */
const historyQuery = z.object({
  contrat: z.string().max(40).optional().catch(undefined),
  type: z.enum(['invoice', 'credit_note']).optional().catch(undefined),
  annee: z.coerce.number().int().min(1990).max(2100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

/** The history a customer sees: 5 years with paperless consent, 12 months without (the manual). */
export function historySince(today: Date, paperless: boolean): string {
  const d = new Date(today);
  if (paperless) d.setUTCFullYear(d.getUTCFullYear() - 5);
  else d.setUTCMonth(d.getUTCMonth() - 12);
  return isoDate(d);
}

const accountRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock } = app;
  app.addHook('preHandler', requireCustomer);

  app.get('/mon-compte', async (req, reply) => {
    const customerId = req.session!.customer.id;
    const q = historyQuery.parse(req.query ?? {});
    const [customer, contracts] = await Promise.all([
      db.selectFrom('customers').select(['paperless']).where('id', '=', customerId).executeTakeFirstOrThrow(),
      contractOptions(db, customerId),
    ]);
    const paperless = customer.paperless === 1;
    const since = historySince(clock.now(), paperless);
    // A contract filter names one of the customer's own contracts, or nothing.
    const contract = q.contrat ? contracts.find((c) => c.number === q.contrat) : undefined;
    const filters = { contrat: contract?.number, type: q.type, annee: q.annee };
    const [balance, page, years, olderCount] = await Promise.all([
      accountBalance(db, customerId),
      findDocumentPage(
        db,
        customerId,
        { since, contractId: contract?.id, kind: q.type, year: q.annee },
        { limit: PAGE_SIZE, offset: (q.page - 1) * PAGE_SIZE },
      ),
      documentYears(db, customerId, since),
      countOlderDocuments(db, customerId, since),
    ]);
    const current = await db
      .selectFrom('contracts')
      .select(['direct_debit'])
      .where('customer_id', '=', customerId)
      .where('status', '!=', 'ended')
      .execute();
    const ctx = pageContext(req, reply);
    return sendPage(
      reply,
      ctx,
      ctx.t('account.title'),
      <AccountView
        ctx={ctx}
        balance={balance}
        paperless={paperless}
        allDirectDebit={current.length > 0 && current.every((c) => c.direct_debit === 1)}
        rows={page.rows}
        total={page.total}
        page={q.page}
        filters={filters}
        contracts={contracts}
        years={years}
        olderCount={olderCount}
      />,
    );
  });
};

export default accountRoutes;
