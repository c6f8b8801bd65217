import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { audit } from '../../lib/audit.ts';
import { AppError, isAppError, notFound } from '../../lib/errors.ts';
import { deniedAsNotFound } from '../../lib/ownership.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { accountBalance } from '../account/balance.queries.ts';
import { requireCustomer } from '../auth/guard.ts';
import { dueInvoices } from './payments.queries.ts';
import { processProviderEvent, startAttempt } from './payments.service.ts';
import { PayView, ReturnView, sandboxPage } from './payments.views.tsx';
import { completeSandboxSession } from './sandbox.provider.ts';

const payBody = z.object({
  // One checkbox gives a string, several an array.
  facture: z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});
const attemptParams = z.object({ id: z.uuid() });
const sandboxParams = z.object({ id: z.string().regex(/^sbx_[0-9a-f]{32}$/) });
const sandboxBody = z.object({ action: z.enum(['pay', 'fail', 'cancel']) });

const paymentsRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  // ---- the customer's side
  await app.register(async (customer) => {
    customer.addHook('preHandler', requireCustomer);

    const payable = async (customerId: string) => {
      const [c, due, balance] = await Promise.all([
        db.selectFrom('customers').select('paperless').where('id', '=', customerId).executeTakeFirstOrThrow(),
        dueInvoices(db, customerId),
        accountBalance(db, customerId),
      ]);
      return { paperless: c.paperless === 1, due, balance };
    };

    customer.get('/mon-compte/paiement', async (req, reply) => {
      const { paperless, due, balance } = await payable(req.session!.customer.id);
      // Online payment comes with paperless consent (the manual); Mon compte explains how.
      if (!paperless) return reply.redirect('/mon-compte');
      const total = due.reduce((s, d) => s + d.remaining, 0);
      const ctx = pageContext(req, reply);
      return sendPage(
        reply,
        ctx,
        ctx.t('pay.title'),
        <PayView ctx={ctx} due={balance > 0 ? due : []} selected={new Set(due.map((d) => d.id))} amount={Math.min(total, balance)} credit={Math.max(0, total - balance)} />,
      );
    });

    customer.post('/mon-compte/paiement', async (req, reply) => {
      const customerSession = req.session!.customer;
      const { paperless, due, balance } = await payable(customerSession.id);
      if (!paperless) return reply.redirect('/mon-compte', 303);
      const parsed = payBody.safeParse(req.body ?? {});
      // Only the customer's own invoices still due can be chosen; anything else is ignored.
      const chosen = (parsed.success ? parsed.data.facture : []).filter((id) => due.some((d) => d.id === id));
      const render = (error: 'pay.error.none' | 'pay.error.settled') => {
        const ctx = pageContext(req, reply);
        const selected = new Set(chosen.filter((id) => due.some((d) => d.id === id)));
        const total = due.filter((d) => selected.has(d.id)).reduce((s, d) => s + d.remaining, 0);
        return sendPage(
          reply,
          ctx,
          ctx.t('pay.title'),
          <PayView ctx={ctx} due={due} selected={selected} amount={Math.min(total, Math.max(balance, 0))} credit={0} error={error} />,
          422,
        );
      };
      if (chosen.length === 0) return render('pay.error.none');
      try {
        const started = await startAttempt(db, clock, config, app.paymentProvider, customerSession, chosen);
        await audit(db, clock, {
          actor_type: 'customer',
          actor_id: customerSession.id,
          action: 'payment.start',
          outcome: 'success',
          target_type: 'payment_attempt',
          target_id: started.attemptId,
          ip: req.ip,
          user_agent: req.headers['user-agent'],
          details: { amount_cents: started.amountCents, reused: started.reused },
        });
        // A full redirect to the provider's hosted page (PCI DSS SAQ A).
        return reply.redirect(started.redirectUrl, 303);
      } catch (e) {
        if (isAppError(e, 'nothing_to_pay')) return render('pay.error.settled');
        throw e;
      }
    });

    customer.get('/mon-compte/paiement/retour/:id', async (req, reply) => {
      const parsed = attemptParams.safeParse(req.params);
      const id = parsed.success ? parsed.data.id : String((req.params as { id?: unknown }).id ?? '');
      const attempt = parsed.success
        ? await db
            .selectFrom('payment_attempts')
            .select(['id', 'status', 'amount_cents'])
            .where('id', '=', id)
            .where('customer_id', '=', req.session!.customer.id)
            .executeTakeFirst()
        : undefined;
      if (!attempt) return deniedAsNotFound(req, 'payment_attempt', id);
      const ctx = pageContext(req, reply);
      return sendPage(reply, ctx, ctx.t('pay.return.title'), <ReturnView ctx={ctx} status={attempt.status} amount={attempt.amount_cents} attemptId={attempt.id} />);
    });
  });

  // ---- the provider's side: webhooks, signed, on the raw body (W1)
  await app.register(async (hooks) => {
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, body));

    hooks.post('/paiement/webhook/:provider', { config: { csrf: false, api: true } }, async (req, reply) => {
      const { provider: name } = req.params as { provider: string };
      const provider = app.paymentProvider;
      if (name !== provider.name) throw notFound('unknown payment provider');
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      let event;
      try {
        event = await provider.parseWebhook(raw, req.headers);
      } catch (e) {
        if (isAppError(e, 'webhook_rejected')) {
          await audit(db, clock, { actor_type: 'api', actor_id: `provider:${name}`, action: 'payment.webhook', outcome: 'denied', ip: req.ip, details: { reason: e.message } });
        }
        throw e;
      }
      const outcome = await processProviderEvent(db, clock, config, name, event);
      return reply.code(200).send({ received: true, outcome });
    });
  });

  // ---- the sandbox provider's hosted page, under its own prefix
  if (app.paymentProvider.name === 'sandbox') {
    app.get('/sandbox-paiement/:id', async (req, reply) => {
      const parsed = sandboxParams.safeParse(req.params);
      const session = parsed.success ? await db.selectFrom('sandbox_sessions').selectAll().where('id', '=', parsed.data.id).executeTakeFirst() : undefined;
      if (!session) throw notFound();
      return reply.type('text/html; charset=utf-8').send(sandboxPage(req.lang, reply.generateCsrf(), session, config.OPERATOR_NAME));
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
