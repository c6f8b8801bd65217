import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit, requestMeta } from '../../lib/audit.ts';
import { AppError, isAppError, notFound, tooManyRequests } from '../../lib/errors.ts';
import { deniedAsNotFound } from '../../lib/ownership.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { repeated, uuid, wellFormed } from '../../lib/validation.ts';
import { findOwnAttempt, paymentOffer } from './payments.queries.ts';
import { payableAmount } from './payments.rules.ts';
import { processProviderEvent, recordWebhookRejection, startAttempt, webhookRetryAfterMs } from './payments.service.ts';
import { PayView, ReturnView, sandboxPage } from './payments.views.tsx';
import { completeSandboxSession, findSandboxSession } from './sandbox.provider.ts';
import { csrfBindingOfPage } from '../auth/sessions.ts';
import { forAccountants } from '../users/users.rules.ts';

const payBody = z.object({ facture: repeated(z.string()) });
const attemptParams = z.object({ id: wellFormed(uuid) });
const webhookParams = z.object({ provider: z.string() });
const sandboxParams = z.object({ id: z.string().regex(/^sbx_[0-9a-f]{32}$/) });
const sandboxBody = z.object({ action: z.enum(['pay', 'fail', 'cancel']) });

/** The customer's side, in the customer area: choosing what to pay, and coming back. */
const paymentsRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  app.get('/mon-compte/paiement', forAccountants, async (req, reply) => {
    const { paperless, due, balance } = await paymentOffer(db, req.customer.id);
    // Online payment comes with paperless consent (the manual); Mon compte explains how.
    if (!paperless) return reply.redirect('/mon-compte');
    const selected = new Set(due.map((d) => d.id));
    const { amount, credit } = payableAmount(due, selected, balance);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('pay.title'), <PayView ctx={ctx} due={balance > 0 ? due : []} selected={selected} amount={amount} credit={credit} />);
  });

  app.post('/mon-compte/paiement', forAccountants, async (req, reply) => {
    const customer = req.customer;
    const { paperless, due, balance } = await paymentOffer(db, customer.id);
    if (!paperless) return reply.redirect('/mon-compte', 303);
    const parsed = payBody.safeParse(req.body ?? {});
    // Only the customer's own invoices still due can be chosen; anything else is ignored.
    const chosen = (parsed.success ? parsed.data.facture : []).filter((id) => due.some((d) => d.id === id));
    const render = (error: 'pay.error.none' | 'pay.error.settled') => {
      const ctx = pageContext(req, reply);
      const selected = new Set(chosen);
      const { amount, credit } = payableAmount(due, selected, balance);
      return sendPage(reply, ctx, ctx.t('pay.title'), <PayView ctx={ctx} due={due} selected={selected} amount={amount} credit={credit} error={error} />, 422);
    };
    if (chosen.length === 0) return render('pay.error.none');
    try {
      const started = await startAttempt(db, clock, config, app.paymentProvider, customer, chosen);
      await audit(db, clock, {
        actor_type: 'customer',
        actor_id: customer.id,
        action: 'payment.start',
        outcome: 'success',
        target_type: 'payment_attempt',
        target_id: started.attemptId,
        ...requestMeta(req),
        details: { amount_cents: started.amountCents, reused: started.reused },
      });
      // A full redirect to the provider's hosted page (PCI DSS SAQ A).
      return reply.redirect(started.redirectUrl, 303);
    } catch (e) {
      if (isAppError(e, 'nothing_to_pay')) return render('pay.error.settled');
      throw e;
    }
  });

  app.get('/mon-compte/paiement/retour/:id', forAccountants, async (req, reply) => {
    const { id } = attemptParams.parse(req.params);
    const attempt = id.value ? await findOwnAttempt(db, req.customer.id, id.value) : undefined;
    if (!attempt) return deniedAsNotFound(req, 'payment_attempt', id.raw);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('pay.return.title'), <ReturnView ctx={ctx} status={attempt.status} amount={attempt.amount_cents} attemptId={attempt.id} />);
  });
};


/**
 * The provider's side: webhooks, signed, on the raw body (W1); outside every area. An IP that
 * sent too many unverifiable webhooks is answered 429 before its body is read.
 */
export const paymentWebhookRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;
  await app.register(async (hooks) => {
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, body));

    const held = async (req: FastifyRequest) => {
      const wait = await webhookRetryAfterMs(db, clock, req.ip);
      if (wait > 0) throw tooManyRequests(wait / 1000);
    };

    hooks.post('/paiement/webhook/:provider', { config: { csrf: false, api: true }, onRequest: held }, async (req, reply) => {
      const { provider: name } = webhookParams.parse(req.params);
      const provider = app.paymentProvider;
      if (name !== provider.name) throw notFound('unknown payment provider');
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let event;
      try {
        event = await provider.parseWebhook(raw, req.headers);
      } catch (e) {
        if (isAppError(e, 'webhook_rejected')) await recordWebhookRejection(db, clock, name, requestMeta(req), e.message);
        throw e;
      }
      const outcome = await processProviderEvent(db, clock, config, name, event);
      return reply.code(200).send({ received: true, outcome });
    });
  });
};

/** The sandbox provider's hosted page, under its own prefix: served only while it is the provider. */
export const sandboxRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock } = app;
  if (app.paymentProvider.name === 'sandbox') {
    app.get('/sandbox-paiement/:id', async (req, reply) => {
      const parsed = sandboxParams.safeParse(req.params);
      const session = parsed.success ? await findSandboxSession(db, parsed.data.id) : undefined;
      if (!session) throw notFound();
      return reply.type('text/html; charset=utf-8').send(sandboxPage(req.lang, reply.generateCsrf({ userInfo: csrfBindingOfPage(req) }), session, app.operator.name));
    });

    app.post('/sandbox-paiement/:id', async (req, reply) => {
      const p = sandboxParams.safeParse(req.params);
      const b = sandboxBody.safeParse(req.body ?? {});
      if (!p.success || !b.success) throw new AppError('bad_request');
      const outcome = b.data.action === 'pay' ? 'paid' : b.data.action === 'fail' ? 'failed' : 'cancelled';
      const done = await completeSandboxSession(db, clock, p.data.id, outcome);
      if (!done) throw notFound();
      return reply.redirect(done.redirect, 303);
    });
  }
};

export default paymentsRoutes;
