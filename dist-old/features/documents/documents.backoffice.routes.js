import { jsx as _jsx } from "preact/jsx-runtime";
import { z } from 'zod';
import { staffActor } from '../../lib/audit.js';
import { sendCsv } from '../../lib/csv.js';
import { notFound } from '../../lib/errors.js';
import { pageContext, sendPage } from '../../lib/page.js';
import { pageNumber, present, uuid, wellFormed } from '../../lib/validation.js';
import { PAGE_SIZE } from '../account/account.views.js';
import { createPrintBatch, printBatchFile } from './documents.backoffice.js';
import { paperCounts, paperQueue, recentPrintBatches } from './documents.backoffice.queries.js';
import { PAPER_PATH, PaperQueueView } from './documents.backoffice.views.js';
/*
 * Customers who need paper, in the back office (staff area, `/gestion`):
 *   GET  /gestion/papier                          who has documents to receive by post, the latest batches
 *   POST /gestion/papier/lots                     a batch of everything waiting: marked sent to print
 *   GET  /gestion/papier/lots/:id/imprimeur.csv   the batch's file for the print shop (audited)
 */
const BATCHES_SHOWN = 10;
const pageQuery = z.object({ page: pageNumber, lot: z.string().optional().catch(undefined), vide: present });
const batchParams = z.object({ id: wellFormed(uuid) });
const documentsBackofficeRoutes = async (app) => {
    const { db, clock } = app;
    app.get('/papier', async (req, reply) => {
        const q = pageQuery.parse(req.query ?? {});
        const [counts, customers, batches] = await Promise.all([paperCounts(db), paperQueue(db, q.page, PAGE_SIZE), recentPrintBatches(db, BATCHES_SHOWN)]);
        const made = q.vide ? 'nothing' : (batches.find((b) => b.id === q.lot) ?? null);
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('documents.paper.title'), _jsx(PaperQueueView, { ctx: ctx, data: { counts, customers, page: q.page, batches, made } }));
    });
    app.post('/papier/lots', async (req, reply) => {
        const made = await createPrintBatch(db, clock, staffActor(req));
        return reply.redirect(made.ok ? `${PAPER_PATH}?lot=${made.batchId}` : `${PAPER_PATH}?vide`, 303);
    });
    app.get('/papier/lots/:id/imprimeur.csv', async (req, reply) => {
        const { id } = batchParams.parse(req.params);
        if (!id.value)
            throw notFound();
        const { createdAt, csv } = await printBatchFile(db, clock, id.value, staffActor(req));
        return sendCsv(reply, `impression-${createdAt.slice(0, 10)}-${id.value.slice(0, 8)}.csv`, csv);
    });
};
export default documentsBackofficeRoutes;
//# sourceMappingURL=documents.backoffice.routes.js.map