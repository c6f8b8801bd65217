import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendCsv } from '../../lib/csv.ts';
import { audit, requestMeta } from '../../lib/audit.ts';
import { isoDate } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import { addError } from '../../lib/forms.tsx';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { sendPdf } from '../../lib/pdf.ts';
import { uuid } from '../../lib/validation.ts';
import { countNeverActivated, findBatch, lettersTo, neverActivated, recentBatches } from './letters.queries.ts';
import { type BatchValues, MAX_LISTED, batchForm, parseNumbers } from './letters.rules.ts';
import { issueBatch } from './letters.service.ts';
import { type BatchErrors, LettersView } from './letters.views.tsx';

/*
 * Letters in bulk, in the back office (any member):
 *   GET  /gestion/courriers          the page: how many customers never activated, a list to type, the batches printed
 *   POST /gestion/courriers          a batch: new temporary passwords, answered as one PDF (a download, once)
 *   GET  /gestion/courriers/:id.csv  what a batch printed, for the print shop (no password)
 * The PDF is the POST's answer — the passwords exist nowhere else —, so the CSV cannot come
 * with it: it is kept with the batch (`letter_batches`) and listed on the page.
 */

const batchParams = z.object({ file: z.string() });

const lettersRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  const renderPage = async (req: FastifyRequest, reply: FastifyReply, values: BatchValues, errors: BatchErrors = {}, status = 200) => {
    const [count, batches] = await Promise.all([countNeverActivated(db), recentBatches(db)]);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('letters.title'), <LettersView ctx={ctx} neverActivated={count} batches={batches} values={values} errors={errors} />, status);
  };

  app.get('/courriers', (req, reply) => renderPage(req, reply, { selection: 'liste', numbers: '' }));

  app.post('/courriers', async (req, reply) => {
    const values = batchForm.parse(req.body);
    const errors: BatchErrors = {};
    let recipients;
    if (values.selection === 'jamais') {
      recipients = await neverActivated(db);
      if (recipients.length === 0) addError(errors, 'selection', 'letters.error.none');
    } else {
      const numbers = parseNumbers(values.numbers);
      if (numbers.length === 0) addError(errors, 'numbers', 'letters.error.empty');
      else if (numbers.length > MAX_LISTED) addError(errors, 'numbers', 'letters.error.tooMany', { max: MAX_LISTED });
      else {
        recipients = await lettersTo(db, numbers);
        const found = new Set(recipients.map((r) => r.number));
        for (const number of numbers) if (!found.has(number)) addError(errors, 'numbers', 'letters.error.unknown', { number });
        // In the order typed: the PDF's pages and the CSV's lines follow the list.
        recipients.sort((a, b) => numbers.indexOf(a.number) - numbers.indexOf(b.number));
      }
    }
    if (!recipients || Object.keys(errors).length > 0) return renderPage(req, reply, values, errors, 400);

    const actor = { staffId: req.staff.id, meta: requestMeta(req) };
    const { pdf, batchId } = await issueBatch(db, clock, config, actor, recipients, values.selection === 'jamais' ? 'never_activated' : 'list');
    return sendPdf(reply, `courriers-${isoDate(clock.now())}-${batchId.slice(-8)}.pdf`, pdf);
  });

  app.get('/courriers/:file', async (req, reply) => {
    const { file } = batchParams.parse(req.params);
    const id = file.endsWith('.csv') ? uuid.safeParse(file.slice(0, -'.csv'.length)).data : undefined;
    const batch = id ? await findBatch(db, id) : undefined;
    if (!batch) throw notFound('no such batch of letters');
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
