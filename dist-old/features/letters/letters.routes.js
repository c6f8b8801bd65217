import { jsx as _jsx } from "preact/jsx-runtime";
import { z } from 'zod';
import { sendCsv } from '../../lib/csv.js';
import { audit, requestMeta } from '../../lib/audit.js';
import { isoDate } from '../../lib/clock.js';
import { notFound } from '../../lib/errors.js';
import { addError } from '../../lib/forms.js';
import { pageContext, sendPage } from '../../lib/page.js';
import { sendPdf } from '../../lib/pdf.js';
import { uuid } from '../../lib/validation.js';
import { countNeverActivated, findBatch, lettersTo, neverActivated, recentBatches } from './letters.queries.js';
import { MAX_LISTED, batchForm, parseNumbers } from './letters.rules.js';
import { issueBatch } from './letters.service.js';
import { LettersView } from './letters.views.js';
/*
 * Letters in bulk, in the back office (any member):
 *   GET  /gestion/courriers          the page: how many customers never activated, a list to type, the batches printed
 *   POST /gestion/courriers          a batch: new temporary passwords, answered as one PDF (a download, once)
 *   GET  /gestion/courriers/:id.csv  what a batch printed, for the print shop (no password)
 * The PDF is the POST's answer — the passwords exist nowhere else —, so the CSV cannot come
 * with it: it is kept with the batch (`letter_batches`) and listed on the page.
 */
const batchParams = z.object({ file: z.string() });
const lettersRoutes = async (app) => {
    const { db, clock, config } = app;
    const renderPage = async (req, reply, values, errors = {}, status = 200) => {
        const [count, batches] = await Promise.all([countNeverActivated(db), recentBatches(db)]);
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('letters.title'), _jsx(LettersView, { ctx: ctx, neverActivated: count, batches: batches, values: values, errors: errors }), status);
    };
    app.get('/courriers', (req, reply) => renderPage(req, reply, { selection: 'liste', numbers: '' }));
    app.post('/courriers', async (req, reply) => {
        const values = batchForm.parse(req.body);
        const errors = {};
        let recipients;
        if (values.selection === 'jamais') {
            recipients = await neverActivated(db);
            if (recipients.length === 0)
                addError(errors, 'selection', 'letters.error.none');
        }
        else {
            const numbers = parseNumbers(values.numbers);
            if (numbers.length === 0)
                addError(errors, 'numbers', 'letters.error.empty');
            else if (numbers.length > MAX_LISTED)
                addError(errors, 'numbers', 'letters.error.tooMany', { max: MAX_LISTED });
            else {
                recipients = await lettersTo(db, numbers);
                const found = new Set(recipients.map((r) => r.number));
                for (const number of numbers)
                    if (!found.has(number))
                        addError(errors, 'numbers', 'letters.error.unknown', { number });
                // In the order typed: the PDF's pages and the CSV's lines follow the list.
                recipients.sort((a, b) => numbers.indexOf(a.number) - numbers.indexOf(b.number));
            }
        }
        if (!recipients || Object.keys(errors).length > 0)
            return renderPage(req, reply, values, errors, 400);
        const actor = { staffId: req.staff.id, meta: requestMeta(req) };
        const { pdf, batchId } = await issueBatch(db, clock, config, actor, recipients, values.selection === 'jamais' ? 'never_activated' : 'list');
        return sendPdf(reply, `courriers-${isoDate(clock.now())}-${batchId.slice(-8)}.pdf`, pdf);
    });
    app.get('/courriers/:file', async (req, reply) => {
        const { file } = batchParams.parse(req.params);
        const id = file.endsWith('.csv') ? uuid.safeParse(file.slice(0, -'.csv'.length)).data : undefined;
        const batch = id ? await findBatch(db, id) : undefined;
        if (!batch)
            throw notFound('no such batch of letters');
        await audit(db, clock, {
            actor_type: 'staff',
            actor_id: req.staff.id,
            action: 'letters.batch_csv',
            outcome: 'success',
            target_type: 'letter_batch',
            target_id: batch.id,
            ...requestMeta(req),
        });
        return sendCsv(reply, `courriers-${batch.created_at.slice(0, 10)}-${batch.id.slice(-8)}.csv`, batch.csv);
    });
};
export default lettersRoutes;
//# sourceMappingURL=letters.routes.js.map