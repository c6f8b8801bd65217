import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { staffActor } from '../../lib/audit.ts';
import { notFound } from '../../lib/errors.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { uuid } from '../../lib/validation.ts';
import { terminationQueue, terminationRecord } from './terminations.queries.ts';
import { processTermination } from './terminations.service.ts';
import { QueueView } from './terminations.views.tsx';

/*
 * "Résiliations", in the back office (any member):
 *   GET  /gestion/resiliations               those to process (badge to get back, final invoice or credit note to issue), oldest first; those processed
 *   POST /gestion/resiliations/:id/traitee   processed (the `contract.termination_processed` event, audited)
 */

const idParams = z.object({ id: z.string() });
const doneQuery = z.object({ traitee: z.string().regex(/^RES-[A-Z0-9]{1,12}$/).optional().catch(undefined) });

const terminationsBackofficeRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock } = app;

  app.get('/resiliations', async (req, reply) => {
    const { traitee } = doneQuery.parse(req.query ?? {});
    const [toProcess, processed] = await Promise.all([terminationQueue(db, 'requested'), terminationQueue(db, 'processed')]);
    const ctx = pageContext(req, reply);
    const done = traitee ? ctx.t('terminations.bo.done', { reference: traitee }) : null;
    return sendPage(reply, ctx, ctx.t('terminations.bo.title'), <QueueView ctx={ctx} toProcess={toProcess} processed={processed} done={done} />);
  });

  app.post('/resiliations/:id/traitee', async (req, reply) => {
    const id = uuid.safeParse(idParams.parse(req.params).id).data;
    const r = id ? await terminationRecord(db, id) : undefined;
    if (!id || !r) throw notFound('no such termination');
    if (!(await processTermination(db, clock, staffActor(req), id))) {
      const ctx = pageContext(req, reply);
      return sendPage(reply, ctx, ctx.t('terminations.bo.title'), <QueueView ctx={ctx} toProcess={await terminationQueue(db, 'requested')} processed={await terminationQueue(db, 'processed')} done={ctx.t('terminations.bo.gone')} />, 409);
    }
    return reply.redirect(`/gestion/resiliations?traitee=${encodeURIComponent(r.reference)}`, 303);
  });
};

export default terminationsBackofficeRoutes;
