import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit, requestMeta } from '../../lib/audit.ts';
import { type FormErrors, addError } from '../../lib/forms.tsx';
import { isLanguage } from '../../lib/i18n.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { hashPassword } from '../../lib/passwords.ts';
import { boundedText, tokenParams } from '../../lib/validation.ts';
import { checkCustomerPassword, normalizeIdentifier } from './auth.rules.ts';
import {
  type ResetTarget,
  completePasswordReset,
  countResetRequest,
  findValidReset,
  requestPasswordReset,
  resetRetryAfterMs,
} from './reset.service.ts';
import { closeSession } from './sessions.ts';
import { requestUserPasswordReset } from '../users/users.service.ts';
import { isEmailIdentifier } from '../users/users.rules.ts';
import { refuseThrottled, sendThrottled } from './throttle.ts';
import { type ResetFormValues, ResetFormView, ResetInvalidView, ResetRequestView, ResetSentView } from './reset.views.tsx';

/*
 * "Mot de passe oublié ?" (security bar A5, A6).
 *   GET/POST /mot-de-passe-oublie   the customer number → one answer page for everyone
 *   GET /reinitialiser/:token       the new-password form (the token is in the e-mail's link)
 *   POST /reinitialiser             sets it, ends every session, back to the login page
 * The routes whose URL holds a token log at `warn`, so the token never reaches the request log.
 */

const requestBody = z.object({ identifiant: boundedText(254) });
const resetBody = z.object({
  token: boundedText(100),
  password: boundedText(4096),
  password_confirm: boundedText(4096),
});

const passwordResetRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  /** A page reached from an e-mail speaks the customer's language unless they chose one here. */
  const speakCustomerLanguage = (req: FastifyRequest, lang: 'fr' | 'en') => {
    if (!isLanguage(req.cookies.lang)) req.lang = lang;
  };

  app.get('/mot-de-passe-oublie', async (req, reply) => {
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('reset.request.title'), <ResetRequestView ctx={ctx} />);
  });

  app.post('/mot-de-passe-oublie', async (req, reply) => {
    const parsed = requestBody.safeParse(req.body ?? {});
    const identifier = parsed.success ? normalizeIdentifier(parsed.data.identifiant) : '';
    const ctx = pageContext(req, reply);
    const title = ctx.t('reset.request.title');
    if (!identifier) {
      return sendPage(reply, ctx, title, <ResetRequestView ctx={ctx} error="reset.request.required" />, 400);
    }

    // Held per number typed (whether it exists or not) and per IP: the hold tells nothing.
    const wait = await resetRetryAfterMs(db, clock, identifier, req.ip);
    if (wait > 0) {
      const throttled = await refuseThrottled(db, clock, wait, {
        actor_type: 'anonymous',
        action: 'auth.password_reset.request',
        ...requestMeta(req),
        details: { identifier },
      });
      const minutes = sendThrottled(reply, throttled);
      return sendPage(reply, ctx, title, <ResetRequestView ctx={ctx} identifier={identifier} error="reset.request.throttled" errorParams={{ minutes }} />, 429);
    }
    await countResetRequest(db, clock, identifier, req.ip);

    // A user of a business account asks by their e-mail address (issue 14): a new link of their own.
    const { outcome, customerId } = isEmailIdentifier(identifier)
      ? await requestUserPasswordReset(db, clock, config, identifier)
      : await requestPasswordReset(db, clock, config, identifier);
    await audit(db, clock, {
      actor_type: 'anonymous',
      actor_id: customerId,
      action: 'auth.password_reset.request',
      outcome: outcome === 'sent' ? 'success' : 'failure',
      target_type: 'customer',
      target_id: customerId,
      ...requestMeta(req),
      details: { identifier, result: outcome },
    });
    // The same page and status for every outcome (A5).
    return sendPage(reply, ctx, ctx.t('reset.sent.title'), <ResetSentView ctx={ctx} phone={app.operator.phone} email={app.operator.email} />);
  });

  const invalid = (req: FastifyRequest, reply: FastifyReply) => {
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('reset.invalid.title'), <ResetInvalidView ctx={ctx} />, 410);
  };

  const renderForm = (
    req: FastifyRequest,
    reply: FastifyReply,
    target: ResetTarget,
    token: string,
    values: ResetFormValues,
    errors: FormErrors = {},
    status = 200,
  ) => {
    speakCustomerLanguage(req, target.language);
    const ctx = pageContext(req, reply);
    return sendPage(
      reply,
      ctx,
      ctx.t('reset.form.title'),
      <ResetFormView ctx={ctx} token={token} number={target.number} values={values} errors={errors} />,
      status,
    );
  };

  app.get('/reinitialiser/:token', async (req, reply) => {
    const { token } = tokenParams.parse(req.params);
    const target = await findValidReset(db, clock, token);
    if (!target) return invalid(req, reply);
    return renderForm(req, reply, target, token, { password: '', password_confirm: '' });
  });

  app.post('/reinitialiser', async (req, reply) => {
    const parsed = resetBody.safeParse(req.body ?? {});
    if (!parsed.success) return invalid(req, reply);
    const { token, password, password_confirm } = parsed.data;
    const target = await findValidReset(db, clock, token);
    if (!target) {
      await audit(db, clock, {
        actor_type: 'anonymous',
        action: 'auth.password_reset',
        outcome: 'denied',
        ...requestMeta(req),
        details: { reason: 'invalid_or_expired_link' },
      });
      return invalid(req, reply);
    }

    const errors: FormErrors = {};
    const policyError = checkCustomerPassword(password, target, target, app.operator.name);
    if (policyError) addError(errors, 'password', policyError.key, policyError.params);
    else if (password !== password_confirm) addError(errors, 'password_confirm', 'error.password.mismatch');
    if (Object.keys(errors).length > 0) return renderForm(req, reply, target, token, { password, password_confirm }, errors, 422);

    // Hashed before the transaction: argon2 takes its time, the database should not wait for it.
    const done = await completePasswordReset(db, clock, config, token, await hashPassword(password));
    if (!done) return invalid(req, reply);
    await audit(db, clock, {
      actor_type: 'customer',
      actor_id: done.customerId,
      action: 'auth.password_reset',
      outcome: 'success',
      target_type: 'customer',
      target_id: done.customerId,
      ...requestMeta(req),
      details: { identifier: done.number, sessions_ended: 'all' },
    });
    // No auto-login (A6): whatever session this browser had is gone too.
    await closeSession(req, reply, req.session?.tokenHash ?? null);
    return reply.redirect('/connexion?mot-de-passe-modifie', 303);
  });
};

export default passwordResetRoutes;
