import { jsx as _jsx } from "preact/jsx-runtime";
import { z } from 'zod';
import { audit, auditStaffRead, requestMeta } from '../../lib/audit.js';
import { newId } from '../../lib/clock.js';
import { addError } from '../../lib/forms.js';
import { notFound } from '../../lib/errors.js';
import { pageContext, sendPage } from '../../lib/page.js';
import { contentStore } from '../../lib/content-store.js';
import { checkbox, form, typedText, uuid } from '../../lib/validation.js';
import { PAGE_SIZE } from '../account/account.views.js';
import { assignableStaff, findAttachmentForStaff, findRequestForStaff, inboxPage } from './contact.backoffice.queries.js';
import { InboxView, StaffRequestView } from './contact.backoffice.views.js';
import { staffRequestPath } from './contact.mails.js';
import { CATEGORIES, STATES, checkMessage, isSettableState } from './contact.rules.js';
import { attachmentParams, referenceParam, sendAttachment } from './contact.routes.js';
import { addInternalNote, assignRequest, changeRequestState, readAttachment, replyToRequest } from './contact.service.js';
/*
 * The contact requests in the back office (`/gestion/demandes`, any logged-in member): the
 * inbox, one request with its attachments and conversation, and what an agent does with it —
 * assign, note, reply, change its state. Every action is audited against the customer; a form
 * with errors comes back (400) with what was typed; a change answers with a redirect to the
 * request and a notice.
 */
/** The inbox's filters, from the query string; anything malformed is simply not applied. */
const inboxQuery = z.object({
    etat: z
        .enum([...STATES, 'a-traiter', 'toutes'])
        .optional()
        .catch(undefined),
    objet: z.enum(CATEGORIES).optional().catch(undefined),
    contrat: z
        .string()
        .max(40)
        .optional()
        .catch(undefined)
        .transform((s) => s?.trim().toUpperCase() || undefined),
    plus_de: z
        .string()
        .regex(/^\d{1,4}$/)
        .optional()
        .catch(undefined)
        .transform((s) => (s === undefined ? undefined : Number(s))),
    attribution: z.enum(['moi', 'personne']).optional().catch(undefined),
    page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
const requestParams = z.object({ reference: referenceParam });
/** What each action's form sends. */
const assignBody = form({ assignee: typedText(100) });
const noteBody = form({ note: typedText().transform((s) => s.replace(/\r\n?/g, '\n')), submission: typedText(36) });
const replyBody = form({ reply: typedText().transform((s) => s.replace(/\r\n?/g, '\n')), close: checkbox, submission: typedText(36) });
const stateBody = form({ state: typedText(40) });
/** The notices a request page is redirected to, by the action done. */
const noticeQuery = z.object({
    fait: z.enum(['attribuee', 'note', 'reponse', 'reponse-sans-email', 'etat']).optional().catch(undefined),
});
/** A one-time id of a form, as sent: a UUID, else none. */
const submissionOf = (s) => (uuid.safeParse(s).success ? s : null);
const blankValues = () => ({ note: '', reply: '', close: false, noteSubmission: newId(), replySubmission: newId() });
const contactBackofficeRoutes = async (app) => {
    const { db, clock, config } = app;
    const attachments = contentStore(config, 'attachments');
    const actionContext = (req) => ({ db, clock, config, staffId: req.staff.id, meta: requestMeta(req) });
    app.get('/demandes', async (req, reply) => {
        const q = inboxQuery.parse(req.query ?? {});
        const filters = {
            state: q.etat === 'toutes' ? 'all' : q.etat === 'a-traiter' ? 'waiting' : (q.etat ?? 'open'),
            category: q.objet,
            contract: q.contrat,
            olderThanDays: q.plus_de,
            assignee: q.attribution === 'moi' ? 'me' : q.attribution === 'personne' ? 'nobody' : undefined,
        };
        const now = clock.now();
        const { rows, total } = await inboxPage(db, filters, req.staff.id, now, { limit: PAGE_SIZE, offset: (q.page - 1) * PAGE_SIZE });
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('contact.inbox.title'), _jsx(InboxView, { ctx: ctx, filters: filters, rows: rows, total: total, page: q.page, now: now }));
    });
    /** The request of the route's reference, or the 404 page. */
    async function requestOf(req) {
        const { reference } = requestParams.parse(req.params);
        const request = reference.value ? await findRequestForStaff(db, reference.value) : undefined;
        if (!request)
            throw notFound(`contact request ${reference.raw}`);
        return request;
    }
    /** The request page, with a notice after an action, or a form again with its errors (400). */
    async function renderRequest(req, reply, form) {
        const [request, staff] = await Promise.all([requestOf(req), assignableStaff(db)]);
        // Reading a customer's request is audited; a form shown again after a mistake is not a new read.
        if (req.method === 'GET')
            await auditStaffRead(req, 'contact.request_view', request.customer_id, { reference: request.reference });
        const { fait } = noticeQuery.parse(req.query ?? {});
        let notice = null;
        if (!form && fait) {
            if (fait === 'attribuee') {
                notice = request.assignee_name ? { key: 'contact.staff.done.assigned', params: { name: request.assignee_name } } : { key: 'contact.staff.done.unassigned' };
            }
            else {
                const keys = { note: 'contact.staff.done.note', reponse: 'contact.staff.done.reply', 'reponse-sans-email': 'contact.staff.done.replyNoEmail', etat: 'contact.staff.done.state' };
                notice = { key: keys[fait] };
            }
        }
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('contact.request.title', { reference: request.reference }), _jsx(StaffRequestView, { ctx: ctx, request: request, staff: staff, meId: req.staff.id, notice: notice, values: form?.values ?? blankValues(), errors: form?.errors ?? {} }), form ? 400 : 200);
    }
    const done = (reply, reference, what, anchor) => reply.redirect(`${staffRequestPath(reference)}?fait=${what}#${anchor}`, 303);
    app.get('/demandes/:reference', (req, reply) => renderRequest(req, reply, null));
    /** An attachment, downloaded — never shown inline —, each download audited. */
    app.get('/demandes/:reference/pieces/:id', async (req, reply) => {
        const { reference, id } = attachmentParams.parse(req.params);
        const file = reference.value && id.value ? await findAttachmentForStaff(db, reference.value, id.value) : undefined;
        if (!file)
            throw notFound(`attachment ${reference.raw}/${id.raw}`);
        const bytes = await readAttachment(attachments, file.sha256);
        await audit(db, clock, {
            actor_type: 'staff',
            actor_id: req.staff.id,
            action: 'contact.attachment_download',
            outcome: 'success',
            target_type: 'customer',
            target_id: file.customer_id,
            ...requestMeta(req),
            details: { reference: file.reference, attachment: file.id, name: file.original_name },
        });
        return sendAttachment(reply, file, bytes);
    });
    app.post('/demandes/:reference/attribution', async (req, reply) => {
        const request = await requestOf(req);
        const { assignee } = assignBody.parse(req.body);
        const result = await assignRequest(actionContext(req), request.reference, assignee === '' ? null : assignee);
        if (!result.ok) {
            const errors = {};
            addError(errors, 'assignee', 'contact.staff.error.assignee');
            return renderRequest(req, reply, { values: blankValues(), errors });
        }
        return done(reply, request.reference, 'attribuee', 'request-details');
    });
    app.post('/demandes/:reference/note', async (req, reply) => {
        const request = await requestOf(req);
        const body = noteBody.parse(req.body);
        const errors = {};
        const note = checkMessage(errors, 'note', body.note);
        if (errors.note)
            return renderRequest(req, reply, { values: { ...blankValues(), note: body.note, noteSubmission: submissionOf(body.submission) ?? newId() }, errors });
        await addInternalNote(actionContext(req), request.reference, { body: note, submissionId: submissionOf(body.submission) });
        return done(reply, request.reference, 'note', 'conversation');
    });
    app.post('/demandes/:reference/reponse', async (req, reply) => {
        const request = await requestOf(req);
        const body = replyBody.parse(req.body);
        const errors = {};
        const text = checkMessage(errors, 'reply', body.reply);
        if (errors.reply) {
            return renderRequest(req, reply, { values: { ...blankValues(), reply: body.reply, close: body.close, replySubmission: submissionOf(body.submission) ?? newId() }, errors });
        }
        const { emailedTo } = await replyToRequest(actionContext(req), request.reference, { body: text, close: body.close, submissionId: submissionOf(body.submission) });
        return done(reply, request.reference, emailedTo.length > 0 ? 'reponse' : 'reponse-sans-email', 'conversation');
    });
    app.post('/demandes/:reference/etat', async (req, reply) => {
        const request = await requestOf(req);
        const { state } = stateBody.parse(req.body);
        if (!isSettableState(state)) {
            const errors = {};
            addError(errors, 'state', 'contact.staff.error.state');
            return renderRequest(req, reply, { values: blankValues(), errors });
        }
        await changeRequestState(actionContext(req), request.reference, state);
        return done(reply, request.reference, 'etat', 'request-details');
    });
};
export default contactBackofficeRoutes;
//# sourceMappingURL=contact.backoffice.routes.js.map