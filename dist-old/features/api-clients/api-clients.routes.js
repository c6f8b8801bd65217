import { jsx as _jsx } from "preact/jsx-runtime";
import { z } from 'zod';
import { STAFF_PREFIX } from '../../areas/staff-area.js';
import { requestMeta } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { pageContext, sendPage } from '../../lib/page.js';
import { form, noticeParam, repeated, typedText, uuid, wellFormed } from '../../lib/validation.js';
import { findApiClient, listApiClients } from './api-clients.queries.js';
import { addApiKey, createApiClient, disableApiClient, revokeApiKey } from './api-clients.service.js';
import { ApiClientView, ApiClientsView } from './api-clients.views.js';
/*
 * The API's clients, for admins (`staffAccess: 'admin'`; an agent gets the 403 page).
 *   GET/POST /gestion/api                               the clients; create one (its key shown once)
 *   GET      /gestion/api/:id                           one client, its keys; `?fait=` what was just done
 *   POST     /gestion/api/:id/cles                      a second key (two at most unrevoked), shown once
 *   POST     /gestion/api/:id/cles/:key/revocation      revoke a key
 *   POST     /gestion/api/:id/desactivation             disable the client: every key stops working
 * A key, which exists nowhere else in clear, is shown in the answer to the POST itself.
 */
const adminPage = { config: { staffAccess: 'admin' } };
const newClientBody = form({ name: typedText(100), scopes: repeated(z.string().max(60)).catch([]), rate_limit: typedText(20) });
const clientParams = z.object({ id: wellFormed(uuid) });
const keyParams = z.object({ id: wellFormed(uuid), key: wellFormed(uuid) });
const clientQuery = z.object({ fait: noticeParam({ revoquee: 'api.bo.done.revoked', desactive: 'api.bo.done.disabled' }) });
const emptyValues = { name: '', scopes: [], rateLimit: '' };
const apiClientsRoutes = async (app) => {
    const { db, clock } = app;
    const actorOf = (req) => ({ kind: 'staff', id: req.staff.id, meta: requestMeta(req) });
    const listPage = async (req, reply, shown, status = 200) => {
        const ctx = pageContext(req, reply);
        const clients = await listApiClients(db);
        return sendPage(reply, ctx, ctx.t('api.bo.title'), _jsx(ApiClientsView, { ctx: ctx, clients: clients, values: shown.values ?? emptyValues, errors: shown.errors, created: shown.created }), status);
    };
    app.get('/api', adminPage, async (req, reply) => listPage(req, reply, {}));
    app.post('/api', adminPage, async (req, reply) => {
        const body = newClientBody.parse(req.body);
        const values = { name: body.name, scopes: body.scopes, rateLimit: body.rate_limit };
        const result = await createApiClient(db, clock, values, actorOf(req));
        if (!result.ok)
            return listPage(req, reply, { values, errors: result.errors }, 422);
        return listPage(req, reply, { created: { name: result.client.name, key: result.key } });
    });
    /** The client of the URL, or the 404 page. */
    const clientOf = async (req) => {
        const { id } = clientParams.parse(req.params);
        const client = id.value ? await findApiClient(db, id.value) : undefined;
        if (!client)
            throw new AppError('not_found');
        return client;
    };
    const clientPage = async (req, reply, shown, status = 200) => {
        const client = await clientOf(req);
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('api.bo.client.title', { name: client.name }), _jsx(ApiClientView, { ctx: ctx, client: client, notice: shown.notice, error: shown.error, issued: shown.issued }), status);
    };
    app.get('/api/:id', adminPage, async (req, reply) => {
        const { fait } = clientQuery.parse(req.query);
        return clientPage(req, reply, fait ? { notice: fait } : {});
    });
    /** What a change answers: the page with the new key, a redirect with what was done, or the page with why not. */
    const answer = (req, reply, clientId, result, done) => {
        if (!result.ok) {
            if ('notFound' in result)
                throw new AppError('not_found');
            return clientPage(req, reply, { error: result.refusal }, 409);
        }
        if (result.key)
            return clientPage(req, reply, { issued: result.key });
        return reply.redirect(`${STAFF_PREFIX}/api/${clientId}?fait=${done}`, 303);
    };
    app.post('/api/:id/cles', adminPage, async (req, reply) => {
        const client = await clientOf(req);
        return answer(req, reply, client.id, await addApiKey(db, clock, client.id, actorOf(req)), 'cle');
    });
    app.post('/api/:id/cles/:key/revocation', adminPage, async (req, reply) => {
        const client = await clientOf(req);
        const { key } = keyParams.parse(req.params);
        const owned = client.keys.find((k) => k.id === key.value);
        if (!owned)
            throw new AppError('not_found');
        return answer(req, reply, client.id, await revokeApiKey(db, clock, { id: owned.id }, actorOf(req)), 'revoquee');
    });
    app.post('/api/:id/desactivation', adminPage, async (req, reply) => {
        const client = await clientOf(req);
        return answer(req, reply, client.id, await disableApiClient(db, clock, client.id, actorOf(req)), 'desactive');
    });
};
export default apiClientsRoutes;
//# sourceMappingURL=api-clients.routes.js.map