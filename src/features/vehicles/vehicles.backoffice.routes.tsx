import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit, staffActor } from '../../lib/audit.ts';
import { contentStore } from '../../lib/content-store.ts';
import { isAppError, notFound } from '../../lib/errors.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { form, present, typedText, uuid, wellFormed } from '../../lib/validation.ts';
import { sendAttachment } from '../contact/contact.routes.tsx';
import { readAttachment } from '../contact/contact.service.ts';
import { CHANGE_STATES, listVehicleChanges, staffVehicleChange, vehicleChangeCounts } from './vehicles.queries.ts';
import { refusalReason } from './vehicles.rules.ts';
import { approveVehicleChange, refuseVehicleChange } from './vehicles.service.ts';
import { type VehicleChangePageData, VehicleChangeListView, VehicleChangeView, changeHref } from './vehicles.backoffice.views.tsx';

/*
 * Customer service's "Véhicules à vérifier" (staff area, `/gestion`, any member):
 *   GET  /gestion/vehicules                       the requests to check, oldest first; the others by state
 *   GET  /gestion/vehicules/:id                   one request: its facts, its certificate, the decision
 *   GET  /gestion/vehicules/:id/certificat        the registration certificate, downloaded (as contact's attachments), audited
 *   POST /gestion/vehicules/:id/approbation       approve: the contract's vehicles change from the date (the customer is told)
 *   POST /gestion/vehicules/:id/refus             refuse with a reason (required; the customer is told it)
 */

const idParams = z.object({ id: wellFormed(uuid) });
const listQuery = z.object({ etat: z.enum(CHANGE_STATES).catch('pending').default('pending') });
const noticeQuery = z.object({ ok: z.enum(['accepte', 'refuse']).optional().catch(undefined), deja: present, conflit: present });
const refuseBody = form({ reason: typedText(2000) });
const LIST_SIZE = 100;

const vehiclesBackofficeRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;
  const attachments = contentStore(config, 'attachments');
  const changeId = (req: FastifyRequest): string => {
    const { id } = idParams.parse(req.params);
    if (!id.value) throw notFound();
    return id.value;
  };

  app.get('/vehicules', async (req, reply) => {
    const { etat } = listQuery.parse(req.query ?? {});
    const [{ rows }, counts] = await Promise.all([listVehicleChanges(db, etat, 1, LIST_SIZE), vehicleChangeCounts(db)]);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('vehicles.bo.title'), <VehicleChangeListView ctx={ctx} data={{ status: etat, states: CHANGE_STATES, counts, rows }} />);
  });

  async function renderChange(req: FastifyRequest, reply: FastifyReply, id: string, extra: Partial<Omit<VehicleChangePageData, 'change'>>, status = 200) {
    const change = await staffVehicleChange(db, id);
    if (!change) throw notFound();
    const ctx = pageContext(req, reply);
    const data: VehicleChangePageData = { change, notice: extra.notice ?? null, reason: extra.reason ?? '', errors: extra.errors ?? {} };
    return sendPage(reply, ctx, ctx.t('vehicles.bo.request.title', { contract: change.contract_number }), <VehicleChangeView ctx={ctx} data={data} />, status);
  }

  app.get('/vehicules/:id', async (req, reply) => {
    const id = changeId(req);
    const q = noticeQuery.parse(req.query ?? {});
    const notice: VehicleChangePageData['notice'] = q.ok
      ? { key: q.ok === 'accepte' ? 'vehicles.bo.notice.approved' : 'vehicles.bo.notice.refused', kind: 'status' }
      : q.deja
        ? { key: 'vehicles.bo.notice.already', kind: 'error' }
        : q.conflit
          ? { key: 'vehicles.bo.notice.conflict', kind: 'error' }
          : null;
    return renderChange(req, reply, id, { notice });
  });

  app.get('/vehicules/:id/certificat', async (req, reply) => {
    const id = changeId(req);
    const change = await staffVehicleChange(db, id);
    if (!change) throw notFound();
    const bytes = await readAttachment(attachments, change.certificate_sha256);
    const actor = staffActor(req);
    await audit(db, clock, {
      actor_type: 'staff',
      actor_id: actor.staffId,
      action: 'vehicle.certificate_download',
      outcome: 'success',
      target_type: 'vehicle_change',
      target_id: id,
      ...actor.meta,
      details: { customer_id: change.customer_id },
    });
    return sendAttachment(reply, { original_name: change.certificate_name, content_type: change.certificate_type }, bytes);
  });

  /** A decision that came too late, or that no longer applies: back to the request, saying so. */
  const decided = (reply: FastifyReply, id: string, e: unknown) => {
    if (isAppError(e, 'vehicle_change_decided')) return reply.redirect(`${changeHref(id)}?deja`, 303);
    if (isAppError(e, 'vehicle_change_conflict')) return reply.redirect(`${changeHref(id)}?conflit`, 303);
    throw e;
  };

  app.post('/vehicules/:id/approbation', async (req, reply) => {
    const id = changeId(req);
    try {
      await approveVehicleChange(db, clock, config, staffActor(req), id);
    } catch (e) {
      return decided(reply, id, e);
    }
    return reply.redirect(`${changeHref(id)}?ok=accepte`, 303);
  });

  app.post('/vehicules/:id/refus', async (req, reply) => {
    const id = changeId(req);
    const { reason } = refuseBody.parse(req.body);
    const checked = refusalReason(reason);
    if (!checked.ok) return renderChange(req, reply, id, { reason, errors: checked.errors }, 400);
    try {
      await refuseVehicleChange(db, clock, config, staffActor(req), id, checked.reason);
    } catch (e) {
      return decided(reply, id, e);
    }
    return reply.redirect(`${changeHref(id)}?ok=refuse`, 303);
  });
};

export default vehiclesBackofficeRoutes;
