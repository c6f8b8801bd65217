import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { staffActor } from '../../lib/audit.ts';
import { nowIso } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { form, localPath, pageNumber, typedText, uuid, wellFormed } from '../../lib/validation.ts';
import { PAGE_SIZE } from '../account/account.views.tsx';
import { type RequeueOutcome, retryMessage } from './mail.backoffice.ts';
import { OUTBOX_STATES, listOutbox, outboxMessage, outboxTemplates } from './mail.backoffice.queries.ts';
import { EMAILS_PATH, type EmailsPageData, EmailsView } from './mail.backoffice.views.tsx';

/*
 * The outbox, in the back office (staff area, `/gestion`):
 *   GET  /gestion/emails                       messages waiting, failing, sent and given up; filters, paging
 *   POST /gestion/emails/:id/nouvel-essai      send a failed message again, while it still has its content
 * Never a message's bodies or headers (`mail.backoffice.queries.ts`).
 */

/** What a retry did, as the list's URL says it (`?essai=`). */
const outcomeSlugs = { requeued: 'ok', content_forgotten: 'efface', already_sent: 'envoye', not_failed: 'attente', in_flight: 'en-cours' } as const satisfies Record<Exclude<RequeueOutcome, 'not_found'>, string>;
const slugOutcomes = Object.fromEntries(Object.entries(outcomeSlugs).map(([k, v]) => [v, k])) as Record<string, Exclude<RequeueOutcome, 'not_found'>>;

const listQuery = z.object({
  etat: z.enum(OUTBOX_STATES).optional().catch(undefined),
  destinataire: typedText(254).default(''),
  modele: typedText(60).default(''),
  page: pageNumber,
  essai: z.enum(Object.values(outcomeSlugs) as [string, ...string[]]).optional().catch(undefined),
  message: uuid.optional().catch(undefined),
});
const idParams = z.object({ id: wellFormed(uuid) });
/** The list to come back to, with its filters: a page of the outbox list, else the list. */
const retryBody = form({ retour: localPath.refine((p) => p === EMAILS_PATH || p.startsWith(`${EMAILS_PATH}?`)).catch(EMAILS_PATH) });

const mailBackofficeRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock } = app;

  app.get('/emails', async (req, reply) => {
    const q = listQuery.parse(req.query ?? {});
    const filters = { state: q.etat ?? null, recipient: q.destinataire.trim(), template: q.modele.trim() || null };
    const [{ rows, total }, templates, retriedMessage] = await Promise.all([
      listOutbox(db, nowIso(clock), filters, q.page, PAGE_SIZE),
      outboxTemplates(db),
      q.essai && q.message ? outboxMessage(db, q.message) : undefined,
    ]);
    const retried: EmailsPageData['retried'] = q.essai && retriedMessage ? { outcome: slugOutcomes[q.essai]!, ...retriedMessage } : null;
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('mail.bo.title'), <EmailsView ctx={ctx} data={{ filters, templates, rows, total, page: q.page, retried }} />);
  });

  app.post('/emails/:id/nouvel-essai', async (req, reply) => {
    const { id } = idParams.parse(req.params);
    if (!id.value) throw notFound();
    const { retour } = retryBody.parse(req.body);
    const { outcome } = await retryMessage(db, clock, id.value, staffActor(req));
    if (outcome === 'not_found') throw notFound();
    return reply.redirect(`${retour}${retour.includes('?') ? '&' : '?'}essai=${outcomeSlugs[outcome]}&message=${id.value}`, 303);
  });
};

export default mailBackofficeRoutes;
