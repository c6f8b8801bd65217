import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { STAFF_PREFIX } from '../../areas/staff-area.ts';
import { audit, requestMeta } from '../../lib/audit.ts';
import type { FormErrors } from '../../lib/forms.tsx';
import { withSuite } from '../../lib/links.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { isTokenShaped } from '../../lib/tokens.ts';
import { boundedText, normalizeEmail, present, suiteField, tokenParams, typedText } from '../../lib/validation.ts';
import { sendThrottled } from '../auth/throttle.ts';
import { endStaffViewsOf } from '../customers/customers.actions.service.ts';
import { type EnrolmentValues, readSecondFactor } from './staff.rules.ts';
import { completeEnrolment, enrolmentOf, passwordStep, secondFactorStep } from './staff.service.ts';
import { closeStaffSession, openStaffSession } from './staff.sessions.ts';
import { openTotpSecret, qrCodeImage, totpUri } from './staff.totp.ts';
import { EnrolmentInvalidView, EnrolmentView, RecoveryCodesView, SecondFactorView, StaffLoginView } from './staff.views.tsx';
import teamRoutes from './team.routes.tsx';

/*
 * The staff's own pages in the back office (`/gestion`), and the team's (`team.routes.tsx`).
 *   GET/POST /gestion/connexion      e-mail and password → a half-open session (public);
 *                                    `?suite=` the page to go on to, `?expire`, `?deconnecte`
 *   GET/POST /gestion/verification   the code (TOTP or recovery) → a full session under a new token
 *   GET /gestion/inscription/:token  the one-time enrolment link (public; logged at `warn`,
 *   POST /gestion/inscription        so the token never reaches the request log): name,
 *                                    password, the QR code and a first code; then the
 *                                    recovery codes, shown once in the answer, and a full session
 *   POST /gestion/deconnexion        logout (the member's read-only customer views end with it)
 */

const publicPage = { config: { staffAccess: 'public' as const } };
const secondFactorPage = { config: { staffAccess: 'second_factor' as const } };

const loginBody = z.object({ email: boundedText(254), password: boundedText(1024), suite: suiteField });
const loginQuery = z.object({ expire: present, deconnecte: present, suite: suiteField });
const codeBody = z.object({ code: typedText(64), suite: suiteField });
const suiteQuery = z.object({ suite: suiteField });
const enrolmentBody = z.object({
  token: typedText(100),
  name: typedText(200),
  password: typedText(4096),
  password_confirm: typedText(4096),
  code: typedText(64),
});

const staffRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  const loginPage = (req: FastifyRequest, reply: FastifyReply, props: Omit<Parameters<typeof StaffLoginView>[0], 'ctx'>, status = 200) => {
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('staff.login.title'), <StaffLoginView ctx={ctx} {...props} />, status);
  };

  app.get('/connexion', publicPage, async (req, reply) => {
    const q = loginQuery.parse(req.query);
    if (req.staffSession?.stage === 'full') return reply.redirect(q.suite ?? STAFF_PREFIX);
    return loginPage(req, reply, { suite: q.suite, notice: q.deconnecte ? 'staff.login.loggedOut' : q.expire ? 'staff.login.expired' : undefined });
  });

  app.post('/connexion', publicPage, async (req, reply) => {
    const parsed = loginBody.safeParse(req.body ?? {});
    const email = parsed.success ? normalizeEmail(parsed.data.email) : '';
    const password = parsed.success ? parsed.data.password : '';
    const suite = parsed.success ? parsed.data.suite : undefined;
    if (!email || !password) return loginPage(req, reply, { email, suite, error: 'staff.login.error.required' }, 400);

    const result = await passwordStep(db, clock, app.throttlePolicy, email, password, requestMeta(req));
    if (!result.ok) {
      if (result.reason === 'throttled') {
        const minutes = sendThrottled(reply, result.throttled);
        return loginPage(req, reply, { email, suite, error: 'staff.login.error.throttled', errorParams: { minutes } }, 429);
      }
      return loginPage(req, reply, { email, suite, error: 'staff.login.error.invalid' }, 401);
    }
    await openStaffSession(req, reply, result.staffId, 'second_factor', req.staffSession?.tokenHash ?? null);
    return reply.redirect(withSuite(`${STAFF_PREFIX}/verification`, suite), 303);
  });

  const codePage = (req: FastifyRequest, reply: FastifyReply, props: Omit<Parameters<typeof SecondFactorView>[0], 'ctx'>, status = 200) => {
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('staff.verify.title'), <SecondFactorView ctx={ctx} {...props} />, status);
  };

  app.get('/verification', secondFactorPage, async (req, reply) => codePage(req, reply, { suite: suiteQuery.parse(req.query).suite }));

  app.post('/verification', secondFactorPage, async (req, reply) => {
    const session = req.staffSession!; // the area's guard let only a half-open session in
    const { code, suite } = codeBody.parse(req.body ?? {});
    if (!readSecondFactor(code)) return codePage(req, reply, { suite, error: 'staff.verify.error.required' }, 400);

    const result = await secondFactorStep(db, clock, config, app.throttlePolicy, session.staff, code, requestMeta(req));
    if (result.ok) {
      await openStaffSession(req, reply, session.staff.id, 'full', session.tokenHash);
      return reply.redirect(suite ?? STAFF_PREFIX, 303);
    }
    const held = result.reason === 'throttled' ? result.throttled : result.held;
    if (held) {
      // Too many wrong codes: the half-open session ends; the password is asked again once the wait is over.
      await closeStaffSession(req, reply, session.tokenHash);
      const minutes = sendThrottled(reply, held);
      return loginPage(req, reply, { email: session.staff.email, suite, error: 'staff.login.error.throttled', errorParams: { minutes } }, 429);
    }
    return codePage(req, reply, { suite, error: 'staff.verify.error.invalid' }, 401);
  });

  const invalidLink = (req: FastifyRequest, reply: FastifyReply) => {
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('staff.enrol.invalid.title'), <EnrolmentInvalidView ctx={ctx} />, 410);
  };

  const enrolmentPage = async (req: FastifyRequest, reply: FastifyReply, token: string, values: EnrolmentValues | null, errors: FormErrors = {}, status = 200) => {
    const target = isTokenShaped(token) ? await enrolmentOf(db, clock, token) : undefined;
    if (!target?.totp_secret_encrypted) return invalidLink(req, reply);
    const secret = openTotpSecret(config, target.totp_secret_encrypted);
    const page = { token, email: target.email, role: target.role, secret, qrCode: await qrCodeImage(totpUri(app.operator, target.email, secret)) };
    const ctx = pageContext(req, reply);
    // What was typed is kept but the passwords (the view never shows them back).
    const shown = values ?? { name: target.display_name, password: '', password_confirm: '', code: '' };
    return sendPage(reply, ctx, ctx.t('staff.enrol.title'), <EnrolmentView ctx={ctx} page={page} values={shown} errors={errors} />, status);
  };

  app.get('/inscription/:token', publicPage, async (req, reply) => enrolmentPage(req, reply, tokenParams.parse(req.params).token, null));

  app.post('/inscription', publicPage, async (req, reply) => {
    const body = enrolmentBody.parse(req.body ?? {});
    const values: EnrolmentValues = { name: body.name.trim(), password: body.password, password_confirm: body.password_confirm, code: body.code.trim() };
    if (!isTokenShaped(body.token)) return invalidLink(req, reply);
    const result = await completeEnrolment(db, clock, config, app.throttlePolicy, body.token, values, requestMeta(req));
    if (!result.ok) {
      if (result.reason === 'invalid_link') return invalidLink(req, reply);
      if (result.reason === 'throttled') {
        const minutes = sendThrottled(reply, result.throttled);
        return enrolmentPage(req, reply, body.token, values, { code: [{ key: 'staff.login.error.throttled', params: { minutes } }] }, 429);
      }
      return enrolmentPage(req, reply, body.token, values, result.errors, 422);
    }
    await openStaffSession(req, reply, result.staffId, 'full', req.staffSession?.tokenHash ?? null);
    // The codes exist nowhere else in clear: they are this answer, never a page to come back to.
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('staff.codes.title'), <RecoveryCodesView ctx={ctx} codes={result.recoveryCodes} />);
  });

  app.post('/deconnexion', async (req, reply) => {
    await closeStaffSession(req, reply, req.staff.sessionTokenHash);
    // The customers' pages the member was looking at close with the back office.
    await endStaffViewsOf(db, clock, { staffId: req.staff.id, meta: requestMeta(req) });
    await audit(db, clock, { actor_type: 'staff', actor_id: req.staff.id, action: 'staff.logout', outcome: 'success', ...requestMeta(req) });
    return reply.redirect(`${STAFF_PREFIX}/connexion?deconnecte`, 303);
  });

  await app.register(teamRoutes);
};

export default staffRoutes;
