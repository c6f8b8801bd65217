import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Language } from '../../db/schema.ts';
import { audit, requestMeta } from '../../lib/audit.ts';
import { isLanguage } from '../../lib/i18n.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { boundedText, tokenParams } from '../../lib/validation.ts';
import { type VerifyOutcome, VerifyConfirmView, VerifyDoneView, VerifyRefusedView, verifyOutcomeTitle } from './reset.views.tsx';
import { confirmVerification, lookupVerification } from './verify.service.ts';

/*
 * The link of a verification e-mail.
 *   GET /verification-email/:token   a page with a button (a GET changes nothing: link scanners
 *                                    and prefetchers verify nothing)
 *   POST /verification-email         the button (CSRF): uses the token, marks the address verified
 * Used, expired, unknown or stale links get a page saying so, and nothing more. The GET logs
 * at `warn` so the token in its URL never reaches the request log.
 */

const confirmBody = z.object({ token: boundedText(100) });

const emailVerificationRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock } = app;

  const speak = (req: FastifyRequest, lang: Language | undefined) => {
    if (lang && !isLanguage(req.cookies.lang)) req.lang = lang;
  };

  const refused = (req: FastifyRequest, reply: FastifyReply, outcome: VerifyOutcome) => {
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t(verifyOutcomeTitle(outcome)), <VerifyRefusedView ctx={ctx} outcome={outcome} />, outcome === 'unknown' ? 404 : 410);
  };

  app.get('/verification-email/:token', async (req, reply) => {
    const { token } = tokenParams.parse(req.params);
    const found = await lookupVerification(db, clock, token);
    speak(req, 'language' in found ? found.language : undefined);
    if (found.state !== 'valid') return refused(req, reply, found.state);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('verify.title'), <VerifyConfirmView ctx={ctx} token={token} address={found.address} />);
  });

  app.post('/verification-email', async (req, reply) => {
    const parsed = confirmBody.safeParse(req.body ?? {});
    const result = await confirmVerification(db, clock, app.config, parsed.success ? parsed.data.token : '');
    speak(req, 'language' in result ? result.language : undefined);
    await audit(db, clock, {
      actor_type: req.session ? 'customer' : 'anonymous',
      actor_id: req.session?.customer.id ?? null,
      action: 'customer.email_verify',
      outcome: result.state === 'verified' ? 'success' : 'failure',
      target_type: 'customer',
      target_id: 'customerId' in result ? result.customerId : null,
      ...requestMeta(req),
      details: result.state === 'verified' ? { slots: result.slots } : { reason: result.state },
    });
    if (result.state !== 'verified') return refused(req, reply, result.state);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('verify.done.title'), <VerifyDoneView ctx={ctx} address={result.address} />);
  });
};

export default emailVerificationRoutes;
