import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit, requestMeta } from '../../lib/audit.ts';
import { parisDate } from '../../lib/clock.ts';
import { addError, type FormErrors } from '../../lib/forms.tsx';
import { formatDate } from '../../lib/i18n.ts';
import { deniedAsNotFound, ownContractOf } from '../../lib/ownership.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { sendPdf } from '../../lib/pdf.ts';
import { boundedText, emailAddress, normalizeEmail, tokenParams } from '../../lib/validation.ts';
import { normalizeIdentifier } from '../auth/auth.rules.ts';
import { refuseThrottled, sendThrottled } from '../auth/throttle.ts';
import { acknowledgementPdf } from './terminations.pdf.ts';
import { type ContractToTerminate, contractToTerminate, customerTermination, terminationByWithdrawToken } from './terminations.queries.ts';
import {
  type TerminationPreview,
  countPublicRequest,
  previewTermination,
  publicRetryAfterMs,
  requestTermination,
  requestTerminationLink,
  validTerminationLink,
  withdrawTermination,
} from './terminations.service.ts';
import {
  DateFormView,
  DoneView,
  NoticeView,
  type PublicField,
  PublicFormView,
  PublicSentView,
  type PublicValues,
  SummaryView,
  WithdrawLinkView,
  summaryFacts,
  terminationPath,
} from './terminations.views.tsx';

/*
 * "Résilier votre contrat" (L215-1-1), logged in, in the customer area:
 *   GET  /contrats/:number/resiliation                 a business customer's one question (a later date), else the summary
 *   GET  /contrats/:number/resiliation/recapitulatif   the summary with the date chosen (?date=)
 *   POST /contrats/:number/resiliation                 confirm → the acknowledgement e-mailed → …/enregistree
 *   GET  /contrats/:number/resiliation/enregistree     done: the date, the reference
 *   POST /contrats/:number/resiliation/retrait         withdraw it (until its effective date) → …/retiree
 *   GET  /contrats/:number/resiliation/retiree
 *   GET  /contrats/:number/resiliation/accuse.pdf      the acknowledgement as a PDF
 * and without logging in (`terminationPageRoutes`, public, linked from every page's footer):
 *   GET/POST /resilier                       customer number, name, contract number, e-mail → one answer for everyone
 *   GET  /resilier/confirmation/:token       the summary (a business customer: a later date first)
 *   POST /resilier/confirmation              confirm → the acknowledgement
 *   GET  /resilier/retrait/:token            the acknowledgement's withdrawal link
 *   POST /resilier/retrait
 * The routes whose URL holds a token log at `warn`, so the token never reaches the request log.
 */

const dateQuery = z.object({ date: boundedText(20).catch('') });
const confirmBody = z.object({ date: boundedText(20) });

/** The dates of an error's parameters, as the reader writes them. */
const dateParams = (params: Record<string, string> | undefined, lang: 'fr' | 'en') => (params?.date ? { date: formatDate(params.date, lang) } : undefined);

/** What a preview that cannot go on says, as a page. */
function refused(req: FastifyRequest, reply: FastifyReply, preview: Exclude<TerminationPreview, { ok: true }> | { ok: false; why: 'unknown' }, found?: ContractToTerminate) {
  const ctx = pageContext(req, reply);
  const { t, lang } = ctx;
  const message =
    preview.why === 'pending'
      ? found?.current
        ? t('terminations.not.pending', { date: formatDate(found.current.effective_date, lang) })
        : t('terminations.not.pendingAlready')
      : preview.why === 'unknown'
        ? t('terminations.public.invalid.p1')
        : t('terminations.not.ended');
  return sendPage(reply, ctx, t('terminations.not.title'), <NoticeView ctx={ctx} title={t('terminations.not.title')} message={message} link={{ href: '/contrats', label: t('terminations.toContracts') }} />, 409);
}

const terminationsRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  const findOwn = (req: FastifyRequest) => ownContractOf(req, (number) => contractToTerminate(db, req.customer.id, number));

  /** The date form (business) or the summary, for the date typed. */
  const renderStep = (req: FastifyRequest, reply: FastifyReply, found: ContractToTerminate, typed: string, askDate: boolean) => {
    const today = parisDate(clock.now());
    const preview = previewTermination(found, today, typed);
    const ctx = pageContext(req, reply);
    const number = found.contract.number;
    if (!preview.ok && preview.why === 'date') {
      const errors: FormErrors<'date'> = {};
      addError(errors, 'date', preview.error.key, dateParams(preview.error.params, ctx.lang));
      return sendPage(reply, ctx, ctx.t('terminations.title'), <DateFormView ctx={ctx} found={found} earliest={preview.earliest} typed={typed} errors={errors} action={`${terminationPath(number)}/recapitulatif`} />, 400);
    }
    if (!preview.ok) return refused(req, reply, preview, found);
    if (askDate && preview.mayChoose) {
      return sendPage(reply, ctx, ctx.t('terminations.title'), <DateFormView ctx={ctx} found={found} earliest={preview.earliest} typed="" errors={{}} action={`${terminationPath(number)}/recapitulatif`} />);
    }
    return sendPage(
      reply,
      ctx,
      ctx.t('terminations.summary.title'),
      <SummaryView ctx={ctx} facts={summaryFacts(found, today, preview.effective, null)} action={terminationPath(number)} hidden={{ date: preview.mayChoose ? typed : '' }} back="/contrats" />,
    );
  };

  app.get('/contrats/:number/resiliation', async (req, reply) => renderStep(req, reply, await findOwn(req), '', true));

  app.get('/contrats/:number/resiliation/recapitulatif', async (req, reply) => renderStep(req, reply, await findOwn(req), dateQuery.parse(req.query ?? {}).date, false));

  app.post('/contrats/:number/resiliation', async (req, reply) => {
    const found = await findOwn(req);
    const { date } = confirmBody.parse(req.body ?? {});
    const outcome = await requestTermination(db, clock, config, {
      customerId: req.customer.id,
      contractNumber: found.contract.number,
      typedDate: date,
      channel: 'customer_area',
      address: null,
      linkId: null,
      meta: requestMeta(req),
    });
    if (!outcome.ok) return outcome.preview.why === 'date' ? renderStep(req, reply, found, date, false) : refused(req, reply, outcome.preview, found);
    return reply.redirect(`${terminationPath(found.contract.number)}/enregistree`, 303);
  });

  app.get('/contrats/:number/resiliation/enregistree', async (req, reply) => {
    const found = await findOwn(req);
    const r = await customerTermination(db, req.customer.id, found.contract.number);
    if (!r) return reply.redirect('/contrats', 303);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('terminations.done.title'), <DoneView ctx={ctx} r={r} publicPage={false} />);
  });

  app.post('/contrats/:number/resiliation/retrait', async (req, reply) => {
    const found = await findOwn(req);
    const ctx = pageContext(req, reply);
    const { t } = ctx;
    if (!found.current) return sendPage(reply, ctx, t('terminations.not.title'), <NoticeView ctx={ctx} title={t('terminations.not.title')} message={t('terminations.not.already')} link={{ href: '/contrats', label: t('terminations.toContracts') }} />, 409);
    const outcome = await withdrawTermination(db, clock, config, found.current.id, 'customer_area', requestMeta(req));
    if (!outcome.ok) {
      const message = t(outcome.why === 'too_late' ? 'terminations.not.tooLate' : 'terminations.not.already');
      return sendPage(reply, ctx, t('terminations.not.title'), <NoticeView ctx={ctx} title={t('terminations.not.title')} message={message} link={{ href: '/contrats', label: t('terminations.toContracts') }} />, 409);
    }
    return reply.redirect(`${terminationPath(found.contract.number)}/retiree`, 303);
  });

  app.get('/contrats/:number/resiliation/retiree', async (req, reply) => {
    const found = await findOwn(req);
    const ctx = pageContext(req, reply);
    const { t } = ctx;
    return sendPage(reply, ctx, t('terminations.withdrawn.title'), <NoticeView ctx={ctx} title={t('terminations.withdrawn.title')} message={t('terminations.withdrawn.p1', { contract: found.contract.number })} link={{ href: '/contrats', label: t('terminations.toContracts') }} />);
  });

  app.get('/contrats/:number/resiliation/accuse.pdf', async (req, reply) => {
    const found = await findOwn(req);
    const r = await customerTermination(db, req.customer.id, found.contract.number);
    if (!r) return deniedAsNotFound(req, 'contract_termination', found.contract.number);
    return sendPdf(reply, `resiliation-${r.reference}.pdf`, await acknowledgementPdf(r, app.operator, req.lang));
  });
};

export default terminationsRoutes;

// ---------------------------------------------------------------- without logging in

const publicBody = z.object({
  numero_client: boundedText(64),
  nom: boundedText(200),
  numero_contrat: boundedText(64),
  email: boundedText(254),
});
const linkConfirmBody = z.object({ token: boundedText(100), date: boundedText(20) });
const withdrawBody = z.object({ token: boundedText(100) });

const emptyValues: PublicValues = { numero_client: '', nom: '', numero_contrat: '', email: '' };

export const terminationPageRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  const renderForm = (req: FastifyRequest, reply: FastifyReply, values: PublicValues, errors: FormErrors<PublicField> = {}, status = 200, throttledMinutes?: number) => {
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('terminations.title'), <PublicFormView ctx={ctx} values={values} errors={errors} throttledMinutes={throttledMinutes} />, status);
  };

  const invalidLink = (req: FastifyRequest, reply: FastifyReply) => {
    const ctx = pageContext(req, reply);
    const { t } = ctx;
    return sendPage(reply, ctx, t('terminations.public.invalid.title'), <NoticeView ctx={ctx} title={t('terminations.public.invalid.title')} message={t('terminations.public.invalid.p1')} link={{ href: '/resilier', label: t('terminations.public.again') }} />, 410);
  };

  app.get('/resilier', (req, reply) => renderForm(req, reply, emptyValues));

  app.post('/resilier', async (req, reply) => {
    const values = { ...emptyValues, ...publicBody.safeParse(req.body ?? {}).data };
    const errors: FormErrors<PublicField> = {};
    const number = normalizeIdentifier(values.numero_client);
    const contract = values.numero_contrat.trim().toUpperCase();
    for (const field of ['numero_client', 'nom', 'numero_contrat', 'email'] as const) if (values[field].trim() === '') addError(errors, field, 'terminations.public.required');
    const email = emailAddress.safeParse(values.email);
    if (values.email.trim() !== '' && !email.success) addError(errors, 'email', 'terminations.public.emailInvalid');
    if (Object.keys(errors).length > 0 || !email.success) return renderForm(req, reply, values, errors, 400);

    // Held per number typed (whether it exists or not) and per IP, as the password reset is: the hold tells nothing.
    const wait = await publicRetryAfterMs(db, clock, number, req.ip);
    if (wait > 0) {
      const throttled = await refuseThrottled(db, clock, wait, { actor_type: 'anonymous', action: 'termination.public_request', ...requestMeta(req), details: { identifier: number } });
      return renderForm(req, reply, values, {}, 429, sendThrottled(reply, throttled));
    }
    await countPublicRequest(db, clock, number, req.ip);
    const { outcome, customerId } = await requestTerminationLink(db, clock, config, { customerNumber: number, name: values.nom, contractNumber: contract, email: normalizeEmail(email.data) }, req.lang);
    await audit(db, clock, {
      actor_type: 'anonymous',
      actor_id: customerId,
      action: 'termination.public_request',
      outcome: outcome === 'sent' ? 'success' : 'failure',
      target_type: 'customer',
      target_id: customerId,
      ...requestMeta(req),
      details: { identifier: number, contract, result: outcome },
    });
    // The same page and status for every outcome: nothing tells whether the details matched.
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('terminations.public.sent.title'), <PublicSentView ctx={ctx} />);
  });

  /** The summary a valid link leads to (a business customer: the date first); the date typed, checked. */
  const renderLinkStep = async (req: FastifyRequest, reply: FastifyReply, token: string, typed: string, askDate: boolean) => {
    const link = await validTerminationLink(db, clock.now(), token);
    if (!link) return invalidLink(req, reply);
    const found = await contractToTerminate(db, link.customer_id, link.contract_number);
    if (!found) return invalidLink(req, reply);
    const today = parisDate(clock.now());
    const preview = previewTermination(found, today, typed);
    const ctx = pageContext(req, reply);
    const action = `/resilier/confirmation/${token}`;
    if (!preview.ok && preview.why === 'date') {
      const errors: FormErrors<'date'> = {};
      addError(errors, 'date', preview.error.key, dateParams(preview.error.params, ctx.lang));
      return sendPage(reply, ctx, ctx.t('terminations.title'), <DateFormView ctx={ctx} found={found} earliest={preview.earliest} typed={typed} errors={errors} action={action} />, 400);
    }
    if (!preview.ok) return refused(req, reply, preview, found);
    if (askDate && preview.mayChoose) {
      return sendPage(reply, ctx, ctx.t('terminations.title'), <DateFormView ctx={ctx} found={found} earliest={preview.earliest} typed="" errors={{}} action={action} />);
    }
    return sendPage(
      reply,
      ctx,
      ctx.t('terminations.summary.title'),
      <SummaryView ctx={ctx} facts={summaryFacts(found, today, preview.effective, link.email)} action="/resilier/confirmation" hidden={{ token, date: preview.mayChoose ? typed : '' }} back={null} />,
    );
  };

  app.get('/resilier/confirmation/:token', async (req, reply) => {
    const { token } = tokenParams.parse(req.params);
    const query = z.object({ date: z.string().max(20).optional().catch(undefined) }).parse(req.query ?? {});
    return renderLinkStep(req, reply, token, query.date ?? '', query.date === undefined);
  });

  app.post('/resilier/confirmation', async (req, reply) => {
    const parsed = linkConfirmBody.safeParse(req.body ?? {});
    if (!parsed.success) return invalidLink(req, reply);
    const { token, date } = parsed.data;
    const link = await validTerminationLink(db, clock.now(), token);
    if (!link) return invalidLink(req, reply);
    const outcome = await requestTermination(db, clock, config, {
      customerId: link.customer_id,
      contractNumber: link.contract_number,
      typedDate: date,
      channel: 'public_page',
      address: link.email,
      linkId: link.id,
      meta: requestMeta(req),
    });
    if (!outcome.ok) return outcome.preview.why === 'date' ? renderLinkStep(req, reply, token, date, false) : refused(req, reply, outcome.preview);
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('terminations.done.title'), <DoneView ctx={ctx} r={outcome.termination} publicPage />);
  });

  app.get('/resilier/retrait/:token', async (req, reply) => {
    const { token } = tokenParams.parse(req.params);
    const r = await terminationByWithdrawToken(db, token);
    if (!r) return invalidLink(req, reply);
    const ctx = pageContext(req, reply);
    const { t } = ctx;
    if (r.status === 'withdrawn') return sendPage(reply, ctx, t('terminations.withdrawn.title'), <NoticeView ctx={ctx} title={t('terminations.withdrawn.title')} message={t('terminations.not.already')} link={{ href: '/', label: t('error.home') }} />);
    if (parisDate(clock.now()) > r.effective_date) return sendPage(reply, ctx, t('terminations.not.title'), <NoticeView ctx={ctx} title={t('terminations.not.title')} message={t('terminations.not.tooLate')} link={{ href: '/', label: t('error.home') }} />, 410);
    return sendPage(reply, ctx, t('terminations.withdrawLink.title'), <WithdrawLinkView ctx={ctx} r={r} token={token} />);
  });

  app.post('/resilier/retrait', async (req, reply) => {
    const parsed = withdrawBody.safeParse(req.body ?? {});
    const r = parsed.success ? await terminationByWithdrawToken(db, parsed.data.token) : undefined;
    if (!r) return invalidLink(req, reply);
    const outcome = await withdrawTermination(db, clock, config, r.id, 'email_link', requestMeta(req));
    const ctx = pageContext(req, reply);
    const { t } = ctx;
    if (!outcome.ok) {
      const message = t(outcome.why === 'too_late' ? 'terminations.not.tooLate' : 'terminations.not.already');
      return sendPage(reply, ctx, t('terminations.not.title'), <NoticeView ctx={ctx} title={t('terminations.not.title')} message={message} link={{ href: '/', label: t('error.home') }} />, 409);
    }
    return sendPage(reply, ctx, t('terminations.withdrawn.title'), <NoticeView ctx={ctx} title={t('terminations.withdrawn.title')} message={t('terminations.withdrawn.p1', { contract: r.contract_number })} link={{ href: '/', label: t('error.home') }} />);
  });
};

