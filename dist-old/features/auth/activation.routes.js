import { jsx as _jsx } from "preact/jsx-runtime";
import { z } from 'zod';
import { requestMeta } from '../../lib/audit.js';
import { pageContext, sendPage } from '../../lib/page.js';
import { withSuite } from '../../lib/links.js';
import { boundedText, checkbox, suiteField } from '../../lib/validation.js';
import { activateLogin } from './activation.service.js';
import { findFirstLoginValues } from './auth.queries.js';
import { ActivationView } from './auth.views.js';
import { closeSession, openSession } from './sessions.js';
/*
 * The first-login form, in the customer area: the only page an activation session (opened
 * by the invoice's temporary password) reaches (security bar A1).
 *   GET/POST /premiere-connexion   `?suite=` the page to go on to once active (a local path)
 */
const activationBody = z.object({
    password: boundedText(4096),
    password_confirm: boundedText(4096),
    email_primary: boundedText(254),
    email_secondary: boundedText(254),
    paperless: checkbox,
    suite: suiteField,
});
const activationQuery = z.object({ suite: suiteField });
const activationOnly = { config: { customerLogin: 'activation' } };
const activationRoutes = async (app) => {
    const { db, clock, config } = app;
    const renderActivation = (req, reply, values, suite, errors = {}, status = 200) => {
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('activate.title'), _jsx(ActivationView, { ctx: ctx, number: req.customer.number, values: values, errors: errors, suite: suite }), status);
    };
    app.get('/premiere-connexion', activationOnly, async (req, reply) => {
        const { suite } = activationQuery.parse(req.query);
        const customer = await findFirstLoginValues(db, req.customer.id);
        return renderActivation(req, reply, {
            password: '',
            password_confirm: '',
            email_primary: customer.email_primary ?? '',
            email_secondary: customer.email_secondary ?? '',
            paperless: customer.paperless === 1,
        }, suite);
    });
    app.post('/premiere-connexion', activationOnly, async (req, reply) => {
        const body = activationBody.parse(req.body ?? {});
        const values = {
            password: body.password,
            password_confirm: body.password_confirm,
            email_primary: body.email_primary.trim().toLowerCase(),
            email_secondary: body.email_secondary.trim().toLowerCase(),
            paperless: body.paperless,
        };
        const customer = req.customer;
        const result = await activateLogin(db, clock, config, customer.id, values, requestMeta(req));
        if (!result.ok) {
            if ('errors' in result)
                return renderActivation(req, reply, values, body.suite, result.errors, 422);
            // The temporary password that opened this session is no longer valid.
            await closeSession(req, reply, customer.sessionTokenHash);
            return reply.redirect(withSuite('/connexion?expire', body.suite), 303);
        }
        // Activation ended every session of the customer: this browser gets a new, full one.
        await openSession(req, reply, customer.id, 'customer', null);
        return reply.redirect(body.suite ?? '/profil?active=1', 303);
    });
};
export default activationRoutes;
//# sourceMappingURL=activation.routes.js.map