import { jsx as _jsx } from "preact/jsx-runtime";
import { z } from 'zod';
import { staffActor } from '../../lib/audit.js';
import { nowIso } from '../../lib/clock.js';
import { notFound } from '../../lib/errors.js';
import { pageContext, sendPage } from '../../lib/page.js';
import { form, localPath, pageNumber, typedText, uuid, wellFormed } from '../../lib/validation.js';
import { PAGE_SIZE } from '../account/account.views.js';
import { retryMessage } from './mail.backoffice.js';
import { OUTBOX_STATES, listOutbox, outboxMessage, outboxTemplates } from './mail.backoffice.queries.js';
import { EMAILS_PATH, EmailsView } from './mail.backoffice.views.js';
/*
 * The outbox, in the back office (staff area, `/gestion`):
 *   GET  /gestion/emails                       messages waiting, failing, sent and given up; filters, paging
 *   POST /gestion/emails/:id/nouvel-essai      send a failed message again, while it still has its content
 * Never a message's bodies or headers (`mail.backoffice.queries.ts`).
 */
/** What a retry did, as the list's URL says it (`?essai=`). */
const outcomeSlugs = { requeued: 'ok', content_forgotten: 'efface', already_sent: 'envoye', not_failed: 'attente', in_flight: 'en-cours' };
const slugOutcomes = Object.fromEntries(Object.entries(outcomeSlugs).map(([k, v]) => [v, k]));
const listQuery = z.object({
    etat: z.enum(OUTBOX_STATES).optional().catch(undefined),
    destinataire: typedText(254).default(''),
    modele: typedText(60).default(''),
    page: pageNumber,
    essai: z.enum(Object.values(outcomeSlugs)).optional().catch(undefined),
    message: uuid.optional().catch(undefined),
});
const idParams = z.object({ id: wellFormed(uuid) });
/** The list to come back to, with its filters: a page of the outbox list, else the list. */
const retryBody = form({ retour: localPath.refine((p) => p === EMAILS_PATH || p.startsWith(`${EMAILS_PATH}?`)).catch(EMAILS_PATH) });
const mailBackofficeRoutes = async (app) => {
    const { db, clock } = app;
    app.get('/emails', async (req, reply) => {
        const q = listQuery.parse(req.query ?? {});
        const filters = { state: q.etat ?? null, recipient: q.destinataire.trim(), template: q.modele.trim() || null };
        const [{ rows, total }, templates, retriedMessage] = await Promise.all([
            listOutbox(db, nowIso(clock), filters, q.page, PAGE_SIZE),
            outboxTemplates(db),
            q.essai && q.message ? outboxMessage(db, q.message) : undefined,
        ]);
        const retried = q.essai && retriedMessage ? { outcome: slugOutcomes[q.essai], ...retriedMessage } : null;
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('mail.bo.title'), _jsx(EmailsView, { ctx: ctx, data: { filters, templates, rows, total, page: q.page, retried } }));
    });
    app.post('/emails/:id/nouvel-essai', async (req, reply) => {
        const { id } = idParams.parse(req.params);
        if (!id.value)
            throw notFound();
        const { retour } = retryBody.parse(req.body);
        const { outcome } = await retryMessage(db, clock, id.value, staffActor(req));
        if (outcome === 'not_found')
            throw notFound();
        return reply.redirect(`${retour}${retour.includes('?') ? '&' : '?'}essai=${outcomeSlugs[outcome]}&message=${id.value}`, 303);
    });
};
export default mailBackofficeRoutes;
//# sourceMappingURL=mail.backoffice.routes.js.map