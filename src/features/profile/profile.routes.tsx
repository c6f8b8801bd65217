import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import { audit, requestMeta } from '../../lib/audit.ts';
import { type FormErrors, addError } from '../../lib/forms.tsx';
import type { MessageKey } from '../../lib/i18n.ts';
import { type PageContext, pageContext, sendPage } from '../../lib/page.tsx';
import { hashPassword } from '../../lib/passwords.ts';
import { boundedText, noticeParam, present } from '../../lib/validation.ts';
import { checkCustomerPassword, emailAddressErrors } from '../auth/auth.rules.ts';
import { confirmPassword } from '../auth/login.service.ts';
import { changePassword } from '../auth/password.service.ts';
import { openSession } from '../auth/sessions.ts';
import { sendThrottled } from '../auth/throttle.ts';
import { resendVerification } from '../auth/verify.service.ts';
import { latestExport } from '../mydata/mydata.queries.ts';
import { exportState } from '../mydata/mydata.rules.ts';
import { changeEmailAddresses } from './emails.service.ts';
import { contentStore } from '../../lib/content-store.ts';
import { notFound } from '../../lib/errors.ts';
import { billingProfileOf } from '../customers/customers.billing.queries.ts';
import { type BillingErrors, type BillingValues, billingValues, checkBillingProfile, valuesOf } from '../customers/customers.billing.rules.ts';
import { requestBillingChange } from '../customers/customers.billing.service.ts';
import { BillingRequestView } from '../customers/customers.billing.views.tsx';
import { findContractSummaries, findProfile } from './profile.queries.ts';
import { setPaperless } from './profile.service.ts';
import { type EmailChangeValues, EmailChangeView, type FormMessage, type PasswordChangeValues, PasswordChangeView, ProfileView } from './profile.views.tsx';
import { findOwnUser } from '../users/users.queries.ts';
import { checkUserPassword, forAccountants } from '../users/users.rules.ts';

const consentBody = z.object({ paperless: z.enum(['yes', 'no']) });
const emailChangeBody = z.object({
  email_primary: boundedText(254),
  email_secondary: boundedText(254),
  current_password: boundedText(4096),
});
const resendBody = z.object({ slot: z.enum(['primary', 'secondary']) });
const passwordChangeBody = z.object({
  current_password: boundedText(4096),
  password: boundedText(4096),
  password_confirm: boundedText(4096),
});

/** The notices of the profile page: `?active` after the first login, or what a form did. */
const profileQuery = z.object({
  active: present,
  papier: noticeParam({ oui: 'profile.paperless.given', non: 'profile.paperless.withdrawn' }),
  adresses: noticeParam({ modifiees: 'profileEmails.changed', inchangees: 'profileEmails.unchanged' }),
  verification: noticeParam({ envoyee: 'profileEmails.resent', attendre: 'profileEmails.wait', deja: 'profileEmails.alreadyVerified' }),
  'mot-de-passe': noticeParam({ modifie: 'passwordChange.done' }),
  facturation: noticeParam({ demandee: 'billing.request.sent' }),
});

const profileRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  app.get('/profil', forAccountants, async (req, reply) => {
    const customerId = req.customer.id;
    const [customer, contracts, latest] = await Promise.all([findProfile(db, customerId), findContractSummaries(db, customerId), latestExport(db, customerId)]);
    // A business customer's billing profile (issue 14): the "Facturation" section.
    const billing = customer.kind === 'business' ? await billingProfileOf(db, customerId) : undefined;
    const ctx = pageContext(req, reply);
    const q = profileQuery.parse(req.query);
    const notice = q.active ? 'profile.welcomeActivated' : (q.papier ?? q.adresses ?? q.verification ?? q['mot-de-passe'] ?? q.facturation);
    return sendPage(reply, ctx, ctx.t('profile.title'), <ProfileView ctx={ctx} customer={customer} contracts={contracts} notice={notice} justActivated={q.active} billing={billing} dataExport={exportState(latest, clock.now())} />);
  });

  /** A business customer's billing profile, changed through a request to customer service (`billing` in its inbox). */
  const billingPage = (req: FastifyRequest, reply: FastifyReply, values: BillingValues, errors: BillingErrors = {}, status = 200) => {
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('billing.request.title'), <BillingRequestView ctx={ctx} values={values} errors={errors} />, status);
  };
  const businessProfile = async (req: FastifyRequest) => {
    const profile = await billingProfileOf(db, req.customer.id);
    if (profile.kind !== 'business') throw notFound('billing profile of a customer who is not a business');
    return profile;
  };

  app.get('/profil/facturation', async (req, reply) => billingPage(req, reply, valuesOf(await businessProfile(req))));

  app.post('/profil/facturation', async (req, reply) => {
    const held = await businessProfile(req);
    const values = billingValues(req.body, held.purchaseOrders.map((o) => o.number), 'comment');
    const checked = checkBillingProfile(values, held.siren, false);
    if (!checked.ok) return billingPage(req, reply, values, checked.errors, 422);
    const customer = await findProfile(db, req.customer.id);
    const filed = await requestBillingChange(
      { db, clock, config, storage: contentStore(config, 'attachments'), customerId: req.customer.id, meta: requestMeta(req) },
      customer.language,
      held,
      checked.profile,
      checked.note,
    );
    if (filed.unchanged) {
      const errors: BillingErrors = {};
      addError(errors, 'form', 'billing.error.unchanged');
      return billingPage(req, reply, values, errors, 422);
    }
    return reply.redirect('/profil?facturation=demandee#facturation', 303);
  });

  /** Paperless consent, given or withdrawn at any time; every change is dated in its history and confirmed by e-mail. */
  app.post('/profil/documents-par-email', async (req, reply) => {
    const { paperless } = consentBody.parse(req.body ?? {});
    const customerId = req.customer.id;
    await setPaperless(db, clock, config, customerId, paperless === 'yes', 'profile', req.ip);
    await audit(db, clock, {
      actor_type: 'customer',
      actor_id: customerId,
      action: 'customer.paperless',
      outcome: 'success',
      target_type: 'customer',
      target_id: customerId,
      ...requestMeta(req),
      details: { given: paperless === 'yes' },
    });
    return reply.redirect(`/profil?papier=${paperless === 'yes' ? 'oui' : 'non'}#documents-par-email`, 303);
  });

  /** The current password asked again (A7): the minutes to wait when held, else the field's error if any. */
  const checkCurrentPassword = async (
    req: FastifyRequest,
    reply: FastifyReply,
    action: 'customer.email_change' | 'customer.password_change',
    password: string,
  ): Promise<{ held: number } | { error?: MessageKey }> => {
    const checked = await confirmPassword(db, clock, app.throttlePolicy, req.customer, password, requestMeta(req), action);
    if (checked.ok) return {};
    if ('throttled' in checked) return { held: sendThrottled(reply, checked.throttled) };
    return { error: checked.failure === 'password_missing' ? 'emailChange.error.passwordRequired' : 'emailChange.error.passwordWrong' };
  };

  /** A page that asks for the current password again: its title and its view, from what the form holds. */
  const changePage =
    <V,>(titleKey: MessageKey, View: (p: { ctx: PageContext; values: V; errors: FormErrors; formError?: FormMessage }) => VNode) =>
    (req: FastifyRequest, reply: FastifyReply, values: V, errors: FormErrors = {}, status = 200, formError?: FormMessage) => {
      const ctx = pageContext(req, reply);
      return sendPage(reply, ctx, ctx.t(titleKey), <View ctx={ctx} values={values} errors={errors} formError={formError} />, status);
    };
  const renderEmailChange = changePage<EmailChangeValues>('emailChange.title', EmailChangeView);
  const renderPasswordChange = changePage<PasswordChangeValues>('passwordChange.title', PasswordChangeView);

  app.get('/profil/adresses-email', async (req, reply) => {
    const customer = await findProfile(db, req.customer.id);
    return renderEmailChange(req, reply, { email_primary: customer.email_primary ?? '', email_secondary: customer.email_secondary ?? '' });
  });

  /** Changing the addresses (A7): the current password again, counted by the login throttle when wrong. */
  app.post('/profil/adresses-email', async (req, reply) => {
    const body = emailChangeBody.safeParse(req.body ?? {}).data ?? { email_primary: '', email_secondary: '', current_password: '' };
    const customerId = req.customer.id;
    const values: EmailChangeValues = {
      email_primary: body.email_primary.trim().toLowerCase(),
      email_secondary: body.email_secondary.trim().toLowerCase(),
    };

    const check = await checkCurrentPassword(req, reply, 'customer.email_change', body.current_password);
    if ('held' in check) return renderEmailChange(req, reply, values, {}, 429, { key: 'emailChange.error.throttled', params: { minutes: check.held } });

    const errors = emailAddressErrors(values);
    if (check.error) addError(errors, 'current_password', check.error);
    if (Object.keys(errors).length > 0) return renderEmailChange(req, reply, values, errors, 422);

    const result = await changeEmailAddresses(db, clock, config, customerId, {
      primary: values.email_primary,
      secondary: values.email_secondary || null,
    });
    if (!result.changed) return reply.redirect('/profil?adresses=inchangees#adresses-email', 303);
    await audit(db, clock, {
      actor_type: 'customer',
      actor_id: customerId,
      action: 'customer.email_change',
      outcome: 'success',
      target_type: 'customer',
      target_id: customerId,
      ...requestMeta(req),
      details: { verifications_sent: result.verificationsQueued, notices_sent: result.noticesQueued },
    });
    return reply.redirect('/profil?adresses=modifiees#adresses-email', 303);
  });

  /** Sends the verification link of one address again: at most one per 5 minutes per address. */
  app.post('/profil/adresses-email/verification', async (req, reply) => {
    const parsed = resendBody.safeParse(req.body ?? {});
    if (!parsed.success) return reply.redirect('/profil#adresses-email', 303);
    const { slot } = parsed.data;
    const customerId = req.customer.id;
    const outcome = await resendVerification(db, clock, config, customerId, slot);
    if (outcome === 'sent') {
      await audit(db, clock, {
        actor_type: 'customer',
        actor_id: customerId,
        action: 'customer.email_verification_resend',
        outcome: 'success',
        target_type: 'customer',
        target_id: customerId,
        ...requestMeta(req),
        details: { slot },
      });
    }
    const param = outcome === 'sent' ? 'envoyee' : outcome === 'wait' ? 'attendre' : outcome === 'verified' ? 'deja' : '';
    return reply.redirect(`/profil${param ? `?verification=${param}` : ''}#adresses-email`, 303);
  });


  app.get('/profil/mot-de-passe', forAccountants, async (req, reply) => renderPasswordChange(req, reply, { password: '', password_confirm: '' }));

  /**
   * Changing one's own password, whoever is logged in — the account's owner or a user of a
   * business account (their own password, decision 018) —: the current one again (A7), the new
   * one under the policy of the first login (A2, with the user's address and name for a user),
   * twice. Every session of theirs ends (not the owner's nor the other users'); this browser
   * gets a new one; audited (naming the user, from `requestMeta`) and told by e-mail.
   */
  app.post('/profil/mot-de-passe', forAccountants, async (req, reply) => {
    const body = passwordChangeBody.safeParse(req.body ?? {}).data ?? { current_password: '', password: '', password_confirm: '' };
    const values: PasswordChangeValues = { password: body.password, password_confirm: body.password_confirm };
    const customerId = req.customer.id;

    const check = await checkCurrentPassword(req, reply, 'customer.password_change', body.current_password);
    if ('held' in check) return renderPasswordChange(req, reply, values, {}, 429, { key: 'emailChange.error.throttled', params: { minutes: check.held } });

    const errors: FormErrors = {};
    if (check.error) addError(errors, 'current_password', check.error);
    const customer = await findProfile(db, customerId);
    const userId = req.customer.user.id;
    const user = userId ? await findOwnUser(db, customerId, userId) : undefined;
    const policyError = user ? checkUserPassword(body.password, user, customer, app.operator.name) : checkCustomerPassword(body.password, customer, customer, app.operator.name);
    if (policyError) addError(errors, 'password', policyError.key, policyError.params);
    else if (!check.error && body.password === body.current_password) addError(errors, 'password', 'passwordChange.error.same');
    else if (body.password !== body.password_confirm) addError(errors, 'password_confirm', 'error.password.mismatch');
    if (Object.keys(errors).length > 0) return renderPasswordChange(req, reply, values, errors, 422);

    // Hashed before the transaction: argon2 takes its time, the database should not wait for it.
    await changePassword(db, clock, config, customerId, userId, await hashPassword(body.password));
    await openSession(req, reply, customerId, 'customer', null, userId);
    await audit(db, clock, {
      actor_type: 'customer',
      actor_id: customerId,
      action: 'customer.password_change',
      outcome: 'success',
      target_type: 'customer',
      target_id: customerId,
      ...requestMeta(req),
      details: { sessions_ended: 'all', new_session: true },
    });
    return reply.redirect('/profil?mot-de-passe=modifie#mot-de-passe', 303);
  });
};

export default profileRoutes;
