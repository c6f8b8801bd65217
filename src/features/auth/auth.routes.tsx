import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { audit, requestMeta } from '../../lib/audit.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { withSuite } from '../../lib/links.ts';
import { boundedText, present, suiteField } from '../../lib/validation.ts';
import { normalizeIdentifier } from './auth.rules.ts';
import { LoginView } from './auth.views.tsx';
import { login } from './login.service.ts';
import { endStaffView } from '../customers/customers.actions.service.ts';
import { closeSession, fullSessionCustomer, openSession } from './sessions.ts';
import { sendThrottled } from './throttle.ts';

/*
 * Logging in and out (public routes; the first-login form is in the customer area,
 * `activation.routes.tsx`).
 *   GET  /               to the customer's profile, the first-login form or the login page
 *   GET/POST /connexion  login by customer number, or a business account's user by e-mail (security bar A1, A4, A5); `?suite=` the page
 *                        to go on to (a local path), carried by the form, through the first login
 *   POST /deconnexion    logout (from a staff member's read-only view: the member leaves it, audited as theirs)
 */

const loginBody = z.object({
  identifiant: boundedText(254),
  password: boundedText(1024),
  suite: suiteField,
});

const loginQuery = z.object({
  deconnecte: present,
  'mot-de-passe-modifie': present,
  'acces-active': present,
  expire: present,
  suite: suiteField,
});

const authRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock } = app;

  app.get('/', async (req, reply) => {
    if (fullSessionCustomer(req.session)) return reply.redirect('/profil');
    if (req.session?.kind === 'activation') return reply.redirect('/premiere-connexion');
    return reply.redirect('/connexion');
  });

  app.get('/connexion', async (req, reply) => {
    const q = loginQuery.parse(req.query);
    if (fullSessionCustomer(req.session)) return reply.redirect(q.suite ?? '/profil');
    const notice = q.deconnecte
      ? 'login.loggedOut'
      : q['mot-de-passe-modifie']
        ? 'login.passwordChanged'
        : q['acces-active']
          ? 'users.accept.done'
          : req.sessionExpired || q.expire
            ? 'login.expired'
            : undefined;
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('login.heading'), <LoginView ctx={ctx} notice={notice} suite={q.suite} />);
  });

  app.post('/connexion', async (req, reply) => {
    const parsed = loginBody.safeParse(req.body ?? {});
    const identifier = parsed.success ? normalizeIdentifier(parsed.data.identifiant) : '';
    const password = parsed.success ? parsed.data.password : '';
    const next = parsed.success ? parsed.data.suite : undefined;
    const ctx = pageContext(req, reply);
    const title = ctx.t('login.heading');
    if (!identifier || !password) {
      return sendPage(reply, ctx, title, <LoginView ctx={ctx} identifier={identifier} suite={next} error="login.error.required" />, 400);
    }

    const result = await login(db, clock, app.throttlePolicy, identifier, password, requestMeta(req));
    if (!result.ok) {
      if (result.reason === 'throttled') {
        const minutes = sendThrottled(reply, result.throttled);
        return sendPage(reply, ctx, title, <LoginView ctx={ctx} identifier={identifier} suite={next} error="login.error.throttled" errorParams={{ minutes }} />, 429);
      }
      return sendPage(reply, ctx, title, <LoginView ctx={ctx} identifier={identifier} suite={next} error="login.error.invalid" />, 401);
    }
    await openSession(req, reply, result.customerId, result.login === 'activation' ? 'activation' : 'customer', req.session?.tokenHash ?? null, result.userId);
    // On to the page asked for: straight there, or through the first-login form.
    return reply.redirect(result.login === 'activation' ? withSuite('/premiere-connexion', next) : (next ?? '/profil'), 303);
  });

  app.post('/deconnexion', async (req, reply) => {
    const session = req.session;
    if (session?.viewedBy) {
      // A staff member's read-only view: it is the member who leaves it, not the customer who logs out.
      await endStaffView(db, clock, { staffId: session.viewedBy.staffId, meta: requestMeta(req) }, session.customer.id, session.tokenHash, 'customer_logout');
      await closeSession(req, reply, null);
      return reply.redirect('/connexion?deconnecte', 303);
    }
    await closeSession(req, reply, session?.tokenHash ?? null);
    if (session) {
      const { user } = session.customer;
      await audit(db, clock, { actor_type: 'customer', actor_id: session.customer.id, action: 'auth.logout', outcome: 'success', ...requestMeta(req), user: user.id ? { id: user.id, name: user.name } : null });
    }
    return reply.redirect('/connexion?deconnecte', 303);
  });
};

export default authRoutes;
