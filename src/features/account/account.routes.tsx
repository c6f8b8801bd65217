import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { deniedAsNotFound } from '../../lib/ownership.ts';
import { readDocumentPdf } from '../documents/documents.service.ts';
import { currentMandate } from '../direct-debit/direct-debit.queries.ts';
import { directDebitCoverage } from '../direct-debit/direct-debit.rules.ts';
import { openDocuments, paymentHistory } from '../payments/payments.queries.ts';
import { PaymentHistory, PaymentsPage, RECENT_PAYMENTS } from '../payments/payments.views.tsx';
import { type PageContext, pageContext, renderMain, sendPage } from '../../lib/page.tsx';
import { sendPdf } from '../../lib/pdf.ts';
import { wellFormed } from '../../lib/validation.ts';
import { isPaperless } from '../customers/customers.queries.ts';
import { contractOptions, documentYears, findDocumentPage, findPublishedDocument } from './account.queries.ts';
import { historySince, pdfServed } from './account.rules.ts';
import { AccountView, PAGE_SIZE } from './account.views.tsx';
import { accountStamp } from './balance.queries.ts';
import { forAccountants } from '../users/users.rules.ts';

/** Filters from the query string; anything malformed is simply not applied. */
const historyQuery = z.object({
  contrat: z.string().max(40).optional().catch(undefined),
  type: z.enum(['invoice', 'credit_note']).optional().catch(undefined),
  annee: z.coerce.number().int().min(1990).max(2100).optional().catch(undefined),
  etat: z.enum(['a-regler']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) });

/** `:file` is `<document number>.pdf`. */
const pdfParams = z.object({
  file: wellFormed(
    z
      .string()
      .regex(/^[A-Za-z0-9/_-]{1,40}\.pdf$/)
      .transform((file) => file.slice(0, -'.pdf'.length)),
  ),
});

const accountRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock } = app;

  app.get('/mon-compte', forAccountants, async (req, reply) => {
    const customerId = req.customer.id;
    const q = historyQuery.parse(req.query ?? {});
    // Read first: whatever the page then reads is at least as new as this version.
    const { version, balance, paperless } = await accountStamp(db, customerId);
    const since = historySince(clock.now(), paperless);
    const ctx = pageContext(req, reply);
    // The main content is kept under everything it is made of (decision 016): the rows by their
    // version, the customer's own row, the day (the history's window), the language, the query.
    const key = JSON.stringify(['mon-compte', customerId, version, balance, paperless, since, ctx.lang, q.contrat, q.type, q.annee, q.etat, q.page]);
    let main = app.renderedPages.get(key);
    if (main === undefined) {
      main = renderMain(await accountMain(ctx, customerId, q, { balance, paperless, since })).html;
      app.renderedPages.set(key, main);
    }
    return sendPage(reply, ctx, ctx.t('account.title'), { html: main });
  });

  /** Mon compte's main content, from the rows. */
  async function accountMain(ctx: PageContext, customerId: string, q: z.output<typeof historyQuery>, own: { balance: number; paperless: boolean; since: string }) {
    const { balance, paperless, since } = own;
    const contracts = await contractOptions(db, customerId);
    // A contract filter names one of the customer's own contracts, or nothing.
    const contract = q.contrat ? contracts.find((c) => c.number === q.contrat) : undefined;
    const filters = { contrat: contract?.number, type: q.type, annee: q.annee, etat: q.etat };
    const [due, page, { years, older }, payments, mandate] = await Promise.all([
      openDocuments(db, customerId),
      findDocumentPage(
        db,
        customerId,
        { since, contractId: contract?.id, kind: q.type, year: q.annee, open: q.etat === 'a-regler' },
        { limit: PAGE_SIZE, offset: (q.page - 1) * PAGE_SIZE },
      ),
      documentYears(db, customerId, since),
      paymentHistory(db, customerId, { limit: RECENT_PAYMENTS, offset: 0 }),
      currentMandate(db, customerId),
    ]);
    return (
      <AccountView
        ctx={ctx}
        balance={balance}
        due={due}
        since={since}
        paperless={paperless}
        directDebit={directDebitCoverage(contracts)}
        rows={page.rows}
        total={page.total}
        page={q.page}
        filters={filters}
        contracts={contracts}
        years={years}
        olderCount={older}
        payments={<PaymentHistory ctx={ctx} payments={payments.rows} total={payments.total} since={since} />}
        mandate={mandate}
      />
    );
  }

  /** Every payment, a page at a time (Mon compte shows the latest). */
  app.get('/mon-compte/paiements', forAccountants, async (req, reply) => {
    const customerId = req.customer.id;
    const { page } = pageQuery.parse(req.query ?? {});
    const since = historySince(clock.now(), await isPaperless(db, customerId));
    const payments = await paymentHistory(db, customerId, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('history.title'), <PaymentsPage ctx={ctx} payments={payments.rows} total={payments.total} page={page} since={since} />);
  });

  /** A document's PDF: exactly the bytes stored at issue, to its owner only (Z1). */
  app.get('/mon-compte/documents/:file', forAccountants, async (req, reply) => {
    const { file } = pdfParams.parse(req.params);
    const number = file.value;
    if (!number) return deniedAsNotFound(req, 'document', file.raw);
    const customerId = req.customer.id;
    // Only what the history shows: the customer's own published documents, inside their window.
    const doc = await findPublishedDocument(db, customerId, number);
    if (!doc || !pdfServed(doc, historySince(clock.now(), await isPaperless(db, customerId)))) return deniedAsNotFound(req, 'document', number);
    const bytes = await readDocumentPdf(app.storage, doc.pdf_sha256);
    return sendPdf(reply, `${doc.number}.pdf`, bytes);
  });
};

export default accountRoutes;

