import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requestMeta } from '../../lib/audit.ts';
import { nowIso, parisDate } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { auditDenied, deniedAsNotFound } from '../../lib/ownership.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { sendPdf } from '../../lib/pdf.ts';
import { form, present, typedText, uuid, wellFormed } from '../../lib/validation.ts';
import { displayName } from '../customers/customers.service.ts';
import { mandateParties, renderPaperMandatePdf } from './direct-debit.pdf.ts';
import {
  type MandateCustomer,
  type MandateView,
  contractsOnDirectDebit,
  currentContracts,
  currentMandate,
  findOwnMandate,
  findOwnMandatePdf,
  lastEndedMandate,
  latestCode,
  mandateCustomer,
  pendingMandate,
  replacementMandate,
} from './direct-debit.queries.ts';
import {
  codeAlive,
  type MandateErrors,
  type MandateFormValues,
  isOnlineRumOf,
  mandateForm,
  mandateObstacle,
  newRum,
  paperRum,
  pendingSigningAddress,
  signingAddress,
  validateMandateForm,
} from './direct-debit.rules.ts';
import { readMandatePdf } from './direct-debit.secrets.ts';
import { type CustomerRequest, createMandate, holderPrefill, resendCode, revokeMandate, signMandate } from './direct-debit.service.ts';
import {
  CannotSignView,
  type DirectDebitNotice,
  DirectDebitView,
  MandateFormView,
  RevocationView,
  type SignatureData,
  SignatureView,
} from './direct-debit.views.tsx';
import { forAccountants } from '../users/users.rules.ts';

/*
 * Prélèvement automatique: the customer's SEPA mandate, signed online with a one-time code
 * or on paper. Every route is a customer page (one guard for the plugin); a mandate is always
 * looked up among the session customer's own, and what is not theirs is answered 404 and
 * audited (Z1). Routes:
 *   GET  /prelevement                              state of the mandate, or the two ways to sign one
 *   GET  /prelevement/formulaire.pdf               the paper form, pre-filled
 *   GET  /prelevement/mandat, POST                 the online form
 *   GET  /prelevement/mandat/:id/signature, POST   the one-time code
 *   POST /prelevement/mandat/:id/nouveau-code      a new code, one a minute
 *   GET  /prelevement/mandat/:id.pdf               the signed mandate
 *   GET  /prelevement/mandat/:id/revocation, POST  confirmation, then revocation
 *   GET  /prelevement/mandat/:id/changement, POST  a new bank account for an active mandate: the
 *                                                  online form for a new mandate (same contracts),
 *                                                  signed as any other; the old one stays active
 *                                                  until customer service validates the new one
 */

const mandateParams = z.object({ id: wellFormed(uuid) });
/** `GET /prelevement/mandat/:id` serves `<mandate id>.pdf`. */
const pdfParams = z.object({ id: wellFormed(z.string().regex(/\.pdf$/).transform((file) => file.slice(0, -'.pdf'.length)).pipe(uuid)) });
/** The notice a redirect to the state page carries. */
const stateQuery = z.object({ signe: present, revoque: present, 'deja-revoque': present, 'deja-signe': present });
const signatureQuery = z.object({ renvoye: present });
/** The code as typed: spaces (a code read out as `123 456`) do not count. */
const codeBody = form({ code: typedText().transform((code) => code.replace(/\s/g, '').slice(0, 20)) });

/** The `:id` of the request when it is a well-formed id; the raw text (for the audit) otherwise. */
function idOf(req: FastifyRequest): { id: string | null; raw: string } {
  const { id } = mandateParams.parse(req.params);
  return { id: id.value, raw: id.raw };
}

const directDebitRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  /** The creditor and the operator as the settings say them at the time of the request. */
  const parties = () => mandateParties(app.operator);
  const customerRequest = (req: FastifyRequest): CustomerRequest => ({
    db,
    clock,
    config,
    customerId: req.customer.id,
    meta: requestMeta(req),
  });

  // ---------------------------------------------------------------- the state of things

  app.get('/prelevement', forAccountants, async (req, reply) => {
    const customerId = req.customer.id;
    const [current, customer, contracts, coverage] = await Promise.all([
      currentMandate(db, customerId),
      mandateCustomer(db, customerId),
      currentContracts(db, customerId),
      contractsOnDirectDebit(db, customerId),
    ]);
    const [lastEnded, pending] = current ? [undefined, undefined] : await Promise.all([lastEndedMandate(db, customerId), pendingMandate(db, customerId)]);
    const replacement = current?.status === 'active' ? await replacementMandate(db, customerId, current.id) : undefined;
    const q = stateQuery.parse(req.query);
    const notice: DirectDebitNotice = q.signe ? 'signed' : q.revoque ? 'revoked' : q['deja-revoque'] ? 'alreadyRevoked' : q['deja-signe'] ? 'alreadySigned' : null;
    const ctx = pageContext(req, reply);
    return sendPage(
      reply,
      ctx,
      ctx.t('directDebit.title'),
      <DirectDebitView
        ctx={ctx}
        data={{
          current,
          replacement,
          lastEnded,
          pending,
          signingAddress: signingAddress(customer),
          pendingAddress: pendingSigningAddress(customer),
          hasCurrentContracts: contracts.length > 0,
          coverage,
          operatorAddress: `${app.operator.name}, ${app.operator.address}`,
          notice,
          error: null,
        }}
      />,
    );
  });

  /** The paper form: a GET changes nothing, so its RUM is made unique by the moment of printing (`paperRum`), not recorded. */
  app.get('/prelevement/formulaire.pdf', forAccountants, async (req, reply) => {
    const customerId = req.customer.id;
    const [customer, contracts] = await Promise.all([mandateCustomer(db, customerId), currentContracts(db, customerId)]);
    const now = clock.now();
    const rum = paperRum(customer.number, now);
    const pdf = await renderPaperMandatePdf({
      lang: req.lang,
      ...parties(),
      customerNumber: customer.number,
      rum,
      holderName: displayName(customer),
      holderAddress: addressLines(customer),
      contracts: contracts.map((k) => ({ number: k.number, carPark: k.car_park_name })),
      date: parisDate(now),
    });
    return sendPdf(reply, `mandat-${rum}.pdf`, pdf);
  });

  // ---------------------------------------------------------------- the online form

  /** Why this customer cannot fill in the online form now, if they cannot. */
  async function obstacle(customerId: string, customer: MandateCustomer, contractCount: number) {
    const hasMandateInForce = Boolean(await currentMandate(db, customerId));
    return mandateObstacle({ hasMandateInForce, signingAddress: signingAddress(customer), currentContracts: contractCount });
  }

  async function renderForm(req: FastifyRequest, reply: FastifyReply, values: MandateFormValues, errors: MandateErrors, status = 200, replaces?: MandateView) {
    const contracts = await currentContracts(db, req.customer.id);
    const ctx = pageContext(req, reply);
    return sendPage(
      reply,
      ctx,
      ctx.t(replaces ? 'directDebit.replace.title' : 'directDebit.form.title'),
      <MandateFormView ctx={ctx} form={{ values, errors, contracts, creditor: parties().creditor, replaces }} />,
      status,
    );
  }

  function cannotSign(req: FastifyRequest, reply: FastifyReply, reason: Parameters<typeof CannotSignView>[0]['reason'], status: number) {
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('directDebit.form.title'), <CannotSignView ctx={ctx} reason={reason} />, status);
  }

  app.get('/prelevement/mandat', forAccountants, async (req, reply) => {
    const customerId = req.customer.id;
    const [customer, contracts] = await Promise.all([mandateCustomer(db, customerId), currentContracts(db, customerId)]);
    const blocked = await obstacle(customerId, customer, contracts.length);
    if (blocked) return cannotSign(req, reply, blocked, 200);
    const values: MandateFormValues = {
      ...holderPrefill(customer),
      iban: '',
      bic: '',
      // One contract: it is the one. Several: the customer chooses.
      contracts: contracts.length === 1 ? [contracts[0]!.id] : [],
      place: customer.city,
      rum: newRum(customer.number, clock.now()),
    };
    return renderForm(req, reply, values, {});
  });

  app.post('/prelevement/mandat', forAccountants, async (req, reply) => {
    const customerId = req.customer.id;
    const values: MandateFormValues = mandateForm.parse(req.body);
    const [customer, contracts] = await Promise.all([mandateCustomer(db, customerId), currentContracts(db, customerId)]);
    const blocked = await obstacle(customerId, customer, contracts.length);
    if (blocked) return cannotSign(req, reply, blocked, 409);
    // The RUM shown on the form comes back in a hidden field: kept only if it is this customer's.
    if (!isOnlineRumOf(values.rum, customer.number)) values.rum = newRum(customer.number, clock.now());

    const result = validateMandateForm(values, contracts.map((k) => k.id), req.lang);
    if (!result.ok) {
      // A contract id that is not one of the customer's current contracts: refused, and audited (Z1).
      for (const foreign of result.foreignContracts) await auditDenied(req, 'contract', foreign, { form: 'mandate' });
      values.contracts = values.contracts.filter((c) => !result.foreignContracts.includes(c));
      return renderForm(req, reply, values, result.errors, 422);
    }
    const created = await createMandate(customerRequest(req), result.mandate, values.rum);
    if (!created.ok) return created.reason === 'not_replaceable' ? reply.redirect('/prelevement', 303) : cannotSign(req, reply, created.reason, 409);
    return reply.redirect(`/prelevement/mandat/${created.mandateId}/signature`, 303);
  });

  // ---------------------------------------------------------------- a new bank account

  /**
   * The active mandate whose account the customer changes, with its current contracts; or the
   * answer already sent: 404 (audited) when it is not theirs, the state page when it is not
   * active or a new mandate already replaces it (its signature page while it awaits one).
   */
  async function changeable(req: FastifyRequest, reply: FastifyReply): Promise<{ mandate: MandateView; customer: MandateCustomer } | { sent: unknown }> {
    const { id, raw } = idOf(req);
    if (!id) return { sent: await deniedAsNotFound(req, 'mandate', raw) };
    const customerId = req.customer.id;
    const mandate = await findOwnMandate(db, customerId, id);
    if (!mandate) return { sent: await deniedAsNotFound(req, 'mandate', id) };
    const current = mandate.contracts.filter((k) => k.status !== 'ended');
    if (mandate.status !== 'active' || current.length === 0) return { sent: reply.redirect('/prelevement', 303) };
    const replacement = await replacementMandate(db, customerId, id);
    if (replacement) return { sent: reply.redirect(replacement.status === 'awaiting_signature' ? `/prelevement/mandat/${replacement.id}/signature` : '/prelevement', 303) };
    return { mandate: { ...mandate, contracts: current }, customer: await mandateCustomer(db, customerId) };
  }

  app.get('/prelevement/mandat/:id/changement', forAccountants, async (req, reply) => {
    const found = await changeable(req, reply);
    if ('sent' in found) return found.sent;
    const { mandate, customer } = found;
    if (!signingAddress(customer)) return cannotSign(req, reply, 'no_verified_email', 200);
    const values: MandateFormValues = {
      ...holderPrefill(customer),
      holder: mandate.holderName,
      iban: '',
      bic: '',
      contracts: mandate.contracts.map((k) => k.id),
      place: customer.city,
      rum: newRum(customer.number, clock.now()),
    };
    return renderForm(req, reply, values, {}, 200, mandate);
  });

  app.post('/prelevement/mandat/:id/changement', forAccountants, async (req, reply) => {
    const found = await changeable(req, reply);
    if ('sent' in found) return found.sent;
    const { mandate, customer } = found;
    if (!signingAddress(customer)) return cannotSign(req, reply, 'no_verified_email', 409);
    const values: MandateFormValues = mandateForm.parse(req.body);
    // The same contracts as the mandate replaced, whatever the request says.
    values.contracts = mandate.contracts.map((k) => k.id);
    if (!isOnlineRumOf(values.rum, customer.number)) values.rum = newRum(customer.number, clock.now());
    const result = validateMandateForm(values, values.contracts, req.lang);
    if (!result.ok) return renderForm(req, reply, values, result.errors, 422, mandate);
    const created = await createMandate(customerRequest(req), result.mandate, values.rum, mandate.id);
    if (!created.ok) return created.reason === 'not_replaceable' || created.reason === 'already_has_mandate' ? reply.redirect('/prelevement', 303) : cannotSign(req, reply, created.reason, 409);
    return reply.redirect(`/prelevement/mandat/${created.mandateId}/signature`, 303);
  });

  // ---------------------------------------------------------------- signing

  async function renderSignature(
    req: FastifyRequest,
    reply: FastifyReply,
    mandateId: string,
    extra: Pick<SignatureData, 'codeError' | 'message'>,
    status = 200,
  ) {
    const customerId = req.customer.id;
    const mandate = await findOwnMandate(db, customerId, mandateId);
    if (!mandate) return deniedAsNotFound(req, 'mandate', mandateId);
    if (mandate.status !== 'awaiting_signature') return reply.redirect('/prelevement?deja-signe', 303);
    const row = await latestCode(db, mandateId);
    const now = nowIso(clock);
    const alive = row && codeAlive(row, now);
    const message = extra.message ?? (row && !alive ? { key: 'directDebit.sign.error.dead' as const, kind: 'error' as const } : null);
    const ctx = pageContext(req, reply);
    return sendPage(
      reply,
      ctx,
      ctx.t('directDebit.sign.title'),
      <SignatureView
        ctx={ctx}
        data={{
          mandate,
          creditor: parties().creditor,
          code: alive ? { sentTo: row.sent_to, sentAt: row.created_at, expiresAt: row.expires_at } : null,
          codeError: extra.codeError,
          message,
        }}
      />,
      status,
    );
  }

  app.get('/prelevement/mandat/:id/signature', forAccountants, async (req, reply) => {
    const { id, raw } = idOf(req);
    if (!id) return deniedAsNotFound(req, 'mandate', raw);
    const { renvoye: resent } = signatureQuery.parse(req.query);
    let message: SignatureData['message'] = null;
    if (resent) {
      const row = await latestCode(db, id);
      if (row) message = { key: 'directDebit.sign.resent', params: { address: row.sent_to }, kind: 'status' };
    }
    return renderSignature(req, reply, id, { codeError: undefined, message });
  });

  app.post('/prelevement/mandat/:id/signature', forAccountants, async (req, reply) => {
    const { id, raw } = idOf(req);
    if (!id) return deniedAsNotFound(req, 'mandate', raw);
    const { code } = codeBody.parse(req.body);
    if (code === '') return renderSignature(req, reply, id, { codeError: { key: 'directDebit.sign.error.required' }, message: null }, 422);
    // A code that cannot be one is not a try.
    if (!/^\d{6}$/.test(code)) return renderSignature(req, reply, id, { codeError: { key: 'directDebit.sign.error.format' }, message: null }, 422);

    const result = await signMandate({ ...customerRequest(req), storage: app.storage, lang: req.lang }, id, code);
    if (result.ok) return reply.redirect('/prelevement?signe', 303);
    switch (result.reason) {
      case 'not_found':
        return deniedAsNotFound(req, 'mandate', id);
      case 'not_awaiting':
        return reply.redirect('/prelevement?deja-signe', 303);
      case 'already_has_mandate':
        return cannotSign(req, reply, 'already_has_mandate', 409);
      case 'wrong':
        return renderSignature(req, reply, id, { codeError: { key: 'directDebit.sign.error.wrong', params: { remaining: result.remaining } }, message: null }, 422);
      case 'last_try':
        return renderSignature(req, reply, id, { codeError: undefined, message: { key: 'directDebit.sign.error.lastTry', kind: 'error' } }, 422);
      case 'no_code':
        return renderSignature(req, reply, id, { codeError: undefined, message: { key: 'directDebit.sign.error.noCode', kind: 'error' } }, 422);
      case 'dead':
        return renderSignature(req, reply, id, { codeError: undefined, message: { key: 'directDebit.sign.error.dead', kind: 'error' } }, 422);
    }
  });

  app.post('/prelevement/mandat/:id/nouveau-code', forAccountants, async (req, reply) => {
    const { id, raw } = idOf(req);
    if (!id) return deniedAsNotFound(req, 'mandate', raw);
    const result = await resendCode(customerRequest(req), id);
    if (result.ok) return reply.redirect(`/prelevement/mandat/${id}/signature?renvoye`, 303);
    switch (result.reason) {
      case 'not_found':
        return deniedAsNotFound(req, 'mandate', id);
      case 'not_awaiting':
        return reply.redirect('/prelevement?deja-signe', 303);
      case 'too_soon':
        reply.header('retry-after', String(result.seconds));
        return renderSignature(req, reply, id, { codeError: undefined, message: { key: 'directDebit.sign.tooSoon', params: { seconds: result.seconds }, kind: 'error' } }, 429);
      case 'no_verified_email':
      case 'too_many_codes':
        return cannotSign(req, reply, result.reason, 409);
    }
  });

  // ---------------------------------------------------------------- the signed mandate

  /** `:id` is `<mandate id>.pdf`: the signed mandate, to its owner only — not to a staff member's view of their pages: it prints the full IBAN. */
  app.get('/prelevement/mandat/:id', forAccountants, async (req, reply) => {
    if (req.customer.viewedBy) throw new AppError('staff_view_full_iban');
    const { id: file } = pdfParams.parse(req.params);
    const id = file.value;
    if (!id) return deniedAsNotFound(req, 'mandate', file.raw);
    const customerId = req.customer.id;
    const row = await findOwnMandatePdf(db, customerId, id);
    if (!row) return deniedAsNotFound(req, 'mandate', id);
    if (!row.pdf_sha256) throw notFound();
    const pdf = await readMandatePdf(app.storage, config, row.pdf_sha256);
    return sendPdf(reply, `mandat-${row.rum}.pdf`, pdf);
  });

  // ---------------------------------------------------------------- revocation

  app.get('/prelevement/mandat/:id/revocation', forAccountants, async (req, reply) => {
    const { id, raw } = idOf(req);
    if (!id) return deniedAsNotFound(req, 'mandate', raw);
    const mandate = await findOwnMandate(db, req.customer.id, id);
    if (!mandate) return deniedAsNotFound(req, 'mandate', id);
    if (mandate.status !== 'to_validate' && mandate.status !== 'active') return reply.redirect('/prelevement?deja-revoque', 303);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('directDebit.revoke.title', { rum: mandate.rum }), <RevocationView ctx={ctx} mandate={mandate} />);
  });

  app.post('/prelevement/mandat/:id/revocation', forAccountants, async (req, reply) => {
    const { id, raw } = idOf(req);
    if (!id) return deniedAsNotFound(req, 'mandate', raw);
    const result = await revokeMandate(customerRequest(req), id);
    if (result.ok) return reply.redirect('/prelevement?revoque', 303);
    if (result.reason === 'not_found') return deniedAsNotFound(req, 'mandate', id);
    return reply.redirect('/prelevement?deja-revoque', 303);
  });
};

/** The customer's postal address as printed: street lines, postal code and city, country. */
function addressLines(c: MandateCustomer): string[] {
  return [c.address_line1, c.address_line2, `${c.postal_code} ${c.city}`, c.country].filter((l): l is string => Boolean(l && l.trim()));
}

export default directDebitRoutes;
