import { jsx as _jsx } from "preact/jsx-runtime";
import { z } from 'zod';
import { auditStaffRead } from '../../lib/audit.js';
import { notFound } from '../../lib/errors.js';
import { pageContext, sendPage } from '../../lib/page.js';
import { sendPdf } from '../../lib/pdf.js';
import { typedText, wellFormed } from '../../lib/validation.js';
import { PAGE_SIZE } from '../account/account.views.js';
import { readDocumentPdf } from '../documents/documents.service.js';
import { SEARCH_PAGE_SIZE, customerDocument, customerDocuments, findCustomerFile, homeCounts, searchCustomers, } from './customers.backoffice.queries.js';
import { inboxSummary } from '../contact/contact.backoffice.queries.js';
import { mandateCounts } from '../direct-debit/direct-debit.backoffice.queries.js';
import { paperCounts } from '../documents/documents.backoffice.queries.js';
import { countNeverActivated } from '../letters/letters.queries.js';
import { countOutbox } from '../mail/mail.backoffice.queries.js';
import { CustomerDocumentsView, CustomerView, HomeView, SearchView, searchHref } from './customers.backoffice.views.js';
import { searchPlan } from './customers.rules.js';
import { findCustomerByNumber } from './customers.service.js';
/*
 * The back office's customers (inside the staff area, under `/gestion`, for any member): the
 * home page with the search box, the search, one customer's page, their documents and PDFs.
 * Opening a customer's page, their documents or a PDF is audited, on that customer.
 */
const searchQuery = z.object({
    q: typedText(200),
    page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) });
const customerParams = z.object({ number: z.string().max(40) });
/** `:file` is `<document number>.pdf`. */
const pdfParams = z.object({
    number: z.string().max(40),
    file: wellFormed(z
        .string()
        .regex(/^[A-Za-z0-9/_-]{1,40}\.pdf$/)
        .transform((file) => file.slice(0, -'.pdf'.length))),
});
const customersBackOfficeRoutes = async (app) => {
    const { db, clock } = app;
    /** The agent's start page: what waits in each queue, counted by its feature with its list's own filter. */
    app.get('/', async (req, reply) => {
        const now = clock.now();
        const inbox = (assignee) => inboxSummary(db, { state: 'waiting', assignee }, req.staff.id, now);
        const mails = (state) => countOutbox(db, { state, recipient: '', template: null });
        const [requestsWaiting, unassigned, mine, mandates, paper, mailsFailing, mailsDead, neverActivated, counts] = await Promise.all([
            inbox(),
            inbox('nobody'),
            inbox('me'),
            mandateCounts(db),
            paperCounts(db),
            mails('failing'),
            mails('dead'),
            countNeverActivated(db),
            homeCounts(db),
        ]);
        const queues = {
            requestsWaiting,
            requestsUnassigned: unassigned.count,
            requestsMine: mine.count,
            mandatesToValidate: mandates.to_validate,
            paper,
            mailsFailing,
            mailsDead,
            neverActivated,
            customers: counts.customers,
        };
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('customers.home.title'), _jsx(HomeView, { ctx: ctx, queues: queues, now: now }));
    });
    app.get('/clients', async (req, reply) => {
        const { q, page } = searchQuery.parse(req.query ?? {});
        let outcome = { kind: 'empty' };
        if (q.trim() !== '') {
            // Too short a query would read half the customers: it is not run.
            const plan = searchPlan(q);
            if (!plan)
                outcome = { kind: 'tooShort' };
            else {
                const found = await searchCustomers(db, plan, { limit: SEARCH_PAGE_SIZE, offset: (page - 1) * SEARCH_PAGE_SIZE });
                // Past the last page (a list that got shorter): the last page.
                if (found.rows.length === 0 && found.total > 0)
                    return reply.redirect(searchHref(q, Math.ceil(found.total / SEARCH_PAGE_SIZE)));
                outcome = { kind: 'results', page, ...found };
            }
        }
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('customers.search.title'), _jsx(SearchView, { ctx: ctx, query: q, outcome: outcome }));
    });
    app.get('/clients/:number', async (req, reply) => {
        const { number } = customerParams.parse(req.params);
        const file = await findCustomerFile(db, clock, number);
        if (!file)
            throw notFound();
        await auditStaffRead(req, 'customer.view', file.customer.id, { page: 'customer' });
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('customers.page.title', { number }), _jsx(CustomerView, { ctx: ctx, file: file }));
    });
    app.get('/clients/:number/documents', async (req, reply) => {
        const { number } = customerParams.parse(req.params);
        const { page } = pageQuery.parse(req.query ?? {});
        const customer = await findCustomerByNumber(db, number);
        if (!customer)
            throw notFound();
        const documents = await customerDocuments(db, customer.id, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
        await auditStaffRead(req, 'customer.view', customer.id, { page: 'documents' });
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('customers.documents.title', { number }), _jsx(CustomerDocumentsView, { ctx: ctx, customer: customer, rows: documents.rows, total: documents.total, page: page, size: PAGE_SIZE }));
    });
    /** A document's PDF, exactly as stored at issue (the customer's own download reads it the same way). */
    app.get('/clients/:number/documents/:file', async (req, reply) => {
        const { number, file } = pdfParams.parse(req.params);
        const customer = await findCustomerByNumber(db, number);
        const doc = customer && file.value ? await customerDocument(db, customer.id, file.value) : undefined;
        if (!customer || !doc?.pdf_sha256)
            throw notFound();
        const bytes = await readDocumentPdf(app.storage, doc.pdf_sha256);
        await auditStaffRead(req, 'customer.document_download', customer.id, { document: doc.number });
        return sendPdf(reply, `${doc.number}.pdf`, bytes);
    });
};
export default customersBackOfficeRoutes;
//# sourceMappingURL=customers.backoffice.routes.js.map