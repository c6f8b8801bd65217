import multipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requestMeta } from '../../lib/audit.ts';
import { parisDate } from '../../lib/clock.ts';
import { contentStore } from '../../lib/content-store.ts';
import { formatDate } from '../../lib/i18n.ts';
import { ownContractOf } from '../../lib/ownership.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { form, present, typedText } from '../../lib/validation.ts';
import { MAX_FILE_BYTES } from '../contact/contact.rules.ts';
import { discardUnreadBody, readContactForm, readCsrfPart, uploadOf } from '../contact/contact.routes.tsx';
import { vehiclesPath } from './vehicles.mails.ts';
import { type ContractVehiclesPage, contractVehicles } from './vehicles.queries.ts';
import { MAX_CERTIFICATES, type VehicleErrors, type VehicleValues, checkVehicleRequest, vehicleForm } from './vehicles.rules.ts';
import { requestVehicleChange } from './vehicles.service.ts';
import { VehicleFormView, VehiclesPageView, emptyVehicleValues } from './vehicles.views.tsx';

/*
 * The customer's vehicles, from Contrats (customer area):
 *   GET  /contrats/:number/vehicules                  the vehicles allowed, the requests pending or refused
 *   GET  /contrats/:number/vehicules/demande[?remplace=<id>]  the form: replace that vehicle, or add one
 *   POST /contrats/:number/vehicules/demande          the request, with its registration certificate (multipart,
 *                                                     read as the contact form's: CSRF token first, files after)
 * A contract that is not the customer's is a 404, audited.
 */

const pageQuery = z.object({ demande: present });
const formQuery = form({ remplace: typedText(64) });

const vehiclesRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;
  const attachments = contentStore(config, 'attachments');
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: MAX_FILE_BYTES, files: MAX_CERTIFICATES, fields: 10, fieldSize: 4 * 1024, parts: 12, headerPairs: 50 },
  });

  /** The customer's contract of the URL with its vehicles, or a 404 (audited). */
  const ownContract = (req: FastifyRequest): Promise<ContractVehiclesPage> => ownContractOf(req, (number) => contractVehicles(db, req.customer.id, number, parisDate(clock.now())));

  app.get('/contrats/:number/vehicules', async (req, reply) => {
    const page = await ownContract(req);
    const ctx = pageContext(req, reply);
    return sendPage(
      reply,
      ctx,
      ctx.t('vehicles.title', { number: page.contract.number }),
      <VehiclesPageView ctx={ctx} page={page} today={parisDate(clock.now())} sent={pageQuery.parse(req.query ?? {}).demande} />,
    );
  });

  function renderForm(req: FastifyRequest, reply: FastifyReply, page: ContractVehiclesPage, values: VehicleValues, errors: VehicleErrors, status = 200) {
    const ctx = pageContext(req, reply);
    const replaces = page.vehicles.find((v) => v.id === values.replaces) ?? null;
    const data = { contractNumber: page.contract.number, replaces, values, errors };
    const title = replaces ? ctx.t('vehicles.form.title.replace', { plate: replaces.plate }) : ctx.t('vehicles.form.title.add');
    return sendPage(reply, ctx, title, <VehicleFormView ctx={ctx} data={data} />, status);
  }

  app.get('/contrats/:number/vehicules/demande', async (req, reply) => {
    const page = await ownContract(req);
    if (page.contract.status === 'ended') return reply.redirect(vehiclesPath(page.contract.number), 303);
    const { remplace } = formQuery.parse(req.query ?? {});
    const replaces = page.vehicles.some((v) => v.id === remplace) ? remplace : '';
    return renderForm(req, reply, page, emptyVehicleValues(replaces), {});
  });

  app.post('/contrats/:number/vehicules/demande', { preValidation: readCsrfPart, preHandler: readContactForm, onResponse: discardUnreadBody }, async (req, reply) => {
    const page = await ownContract(req);
    if (page.contract.status === 'ended') return reply.redirect(vehiclesPath(page.contract.number), 303);
    const upload = uploadOf(req);
    const values = vehicleForm.parse(req.body);
    const today = parisDate(clock.now());
    const checked = checkVehicleRequest(values, upload.files, upload.tooManyFiles, page.situation, today, (d) => formatDate(d, req.lang));
    if (!checked.ok) return renderForm(req, reply, page, values, checked.errors, 422);
    const done = await requestVehicleChange({ db, clock, config, storage: attachments, customerId: req.customer.id, meta: requestMeta(req) }, page.contract, checked.request);
    if (!done.ok) return renderForm(req, reply, page, values, done.errors, 409);
    return reply.redirect(`${vehiclesPath(page.contract.number)}?demande`, 303);
  });
};

export default vehiclesRoutes;
