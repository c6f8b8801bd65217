import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { audit } from '../../lib/audit.ts';
import { newId, nowIso } from '../../lib/clock.ts';
import type { FieldErrors } from '../../lib/forms.tsx';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { hashPassword, verifyOrDecoy, verifyPassword } from '../../lib/passwords.ts';
import { checkCustomerPassword, emailAddressErrors, normalizeIdentifier } from './auth.rules.ts';
import { ActivationView, type ActivationValues, LoginView } from './auth.views.tsx';
import { createSession, destroyAllSessions, destroySession } from './sessions.ts';
import { accountKey, clearAccount, ipKey, oneAtATime, recordFailure, refuseThrottled, retryAfterMs } from './throttle.ts';
import { queueVerificationsForUnverified } from './verify.service.ts';

const loginBody = z.object({
  identifiant: z.string().max(64).default(''),
  password: z.string().max(1024).default(''),
});

const activationBody = z.object({
  password: z.string().max(4096).default(''),
  password_confirm: z.string().max(4096).default(''),
  email_primary: z.string().max(254).default(''),
  email_secondary: z.string().max(254).default(''),
  paperless: z.string().optional(),
});

const authRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  const meta = (req: FastifyRequest) => ({ ip: req.ip, userAgent: req.headers['user-agent'] ?? null });

  const startSession = async (req: FastifyRequest, reply: FastifyReply, customerId: string, kind: 'customer' | 'activation') => {
    // Always a new token at login and at privilege change (no session fixation).
    if (req.session) await destroySession(db, req.session.tokenHash);
    const token = await createSession(db, clock, app.sessionPolicy, customerId, kind, meta(req));
    reply.setCookie(app.sessionCookie.name, token, app.sessionCookie.options);
  };

  app.get('/', async (req, reply) => {
    if (req.session?.kind === 'customer') return reply.redirect('/profil');
    if (req.session?.kind === 'activation') return reply.redirect('/premiere-connexion');
    return reply.redirect('/connexion');
  });

  app.get('/connexion', async (req, reply) => {
    if (req.session?.kind === 'customer') return reply.redirect('/profil');
    const q = req.query as Record<string, string | undefined>;
    const notice =
      q.deconnecte !== undefined
        ? 'login.loggedOut'
        : q['mot-de-passe-modifie'] !== undefined
          ? 'login.passwordChanged'
          : req.sessionExpired || q.expire !== undefined
            ? 'login.expired'
            : undefined;
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('login.heading'), <LoginView ctx={ctx} notice={notice} />);
  });

  app.post('/connexion', async (req, reply) => {
    const parsed = loginBody.safeParse(req.body ?? {});
    const identifier = parsed.success ? normalizeIdentifier(parsed.data.identifiant) : '';
    const password = parsed.success ? parsed.data.password : '';
    const ctx = pageContext(req, reply);
    const title = ctx.t('login.heading');
    if (!identifier || !password) {
      return sendPage(reply, ctx, title, <LoginView ctx={ctx} identifier={identifier} error="login.error.required" />, 400);
    }

    return oneAtATime(`login:${identifier}`, () => attemptLogin(req, reply, identifier, password));
  });

  const attemptLogin = async (req: FastifyRequest, reply: FastifyReply, identifier: string, password: string) => {
    const ctx = pageContext(req, reply);
    const title = ctx.t('login.heading');
    const wait = await retryAfterMs(db, clock, [accountKey(identifier), ipKey(req.ip)]);
    if (wait > 0) {
      const minutes = await refuseThrottled(db, clock, reply, wait, {
        actor_type: 'anonymous',
        action: 'auth.login',
        ip: req.ip,
        user_agent: req.headers['user-agent'],
        details: { identifier },
      });
      return sendPage(reply, ctx, title, <LoginView ctx={ctx} identifier={identifier} error="login.error.throttled" errorParams={{ minutes }} />, 429);
    }

    const found = await db
      .selectFrom('customers as c')
      .innerJoin('portal_accounts as a', 'a.customer_id', 'c.id')
      .select(['c.id', 'a.state', 'a.password_hash', 'a.temp_password_hash', 'a.temp_password_expires_at'])
      .where('c.number', '=', identifier)
      .executeTakeFirst();

    // Every attempt costs exactly two argon2 verifications — the password and the temporary
    // password, or a decoy in their place — whatever the account, so timing tells nothing (A5).
    const [passwordOk, temporaryOk] = await Promise.all([
      verifyOrDecoy(found?.password_hash, password),
      verifyOrDecoy(found?.temp_password_hash, password),
    ]);
    let outcome: { kind: 'customer' | 'activation' } | { reason: string };
    if (!found) outcome = { reason: 'unknown_customer' };
    else if (found.state === 'locked') outcome = { reason: 'account_locked' };
    else if (passwordOk) outcome = { kind: 'customer' };
    else if (temporaryOk) {
      const expired = !found.temp_password_expires_at || Date.parse(found.temp_password_expires_at) <= clock.now().getTime();
      outcome = expired ? { reason: 'temporary_password_expired' } : { kind: 'activation' };
    } else outcome = { reason: 'wrong_password' };

    if ('reason' in outcome) {
      await recordFailure(db, clock, app.throttlePolicy, identifier, req.ip);
      await audit(db, clock, {
        actor_type: 'anonymous',
        actor_id: found?.id ?? null,
        action: 'auth.login',
        outcome: 'failure',
        target_type: 'customer',
        target_id: found?.id ?? null,
        ip: req.ip,
        user_agent: req.headers['user-agent'],
        details: { identifier, reason: outcome.reason },
      });
      return sendPage(reply, ctx, title, <LoginView ctx={ctx} identifier={identifier} error="login.error.invalid" />, 401);
    }

    const customerId = found!.id;
    await clearAccount(db, identifier);
    await startSession(req, reply, customerId, outcome.kind);
    await db.updateTable('portal_accounts').set({ last_login_at: nowIso(clock) }).where('customer_id', '=', customerId).execute();
    await audit(db, clock, {
      actor_type: 'customer',
      actor_id: customerId,
      action: 'auth.login',
      outcome: 'success',
      target_type: 'customer',
      target_id: customerId,
      ip: req.ip,
      user_agent: req.headers['user-agent'],
      details: { identifier, via: outcome.kind === 'activation' ? 'temporary_password' : 'password' },
    });
    return reply.redirect(outcome.kind === 'activation' ? '/premiere-connexion' : '/profil', 303);
  };

  /** The first-login form: the only page an activation session reaches. */
  const requireActivation = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.session) return reply.redirect('/connexion');
    if (req.session.kind !== 'activation') return reply.redirect('/profil');
  };

  const renderActivation = (req: FastifyRequest, reply: FastifyReply, values: ActivationValues, errors: FieldErrors = {}, status = 200) => {
    const ctx = pageContext(req, reply);
    return sendPage(
      reply,
      ctx,
      ctx.t('activate.title'),
      <ActivationView ctx={ctx} number={req.session!.customer.number} values={values} errors={errors} />,
      status,
    );
  };

  app.get('/premiere-connexion', { preHandler: requireActivation }, async (req, reply) => {
    const customer = await db
      .selectFrom('customers')
      .select(['email_primary', 'email_secondary', 'paperless'])
      .where('id', '=', req.session!.customer.id)
      .executeTakeFirstOrThrow();
    return renderActivation(req, reply, {
      password: '',
      password_confirm: '',
      email_primary: customer.email_primary ?? '',
      email_secondary: customer.email_secondary ?? '',
      paperless: customer.paperless === 1,
    });
  });

  app.post('/premiere-connexion', { preHandler: requireActivation }, async (req, reply) => {
    const body = activationBody.parse(req.body ?? {});
    const values: ActivationValues = {
      password: body.password,
      password_confirm: body.password_confirm,
      email_primary: body.email_primary.trim().toLowerCase(),
      email_secondary: body.email_secondary.trim().toLowerCase(),
      paperless: body.paperless !== undefined,
    };
    const customerId = req.session!.customer.id;
    const customer = await db
      .selectFrom('customers as c')
      .innerJoin('portal_accounts as a', 'a.customer_id', 'c.id')
      .select(['c.number', 'c.last_name', 'c.first_name', 'c.company_name', 'a.temp_password_hash'])
      .where('c.id', '=', customerId)
      .executeTakeFirstOrThrow();

    const errors = emailAddressErrors(values);
    const policyError = checkCustomerPassword(values.password, customer, values, config.OPERATOR_NAME);
    if (policyError) errors.password = policyError;
    else if (customer.temp_password_hash && (await verifyPassword(customer.temp_password_hash, values.password))) {
      errors.password = 'error.password.temporary';
    }
    if (!errors.password && values.password !== values.password_confirm) errors.password_confirm = 'error.password.mismatch';

    if (Object.keys(errors).length > 0) return renderActivation(req, reply, values, errors, 422);

    const passwordHash = await hashPassword(values.password);
    const now = nowIso(clock);
    const activated = await db.transaction().execute(async (trx) => {
      // Only while the temporary password that opened this session still stands: a second
      // submit, or a session whose temporary password was replaced or expired, changes nothing.
      const claimed = await trx
        .updateTable('portal_accounts')
        .set({
          state: 'active',
          password_hash: passwordHash,
          password_changed_at: now,
          activated_at: now,
          temp_password_hash: null,
          temp_password_issued_at: null,
          temp_password_expires_at: null,
        })
        .where('customer_id', '=', customerId)
        .where('state', '=', 'not_activated')
        .where('temp_password_expires_at', '>', now)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return false;
      await trx
        .updateTable('customers')
        .set({
          email_primary: values.email_primary,
          email_primary_verified_at: null,
          email_secondary: values.email_secondary || null,
          email_secondary_verified_at: null,
          paperless: values.paperless ? 1 : 0,
          paperless_changed_at: now,
          updated_at: now,
        })
        .where('id', '=', customerId)
        .execute();
      await trx
        .insertInto('paperless_consents')
        .values({ id: newId(), customer_id: customerId, given: values.paperless ? 1 : 0, at: now, source: 'first_login', ip: req.ip })
        .execute();
      // Each address gets its verification link, queued with the change that set it.
      await queueVerificationsForUnverified(trx, clock, config, customerId);
      await destroyAllSessions(trx, customerId);
      return true;
    });
    if (!activated) {
      await destroySession(db, req.session!.tokenHash);
      reply.clearCookie(app.sessionCookie.name, app.sessionCookie.options);
      return reply.redirect('/connexion?expire', 303);
    }
    await audit(db, clock, {
      actor_type: 'customer',
      actor_id: customerId,
      action: 'account.activate',
      outcome: 'success',
      target_type: 'customer',
      target_id: customerId,
      ip: req.ip,
      user_agent: req.headers['user-agent'],
      details: { paperless: values.paperless },
    });
    req.session = null;
    await startSession(req, reply, customerId, 'customer');
    return reply.redirect('/profil?active=1', 303);
  });

  app.post('/deconnexion', async (req, reply) => {
    if (req.session) {
      await destroySession(db, req.session.tokenHash);
      await audit(db, clock, {
        actor_type: 'customer',
        actor_id: req.session.customer.id,
        action: 'auth.logout',
        outcome: 'success',
        ip: req.ip,
        user_agent: req.headers['user-agent'],
      });
    }
    reply.clearCookie(app.sessionCookie.name, app.sessionCookie.options);
    return reply.redirect('/connexion?deconnecte', 303);
  });
};

export default authRoutes;
