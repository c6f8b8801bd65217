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
import { typedText, wellFormed } from '../../lib/validation.ts';
import { sendCsv } from '../../lib/csv.ts';
import { parisDate } from '../../lib/clock.ts';
import { formatDate, translator } from '../../lib/i18n.ts';
import { documentsCsv, documentsZip } from './account.downloads.ts';
import { statementPdf } from './account.statement.pdf.ts';
import { isPaperless } from '../customers/customers.queries.ts';
import { type DocumentFilters, contractOptions, documentYears, findDocumentList, findDocumentPage, findPublishedDocument, statementRows } from './account.queries.ts';
import { checkStatementPeriod, historySince, pdfServed, statementOf } from './account.rules.ts';
import { AccountView, PAGE_SIZE, StatementPage } from './account.views.tsx';
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

/** The statement's two days, as typed (`checkStatementPeriod` says what is wrong with them). */
const statementQuery = z.object({ du: typedText(20), au: typedText(20) });

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
    // version, the customer's own row, the day (the history's window, the statement form's last
    // day), the language, the query (the ZIP and CSV links carry it).
    const key = JSON.stringify(['mon-compte', customerId, version, balance, paperless, since, ctx.lang, q.contrat, q.type, q.annee, q.etat, q.page]);
    let main = app.renderedPages.get(key);
    if (main === undefined) {
      main = renderMain(await accountMain(ctx, customerId, q, { balance, paperless, since })).html;
      app.renderedPages.set(key, main);
    }
    return sendPage(reply, ctx, ctx.t('account.title'), { html: main });
  });

  /**
   * The history's filters from the query string, for its pages, its ZIP and its CSV alike: a
   * contract filter names one of the customer's own contracts, or nothing.
   */
  async function listFilters(customerId: string, q: z.output<typeof historyQuery>, since: string) {
    const contracts = await contractOptions(db, customerId);
    const contract = q.contrat ? contracts.find((c) => c.number === q.contrat) : undefined;
    const shown = { contrat: contract?.number, type: q.type, annee: q.annee, etat: q.etat };
    const query: DocumentFilters = { since, contractId: contract?.id, kind: q.type, year: q.annee, open: q.etat === 'a-regler' };
    return { contracts, shown, query };
  }

  /** Mon compte's main content, from the rows. */
  async function accountMain(ctx: PageContext, customerId: string, q: z.output<typeof historyQuery>, own: { balance: number; paperless: boolean; since: string }) {
    const { balance, paperless, since } = own;
    const { contracts, shown: filters, query } = await listFilters(customerId, q, since);
    const [due, page, { years, older }, payments, mandate] = await Promise.all([
      openDocuments(db, customerId),
      findDocumentPage(db, customerId, query, { limit: PAGE_SIZE, offset: (q.page - 1) * PAGE_SIZE }),
      documentYears(db, customerId, since),
      paymentHistory(db, customerId, { limit: RECENT_PAYMENTS, offset: 0 }),
      currentMandate(db, customerId),
    ]);
    const today = parisDate(clock.now());
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
        statement={{ du: `${today.slice(0, 4)}-01-01`, au: today }}
      />
    );
  }

  /** Every document of the history's list (its filters, every page) in one ZIP, streamed (`documentsZip`). */
  app.get('/mon-compte/documents.zip', forAccountants, async (req, reply) => {
    const docs = await listedDocuments(req.customer.id, req.query);
    const year = historyQuery.parse(req.query ?? {}).annee;
    const stream = await documentsZip(app.storage, translator(req.lang), docs);
    // A file failing half-way ends the download unfinished: the archive is never taken for whole.
    stream.on('error', (e) => req.log.error({ err: e }, 'ZIP of documents interrupted'));
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="documents-${req.customer.number}${year ? `-${year}` : ''}.zip"`)
      .header('cache-control', 'no-store')
      .send(stream);
  });

  /** The same list as a CSV for a spreadsheet (`documentsCsv`). */
  app.get('/mon-compte/documents.csv', forAccountants, async (req, reply) => {
    const docs = await listedDocuments(req.customer.id, req.query);
    const year = historyQuery.parse(req.query ?? {}).annee;
    return sendCsv(reply, `documents-${req.customer.number}${year ? `-${year}` : ''}.csv`, documentsCsv(translator(req.lang), docs, parisDate(clock.now())));
  });

  /** The documents of the history's list with the filters of `query`: exactly the rows its pages show. */
  async function listedDocuments(customerId: string, query: unknown) {
    const q = historyQuery.parse(query ?? {});
    const since = historySince(clock.now(), await isPaperless(db, customerId));
    return findDocumentList(db, customerId, (await listFilters(customerId, q, since)).query);
  }

  /**
   * The account statement for two days: the PDF when they are right; else the form again, with
   * what is wrong and what was typed. Without either day, the form alone.
   */
  app.get('/mon-compte/releve', forAccountants, async (req, reply) => {
    const asked = (req.query ?? {}) as Record<string, unknown>;
    const values = statementQuery.parse(asked);
    const today = parisDate(clock.now());
    const ctx = pageContext(req, reply);
    if (!('du' in asked) && !('au' in asked)) {
      return sendPage(reply, ctx, ctx.t('account.statement.title'), <StatementPage ctx={ctx} values={{ du: `${today.slice(0, 4)}-01-01`, au: today }} errors={{}} />);
    }
    const checked = checkStatementPeriod(values, today, (d) => formatDate(d, req.lang));
    if (!checked.ok) {
      return sendPage(reply, ctx, ctx.t('account.statement.title'), <StatementPage ctx={ctx} values={values} errors={checked.errors} />, 400);
    }
    const { docs, payments } = await statementRows(db, req.customer.id, checked.to);
    const pdf = await statementPdf({
      statement: statementOf(docs, payments, checked.from, checked.to),
      customer: { number: req.customer.number, displayName: req.customer.displayName },
      operator: app.operator,
      today,
      lang: req.lang,
    });
    return sendPdf(reply, `releve-${req.customer.number}-${checked.from}-${checked.to}.pdf`, pdf);
  });

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

