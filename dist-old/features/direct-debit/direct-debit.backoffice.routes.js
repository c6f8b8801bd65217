import { jsx as _jsx } from "preact/jsx-runtime";
import { z } from 'zod';
import { auditStaffRead, staffActor } from '../../lib/audit.js';
import { parisDate } from '../../lib/clock.js';
import { isAppError, notFound } from '../../lib/errors.js';
import { addError } from '../../lib/forms.js';
import { pageContext, sendPage } from '../../lib/page.js';
import { sendPdf } from '../../lib/pdf.js';
import { form, pageNumber, present, typedText, uuid, wellFormed } from '../../lib/validation.js';
import { PAGE_SIZE } from '../account/account.views.js';
import { recordPaperMandate, rejectMandate, revealIban, signedMandatePdf, validateMandate } from './direct-debit.backoffice.js';
import { holderPrefill } from './direct-debit.service.js';
import { MANDATE_STATES, listMandates, mandateCounts, mandateHistory, paperMandateCustomer, staffMandate } from './direct-debit.backoffice.queries.js';
import { MANDATES_PATH, MandateListView, MandatePageView, PaperCustomerView, PaperMandateFormView, } from './direct-debit.backoffice.views.js';
import { paperMandateForm, rejectionReason, validatePaperMandate } from './direct-debit.rules.js';
/*
 * Customer service's mandates, in the back office (staff area, `/gestion`):
 *   GET  /gestion/mandats                      the mandates to validate, oldest signed first; the others by state
 *   GET  /gestion/mandats/:id                  one mandate: facts, masked IBAN, signed PDF, history, decision
 *   POST /gestion/mandats/:id/validation       validate (the customer is told)
 *   POST /gestion/mandats/:id/refus            reject with a reason (the customer is told, with what to do)
 *   POST /gestion/mandats/:id/iban             the full IBAN, admins only, each viewing audited
 *   GET  /gestion/mandats/:id/mandat.pdf       the signed PDF (it prints the full IBAN): admins only, downloaded, audited
 *   GET  /gestion/mandats/papier, POST         record a paper mandate received by post
 * Any member may act but on the full IBAN (shown, or printed on the signed PDF). The steps and their audit are `direct-debit.backoffice.ts`.
 */
const idParams = z.object({ id: wellFormed(uuid) });
const listQuery = z.object({ etat: z.enum(MANDATE_STATES).catch('to_validate').default('to_validate'), page: pageNumber });
const noticeQuery = z.object({ ok: z.enum(['valide', 'refuse', 'papier']).optional().catch(undefined), deja: present });
const rejectBody = form({ reason: typedText(2000) });
const customerField = form({ client: typedText(40) });
const notices = {
    valide: { key: 'directDebit.bo.notice.validated', kind: 'status' },
    refuse: { key: 'directDebit.bo.notice.rejected', kind: 'status' },
    papier: { key: 'directDebit.bo.notice.paper', kind: 'status' },
};
/** A customer number as typed: spaces do not count, case neither. */
const customerNumber = (typed) => typed.replace(/\s/g, '').toUpperCase();
const directDebitBackofficeRoutes = async (app) => {
    const { db, clock, config } = app;
    /** The `:id` of a request, or a 404 when it cannot be a mandate's. */
    const mandateId = (req) => {
        const { id } = idParams.parse(req.params);
        if (!id.value)
            throw notFound();
        return id.value;
    };
    // ---------------------------------------------------------------- the list
    app.get('/mandats', async (req, reply) => {
        const q = listQuery.parse(req.query ?? {});
        const status = q.etat;
        const [{ rows, total }, counts] = await Promise.all([listMandates(db, status, q.page, PAGE_SIZE), mandateCounts(db)]);
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('directDebit.bo.title'), _jsx(MandateListView, { ctx: ctx, data: { status, states: MANDATE_STATES, counts, rows, total, page: q.page } }));
    });
    // ---------------------------------------------------------------- one mandate
    async function renderMandate(req, reply, id, extra, status = 200) {
        const mandate = await staffMandate(db, id);
        if (!mandate)
            throw notFound();
        // Reading a customer's mandate is audited; a form shown again after a mistake is not a new read.
        if (req.method === 'GET')
            await auditStaffRead(req, 'mandate.view', mandate.customer.id, { rum: mandate.rum });
        const history = await mandateHistory(db, mandate.rum);
        const ctx = pageContext(req, reply);
        const data = {
            mandate,
            history,
            isAdmin: req.staff.role === 'admin',
            revealed: extra.revealed ?? null,
            notice: extra.notice ?? null,
            reason: extra.reason ?? '',
            reasonError: extra.reasonError,
        };
        return sendPage(reply, ctx, ctx.t('directDebit.bo.mandate.title', { rum: mandate.rum }), _jsx(MandatePageView, { ctx: ctx, data: data }), status);
    }
    /** Where a decision that came too late goes: the mandate, saying it was decided already. */
    const alreadyDecided = (reply, id) => reply.redirect(`${MANDATES_PATH}/${id}?deja`, 303);
    app.get('/mandats/:id', async (req, reply) => {
        const id = mandateId(req);
        const q = noticeQuery.parse(req.query ?? {});
        const notice = q.ok ? notices[q.ok] : q.deja ? { key: 'directDebit.bo.notice.already', kind: 'error' } : null;
        return renderMandate(req, reply, id, { notice });
    });
    app.post('/mandats/:id/validation', async (req, reply) => {
        const id = mandateId(req);
        try {
            await validateMandate(db, clock, config, id, staffActor(req));
        }
        catch (e) {
            if (isAppError(e, 'mandate_not_to_validate'))
                return alreadyDecided(reply, id);
            throw e;
        }
        return reply.redirect(`${MANDATES_PATH}/${id}?ok=valide`, 303);
    });
    app.post('/mandats/:id/refus', async (req, reply) => {
        const id = mandateId(req);
        const { reason } = rejectBody.parse(req.body);
        const checked = rejectionReason(reason);
        if (!checked.ok) {
            const mandate = await staffMandate(db, id);
            if (!mandate)
                throw notFound();
            if (mandate.status !== 'to_validate')
                return alreadyDecided(reply, id);
            return renderMandate(req, reply, id, { reason, reasonError: checked.error }, 400);
        }
        try {
            await rejectMandate(db, clock, config, id, staffActor(req), checked.reason);
        }
        catch (e) {
            if (isAppError(e, 'mandate_not_to_validate'))
                return alreadyDecided(reply, id);
            throw e;
        }
        return reply.redirect(`${MANDATES_PATH}/${id}?ok=refuse`, 303);
    });
    /** The full IBAN: answered to this request only (never in a URL; every answer is `no-store`), audited each time. */
    app.post('/mandats/:id/iban', { config: { staffAccess: 'admin' } }, async (req, reply) => {
        const id = mandateId(req);
        const revealed = await revealIban(db, clock, config, id, staffActor(req));
        return renderMandate(req, reply, id, { revealed });
    });
    /** The signed PDF prints the full IBAN: admins only, as the IBAN itself. */
    app.get('/mandats/:id/mandat.pdf', { config: { staffAccess: 'admin' } }, async (req, reply) => {
        const id = mandateId(req);
        const { rum, pdf } = await signedMandatePdf(db, clock, config, app.storage, id, staffActor(req));
        return sendPdf(reply, `mandat-${rum}.pdf`, pdf);
    });
    // ---------------------------------------------------------------- a paper mandate received by post
    function renderPaperForm(req, reply, found, values, errors, status = 200) {
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('directDebit.bo.paper.title'), _jsx(PaperMandateFormView, { ctx: ctx, form: { found, values, errors } }), status);
    }
    function renderPaperCustomer(req, reply, number, unknown) {
        const ctx = pageContext(req, reply);
        const error = unknown ? { key: 'directDebit.bo.error.customer.unknown', params: { number } } : undefined;
        return sendPage(reply, ctx, ctx.t('directDebit.bo.paper.title'), _jsx(PaperCustomerView, { ctx: ctx, number: number, error: error }), unknown ? 400 : 200);
    }
    app.get('/mandats/papier', async (req, reply) => {
        const number = customerNumber(customerField.parse(req.query).client);
        if (number === '')
            return renderPaperCustomer(req, reply, '', false);
        const found = await paperMandateCustomer(db, number);
        if (!found)
            return renderPaperCustomer(req, reply, number, true);
        const { customer, contracts } = found;
        const values = {
            ...holderPrefill(customer),
            iban: '',
            bic: '',
            contracts: contracts.length === 1 ? [contracts[0].id] : [],
            place: '',
            signed_on: '',
            rum: '',
        };
        return renderPaperForm(req, reply, found, values, {});
    });
    app.post('/mandats/papier', async (req, reply) => {
        const number = customerNumber(customerField.parse(req.body).client);
        const found = number === '' ? undefined : await paperMandateCustomer(db, number);
        if (!found)
            return renderPaperCustomer(req, reply, number, true);
        const values = paperMandateForm.parse(req.body);
        if (found.inForce)
            return renderPaperForm(req, reply, found, values, {}, 409);
        const checked = validatePaperMandate(values, { number: found.customer.number, currentContractIds: found.contracts.map((k) => k.id) }, 'fr', parisDate(clock.now()));
        if (!checked.ok) {
            values.contracts = values.contracts.filter((c) => !checked.foreignContracts.includes(c));
            return renderPaperForm(req, reply, found, values, checked.errors, 400);
        }
        const result = await recordPaperMandate(db, clock, config, found.customer.id, checked.mandate, staffActor(req));
        if (result.ok)
            return reply.redirect(`${MANDATES_PATH}/${result.mandateId}?ok=papier`, 303);
        if (result.reason === 'mandate_in_force')
            return renderPaperForm(req, reply, { ...found, inForce: result.inForce }, values, {}, 409);
        const errors = {};
        addError(errors, 'rum', 'directDebit.bo.error.rum.taken');
        return renderPaperForm(req, reply, found, values, errors, 400);
    });
};
export default directDebitBackofficeRoutes;
//# sourceMappingURL=direct-debit.backoffice.routes.js.map