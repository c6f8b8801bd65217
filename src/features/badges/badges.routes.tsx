import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { BadgeReason, Product } from '../../db/schema.ts';
import { requestMeta, staffActor } from '../../lib/audit.ts';
import { notFound } from '../../lib/errors.ts';
import { type FormErrors, addError } from '../../lib/forms.tsx';
import type { MessageKey } from '../../lib/i18n.ts';
import { ownContractOf } from '../../lib/ownership.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { form, present, typedText, uuid, wellFormed } from '../../lib/validation.ts';
import { badgeFee, ownContract, productFees, replacementQueue, replacementsOf } from './badges.queries.ts';
import { BADGE_REASONS, completed, feeCents, newBadgeNumber } from './badges.rules.ts';
import { completeReplacement, orderReplacement, reportBadge, setBadgeFee } from './badges.service.ts';
import { BADGES_PATH, type BadgePageData, BadgeFeesView, BadgePageView, BadgeQueueView, type QueueData, type ReportField, badgePath } from './badges.views.tsx';

/*
 * Badges lost, stolen or broken, in the customer area:
 *   GET  /contrats/:number/badge              the badge, its state, the report form or the replacement to order
 *   POST /contrats/:number/badge/signalement  report it: blocked at once
 *   POST /contrats/:number/badge/commande     order the replacement: to the payment provider's hosted page
 * and in the back office (`badgesBackofficeRoutes`):
 *   GET  /gestion/badges                      the paid replacements to prepare, oldest paid first
 *   POST /gestion/badges/:id                  the new badge's number, handed over ("remis") or posted ("envoyé")
 *   GET/POST /gestion/badges/tarifs           each product's replacement-badge fee (admins)
 */

const reportBody = form({ reason: z.enum(BADGE_REASONS).optional().catch(undefined) });
const pageQuery = z.object({ ok: z.enum(['bloque']).optional().catch(undefined), annule: present, paiement: z.string().optional().catch(undefined), refus: z.enum(['deja', 'sans']).optional().catch(undefined) });

const badgesRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  const contractOf = (req: FastifyRequest) => ownContractOf(req, (number) => ownContract(db, req.customer.id, number));

  async function render(req: FastifyRequest, reply: FastifyReply, extra: Pick<BadgePageData, 'notice' | 'reason' | 'errors'>, status = 200) {
    const contract = await contractOf(req);
    const all = await replacementsOf(db, contract.id);
    const current = all.find((r) => r.badge_number === contract.badge_number) ?? null;
    const data: BadgePageData = { contract, current, history: all.filter((r) => completed(r.status)), feeCents: await badgeFee(db, contract.product), ...extra };
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('badges.title', { number: contract.number }), <BadgePageView ctx={ctx} data={data} />, status);
  }

  app.get('/contrats/:number/badge', async (req, reply) => {
    const q = pageQuery.parse(req.query ?? {});
    const notice: BadgePageData['notice'] = q.ok
      ? { key: 'badges.notice.blocked' }
      : q.annule
        ? { key: 'badges.notice.cancelled', alert: true }
        : q.paiement
          ? { key: 'badges.notice.returned' }
          : q.refus
            ? { key: q.refus === 'deja' ? 'badges.refused.already' : 'badges.refused.noBadge', alert: true }
            : null;
    return render(req, reply, { notice, reason: null, errors: {} });
  });

  app.post('/contrats/:number/badge/signalement', async (req, reply) => {
    const contract = await contractOf(req);
    const { reason } = reportBody.parse(req.body);
    if (!reason) {
      const errors: FormErrors<ReportField> = {};
      addError(errors, 'reason', 'badges.report.reason.missing');
      return render(req, reply, { notice: null, reason: null, errors }, 422);
    }
    const outcome = await reportBadge(db, clock, config, req.customer, contract.number, reason as BadgeReason, requestMeta(req));
    if (!outcome) throw notFound();
    if (!outcome.ok) {
      const key: MessageKey = outcome.refusal === 'already_blocked' ? 'badges.refused.already' : 'badges.refused.noBadge';
      return render(req, reply, { notice: { key, alert: true }, reason, errors: {} }, 409);
    }
    return reply.redirect(`${badgePath(contract.number)}?ok=bloque`, 303);
  });

  app.post('/contrats/:number/badge/commande', async (req, reply) => {
    const contract = await contractOf(req);
    const url = await orderReplacement(db, clock, config, app.paymentProvider, req.customer, contract.number, requestMeta(req));
    // Nothing to order (never reported, already paid): the page says where it stands.
    return reply.redirect(url ?? badgePath(contract.number), 303);
  });
};

const idParams = z.object({ id: wellFormed(uuid) });
const completeBody = form({ badge: typedText(60), delivery: z.enum(['handed_over', 'posted']).optional().catch(undefined) });
const queueQuery = z.object({ ok: z.enum(['remis', 'envoye']).optional().catch(undefined), deja: present, tarifs: present });

export const badgesBackofficeRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  async function renderQueue(req: FastifyRequest, reply: FastifyReply, extra: Pick<QueueData, 'notice' | 'refused'>, status = 200) {
    const { rows, waiting } = await replacementQueue(db);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('badges.bo.title'), <BadgeQueueView ctx={ctx} data={{ rows, waiting, isAdmin: req.staff.role === 'admin', ...extra }} />, status);
  }

  app.get('/badges', async (req, reply) => {
    const q = queueQuery.parse(req.query ?? {});
    const notice: QueueData['notice'] = q.ok ? { key: q.ok === 'remis' ? 'badges.bo.notice.handedOver' : 'badges.bo.notice.posted' } : q.deja ? { key: 'badges.bo.notice.already', alert: true } : null;
    return renderQueue(req, reply, { notice, refused: null });
  });

  app.post('/badges/:id', async (req, reply) => {
    const { id } = idParams.parse(req.params);
    if (!id.value) throw notFound();
    const body = completeBody.parse(req.body);
    const badge = newBadgeNumber(body.badge);
    if (!badge || !body.delivery) {
      return renderQueue(req, reply, { notice: null, refused: { id: id.value, typed: body.badge, key: !badge ? 'badges.bo.newBadge.wrong' : 'badges.bo.delivery.missing' } }, 422);
    }
    const outcome = await completeReplacement(db, clock, config, id.value, badge, body.delivery, staffActor(req));
    if (outcome === null) throw notFound();
    if (outcome === 'not_paid') return reply.redirect(`${BADGES_PATH}?deja`, 303);
    if (outcome === 'badge_taken') return renderQueue(req, reply, { notice: null, refused: { id: id.value, typed: body.badge, key: 'badges.bo.newBadge.taken' } }, 422);
    return reply.redirect(`${BADGES_PATH}?ok=${body.delivery === 'posted' ? 'envoye' : 'remis'}`, 303);
  });

  app.get('/badges/tarifs', { config: { staffAccess: 'admin' } }, async (req, reply) => {
    const q = queueQuery.parse(req.query ?? {});
    const fees = (await productFees(db)).map((f) => ({ product: f.product, cents: f.badge_replacement_fee_cents }));
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('badges.bo.fees.title'), <BadgeFeesView ctx={ctx} data={{ fees, notice: q.tarifs ? 'badges.bo.fees.saved' : null }} />);
  });

  app.post('/badges/tarifs', { config: { staffAccess: 'admin' } }, async (req, reply) => {
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
    const current = await productFees(db);
    const read = current.map((f) => {
      const typed = typeof body[f.product] === 'string' ? (body[f.product] as string).slice(0, 20) : '';
      const cents = feeCents(typed);
      return { product: f.product, cents: cents ?? f.badge_replacement_fee_cents, typed, wrong: cents === null };
    });
    if (read.some((f) => f.wrong)) {
      const ctx = pageContext(req, reply);
      return sendPage(reply, ctx, ctx.t('badges.bo.fees.title'), <BadgeFeesView ctx={ctx} data={{ fees: read, notice: null }} />, 422);
    }
    for (const f of read) {
      const before = current.find((c) => c.product === f.product)?.badge_replacement_fee_cents;
      if (before !== f.cents) await setBadgeFee(db, clock, f.product as Product, f.cents, staffActor(req));
    }
    return reply.redirect(`${BADGES_PATH}/tarifs?tarifs`, 303);
  });
};

export default badgesRoutes;
