import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit, requestMeta, staffActor } from '../../lib/audit.ts';
import { HOUR } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import { type FormErrors, addError } from '../../lib/forms.tsx';
import { isLanguage } from '../../lib/i18n.ts';
import { deniedAsNotFound } from '../../lib/ownership.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { hashPassword } from '../../lib/passwords.ts';
import { boundedText, noticeParam, normalizeEmail, tokenParams, uuid, wellFormed } from '../../lib/validation.ts';
import { closeSession } from '../auth/sessions.ts';
import { findCustomerForAction } from '../customers/customers.actions.queries.ts';
import { afterAction, customerPath } from '../customers/customers.actions.views.tsx';
import { isBusinessAccount, listUsers } from './users.queries.ts';
import { INVITATION_RESENDS_PER_DAY, type InviteValues, USER_ROLES, checkUserPassword } from './users.rules.ts';
import { type UserLinkTarget, changeUserRole, findUserByToken, inviteUser, removeUser, resendInvitation, setUserPassword } from './users.service.ts';
import { type UserPasswordValues, UserLinkInvalidView, UserPasswordView, type UsersNotice, UsersView } from './users.views.tsx';

/*
 * The users of a business account (issue 14).
 * Customer area, the owner alone (`customerRole: 'owner'`):
 *   GET/POST /profil/utilisateurs                 the list and the invitation form / an invitation
 *   POST /profil/utilisateurs/:id/role            a user's new role
 *   POST /profil/utilisateurs/:id/suppression     a user removed at once (their sessions end)
 *   POST /profil/utilisateurs/:id/invitation      an invited user's invitation sent again (a new link, 7 days; a few a day)
 * Public (`userLinkRoutes`), the link an invitation or a new password's e-mail holds:
 *   GET /utilisateur/:token, POST /utilisateur    the user's password chosen, then the login page
 * Back office (`usersBackofficeRoutes`): POST /gestion/clients/:number/utilisateurs/:id/suppression,
 *   POST /gestion/clients/:number/utilisateurs/:id/invitation (sent again, as the owner does).
 * Another account's user named in a URL is answered 404 and audited (Z1).
 */

const ownerOnly = { config: { customerRole: 'owner' as const } };

const inviteBody = z.object({ email: boundedText(254), name: boundedText(200), role: boundedText(20) });
const roleBody = z.object({ role: z.enum(USER_ROLES as ['manager', 'accountant']) });
const userParams = z.object({ id: wellFormed(uuid) });
const usersQuery = z.object({
  fait: noticeParam({ invitation: 'users.invite.sent', role: 'users.role.changed', retrait: 'users.removed', renvoi: 'users.resend.sent', active: 'users.resend.notInvited' }),
});

const usersRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  /** Only a business account has users: anyone else's Utilisateurs page does not exist. */
  const businessOnly = async (req: FastifyRequest) => {
    if (!(await isBusinessAccount(db, req.customer.id))) throw notFound();
  };

  /** The user a URL names, if this account's (not removed); else an audited 404. */
  const ownUserId = async (req: FastifyRequest) => {
    const { id } = userParams.parse(req.params);
    if (!id.value) return deniedAsNotFound(req, 'customer_user', id.raw);
    return id.value;
  };

  const render = async (req: FastifyRequest, reply: FastifyReply, values: InviteValues, errors: FormErrors = {}, status = 200, alert?: UsersNotice) => {
    const users = await listUsers(db, req.customer.id, clock.now());
    const ctx = pageContext(req, reply);
    const { fait } = usersQuery.parse(req.query);
    const notice = alert ?? (fait ? { key: fait } : undefined);
    return sendPage(reply, ctx, ctx.t('users.title'), <UsersView ctx={ctx} users={users} values={values} errors={errors} notice={notice} />, status);
  };

  app.get('/profil/utilisateurs', ownerOnly, async (req, reply) => {
    await businessOnly(req);
    return render(req, reply, { email: '', name: '', role: '' });
  });

  app.post('/profil/utilisateurs', ownerOnly, async (req, reply) => {
    await businessOnly(req);
    const body = inviteBody.safeParse(req.body ?? {}).data ?? { email: '', name: '', role: '' };
    const values: InviteValues = { email: normalizeEmail(body.email), name: body.name.trim(), role: body.role };
    const result = await inviteUser(db, clock, config, req.customer.id, values, requestMeta(req));
    if (!result.ok) return render(req, reply, values, result.errors, 422);
    return reply.redirect('/profil/utilisateurs?fait=invitation', 303);
  });

  app.post('/profil/utilisateurs/:id/role', ownerOnly, async (req, reply) => {
    await businessOnly(req);
    const userId = await ownUserId(req);
    const { role } = roleBody.parse(req.body ?? {});
    const changed = await changeUserRole(db, clock, req.customer.id, userId, role, requestMeta(req));
    if (!changed) return deniedAsNotFound(req, 'customer_user', userId);
    return reply.redirect('/profil/utilisateurs?fait=role', 303);
  });

  app.post('/profil/utilisateurs/:id/suppression', ownerOnly, async (req, reply) => {
    await businessOnly(req);
    const userId = await ownUserId(req);
    const removed = await removeUser(db, clock, req.customer.id, userId, { kind: 'owner', customerId: req.customer.id, meta: requestMeta(req) });
    if (!removed) return deniedAsNotFound(req, 'customer_user', userId);
    return reply.redirect('/profil/utilisateurs?fait=retrait', 303);
  });

  /** An invited user's invitation sent again, pending or expired: a new link, the earlier one dead; a few a day per user. */
  app.post('/profil/utilisateurs/:id/invitation', ownerOnly, async (req, reply) => {
    await businessOnly(req);
    const userId = await ownUserId(req);
    const sent = await resendInvitation(db, clock, config, req.customer.id, userId, { kind: 'owner', customerId: req.customer.id, meta: requestMeta(req) });
    if (!sent) return deniedAsNotFound(req, 'customer_user', userId);
    if (sent.outcome === 'throttled') {
      reply.header('retry-after', String(Math.ceil(sent.retryAfterMs / 1000)));
      const hours = Math.max(1, Math.ceil(sent.retryAfterMs / HOUR));
      return render(req, reply, { email: '', name: '', role: '' }, {}, 429, { key: 'users.resend.throttled', params: { count: String(INVITATION_RESENDS_PER_DAY), hours: String(hours) }, alert: true });
    }
    return reply.redirect(`/profil/utilisateurs?fait=${sent.outcome === 'sent' ? 'renvoi' : 'active'}`, 303);
  });
};

export default usersRoutes;

const passwordBody = z.object({ token: boundedText(100), password: boundedText(4096), password_confirm: boundedText(4096) });

/** The link of an invitation or of a new password: the user chooses their password (A2, A6: single use, no auto-login). */
export const userLinkRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  const invalid = (req: FastifyRequest, reply: FastifyReply) => {
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('users.accept.invalid.title'), <UserLinkInvalidView ctx={ctx} />, 410);
  };

  const renderForm = (req: FastifyRequest, reply: FastifyReply, target: UserLinkTarget, token: string, values: UserPasswordValues, errors: FormErrors = {}, status = 200) => {
    // A page reached from an e-mail speaks the account's language unless one was chosen here.
    if (!isLanguage(req.cookies.lang)) req.lang = target.language;
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('users.accept.title'), <UserPasswordView ctx={ctx} token={token} target={target} values={values} errors={errors} />, status);
  };

  app.get('/utilisateur/:token', async (req, reply) => {
    const { token } = tokenParams.parse(req.params);
    const target = await findUserByToken(db, clock, token);
    if (!target) return invalid(req, reply);
    return renderForm(req, reply, target, token, { password: '', password_confirm: '' });
  });

  app.post('/utilisateur', async (req, reply) => {
    const parsed = passwordBody.safeParse(req.body ?? {});
    if (!parsed.success) return invalid(req, reply);
    const { token, password, password_confirm } = parsed.data;
    const target = await findUserByToken(db, clock, token);
    if (!target) {
      await audit(db, clock, { actor_type: 'anonymous', action: 'customer.user.activate', outcome: 'denied', ...requestMeta(req), details: { reason: 'invalid_or_expired_link' } });
      return invalid(req, reply);
    }
    const errors: FormErrors = {};
    const policyError = checkUserPassword(password, target, target, app.operator.name);
    if (policyError) addError(errors, 'password', policyError.key, policyError.params);
    else if (password !== password_confirm) addError(errors, 'password_confirm', 'error.password.mismatch');
    if (Object.keys(errors).length > 0) return renderForm(req, reply, target, token, { password, password_confirm }, errors, 422);

    // Hashed before the transaction: argon2 takes its time, the database should not wait for it.
    const done = await setUserPassword(db, clock, config, token, await hashPassword(password), requestMeta(req));
    if (!done) return invalid(req, reply);
    await closeSession(req, reply, req.session?.tokenHash ?? null);
    return reply.redirect('/connexion?acces-active', 303);
  });
};

const staffUserParams = z.object({ number: z.string().min(1).max(40), id: wellFormed(uuid) });

/**
 * Back office (staff area, any member): `POST /gestion/clients/:number/utilisateurs/:id/suppression`,
 * a user of the customer's account removed at once (their sessions end), audited as the member's;
 * back to the customer's page, where the list shows them removed.
 */
export const usersBackofficeRoutes: FastifyPluginAsync = async (app) => {
  app.post('/clients/:number/utilisateurs/:id/suppression', async (req, reply) => {
    const { number, id } = staffUserParams.parse(req.params);
    const customer = await findCustomerForAction(app.db, number);
    if (!customer || !id.value) throw notFound();
    const removed = await removeUser(app.db, app.clock, customer.id, id.value, { kind: 'staff', actor: staffActor(req) });
    if (!removed) throw notFound();
    return reply.redirect(customerPath(customer.number, '#utilisateurs'), 303);
  });

  // Customer service sends an invitation again for the owner (the same limit a day per user).
  app.post('/clients/:number/utilisateurs/:id/invitation', async (req, reply) => {
    const { number, id } = staffUserParams.parse(req.params);
    const customer = await findCustomerForAction(app.db, number);
    if (!customer || !id.value) throw notFound();
    const sent = await resendInvitation(app.db, app.clock, app.config, customer.id, id.value, { kind: 'staff', actor: staffActor(req) });
    if (!sent) throw notFound();
    const notice = sent.outcome === 'sent' ? 'invitation-renvoyee' : sent.outcome === 'throttled' ? 'invitation-attendre' : 'invitation-inutile';
    return reply.redirect(afterAction(customer.number, notice), 303);
  });
};
