import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Customer } from '../../db/schema.ts';
import { requestMeta } from '../../lib/audit.ts';
import { parisDate } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import { formatDate } from '../../lib/i18n.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { sendPdf } from '../../lib/pdf.ts';
import { form } from '../../lib/validation.ts';
import { issueLetter } from '../letters/letters.service.ts';
import { lettersTo } from '../letters/letters.queries.ts';
import { findCustomerForAction, replaceableVehicles } from './customers.actions.queries.ts';
import { checkContactDetails, checkPlateChange, contactDetailsForm, contactDetailsValues, plateChangeForm } from './customers.actions.rules.ts';
import {
  type StaffActor,
  changePlate,
  applyBillingProfile,
  correctContactDetails,
  endCustomerSessions,
  endStaffView,
  openStaffView,
  resendVerificationFor,
  unlockLogin,
} from './customers.actions.service.ts';
import { ContactDetailsView, PlateChangeView, afterAction } from './customers.actions.views.tsx';
import { billingProfileOf } from './customers.billing.queries.ts';
import { type BillingErrors, type BillingValues, billingValues, checkBillingProfile, valuesOf } from './customers.billing.rules.ts';
import { BillingStaffView } from './customers.billing.views.tsx';

/*
 * Customer service's actions on one customer, in the back office (staff area, any member):
 *   POST     /gestion/clients/:number/courrier-mot-de-passe  new temporary password → the letter (PDF download)
 *   POST     /gestion/clients/:number/deverrouillage         the login throttle on their number cleared
 *   POST     /gestion/clients/:number/fin-des-sessions       every session of theirs ended
 *   POST     /gestion/clients/:number/verification-email     a verification link again (`slot`)
 *   GET/POST /gestion/clients/:number/coordonnees            contact details corrected, with the reason
 *   GET/POST /gestion/clients/:number/immatriculation        a change of plate with its effective date
 *   GET/POST /gestion/clients/:number/facturation            a business customer's billing profile (its request applied), with the reason
 *   POST     /gestion/clients/:number/vue-client             "voir comme le client": a read-only customer session
 * Each change is audited and comes back to the customer's page with a notice (`?fait=`).
 * Leaving the read-only view (`POST /vue-client/fin`) is a public route: it is posted from the
 * customer's pages, with the customer cookie, outside `/gestion`.
 */

const numberParams = z.object({ number: z.string().min(1).max(40) });
const verificationBody = form({ slot: z.enum(['primary', 'secondary']).optional().catch(undefined) });

const actorOf = (req: FastifyRequest): StaffActor => ({ staffId: req.staff.id, meta: requestMeta(req) });

/** The customer of the route's `:number`; 404 when there is none. */
async function customerOf(req: FastifyRequest): Promise<Customer> {
  const parsed = numberParams.safeParse(req.params);
  const customer = parsed.success ? await findCustomerForAction(req.server.db, parsed.data.number) : undefined;
  if (!customer) throw notFound('no customer with this number');
  return customer;
}

const customerActionsRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  /** The letter: a new temporary password, in this PDF only, answered as a download once. */
  app.post('/clients/:number/courrier-mot-de-passe', async (req, reply) => {
    const customer = await customerOf(req);
    const [recipient] = await lettersTo(db, [customer.number]);
    const { pdf } = await issueLetter(db, clock, config, actorOf(req), recipient!);
    return sendPdf(reply, `courrier-${customer.number}.pdf`, pdf);
  });

  app.post('/clients/:number/deverrouillage', async (req, reply) => {
    const customer = await customerOf(req);
    await unlockLogin(db, clock, actorOf(req), customer);
    return reply.redirect(afterAction(customer.number, 'deverrouille'), 303);
  });

  app.post('/clients/:number/fin-des-sessions', async (req, reply) => {
    const customer = await customerOf(req);
    const ended = await endCustomerSessions(db, clock, config, actorOf(req), customer.id);
    return reply.redirect(afterAction(customer.number, ended > 0 ? 'sessions-fermees' : 'aucune-session'), 303);
  });

  app.post('/clients/:number/verification-email', async (req, reply) => {
    const customer = await customerOf(req);
    const { slot } = verificationBody.parse(req.body);
    const outcome = slot ? await resendVerificationFor(db, clock, config, actorOf(req), customer.id, slot) : 'none';
    const notice = ({ sent: 'verification-envoyee', wait: 'verification-attendre', verified: 'verification-deja', none: 'verification-aucune' } as const)[outcome];
    return reply.redirect(afterAction(customer.number, notice), 303);
  });

  app.get('/clients/:number/coordonnees', async (req, reply) => {
    const customer = await customerOf(req);
    const ctx = pageContext(req, reply);
    return sendPage(
      reply,
      ctx,
      ctx.t('customerActions.details.title', { number: customer.number }),
      <ContactDetailsView ctx={ctx} number={customer.number} values={contactDetailsValues(customer)} errors={{}} />,
    );
  });

  app.post('/clients/:number/coordonnees', async (req, reply) => {
    const customer = await customerOf(req);
    const values = contactDetailsForm.parse(req.body);
    const checked = checkContactDetails(values, customer.email_primary !== null);
    if (!checked.ok) {
      const ctx = pageContext(req, reply);
      return sendPage(
        reply,
        ctx,
        ctx.t('customerActions.details.title', { number: customer.number }),
        <ContactDetailsView ctx={ctx} number={customer.number} values={values} errors={checked.errors} />,
        400,
      );
    }
    const { changed } = await correctContactDetails(db, clock, config, actorOf(req), customer.id, checked.details, checked.reason);
    return reply.redirect(afterAction(customer.number, changed ? 'coordonnees-corrigees' : 'coordonnees-inchangees'), 303);
  });

  /** A business customer's billing profile, as its request asks (`billing` requests of the inbox). */
  const billingOf = async (req: FastifyRequest) => {
    const customer = await customerOf(req);
    const profile = await billingProfileOf(db, customer.id);
    if (profile.kind !== 'business') throw notFound('billing profile of a customer who is not a business');
    return { customer, profile };
  };
  const billingPage = (req: FastifyRequest, reply: FastifyReply, number: string, values: BillingValues, errors: BillingErrors = {}, status = 200) => {
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('billing.bo.title', { number }), <BillingStaffView ctx={ctx} number={number} values={values} errors={errors} />, status);
  };

  app.get('/clients/:number/facturation', async (req, reply) => {
    const { customer, profile } = await billingOf(req);
    return billingPage(req, reply, customer.number, valuesOf(profile));
  });

  app.post('/clients/:number/facturation', async (req, reply) => {
    const { customer, profile } = await billingOf(req);
    const values = billingValues(req.body, profile.purchaseOrders.map((o) => o.number), 'reason');
    const checked = checkBillingProfile(values, profile.siren, true);
    if (!checked.ok) return billingPage(req, reply, customer.number, values, checked.errors, 400);
    const { changed } = await applyBillingProfile(db, clock, actorOf(req), customer.id, checked.profile, checked.note);
    return reply.redirect(afterAction(customer.number, changed ? 'facturation-modifiee' : 'facturation-inchangee'), 303);
  });

  app.get('/clients/:number/immatriculation', async (req, reply) => {
    const customer = await customerOf(req);
    const vehicles = await replaceableVehicles(db, customer.id);
    const ctx = pageContext(req, reply);
    const values = { vehicle: vehicles.length === 1 ? vehicles[0]!.id : '', new_plate: '', effective_date: '', description: '' };
    return sendPage(
      reply,
      ctx,
      ctx.t('customerActions.plate.title', { number: customer.number }),
      <PlateChangeView ctx={ctx} number={customer.number} vehicles={vehicles} values={values} errors={{}} />,
    );
  });

  app.post('/clients/:number/immatriculation', async (req, reply) => {
    const customer = await customerOf(req);
    const vehicles = await replaceableVehicles(db, customer.id);
    const values = plateChangeForm.parse(req.body);
    const checked = checkPlateChange(values, vehicles, parisDate(clock.now()), (day) => formatDate(day, 'fr'));
    if (!checked.ok) {
      const ctx = pageContext(req, reply);
      return sendPage(
        reply,
        ctx,
        ctx.t('customerActions.plate.title', { number: customer.number }),
        <PlateChangeView ctx={ctx} number={customer.number} vehicles={vehicles} values={values} errors={checked.errors} />,
        400,
      );
    }
    await changePlate(db, clock, config, actorOf(req), customer.id, checked.change);
    return reply.redirect(afterAction(customer.number, 'immatriculation'), 303);
  });

  /** Opens the read-only view in this browser: a `staff_view` customer session under a new token, in the customer cookie. */
  app.post('/clients/:number/vue-client', async (req, reply) => {
    const customer = await customerOf(req);
    const token = await openStaffView(db, clock, app.sessionPolicy, actorOf(req), customer.id);
    reply.setCookie(app.sessionCookie.name, token, app.sessionCookie.options);
    return reply.redirect('/profil', 303);
  });
};

/** Leaving a staff member's read-only view of a customer (its banner's button): back to the customer's record. */
export const staffViewExitRoutes: FastifyPluginAsync = async (app) => {
  app.post('/vue-client/fin', async (req, reply) => {
    const session = req.session;
    if (!session?.viewedBy) return reply.redirect('/', 303);
    await endStaffView(app.db, app.clock, { staffId: session.viewedBy.staffId, meta: requestMeta(req) }, session.customer.id, session.tokenHash);
    reply.clearCookie(app.sessionCookie.name, app.sessionCookie.options);
    return reply.redirect(afterAction(session.customer.number, 'vue-terminee'), 303);
  });
};

export default customerActionsRoutes;
