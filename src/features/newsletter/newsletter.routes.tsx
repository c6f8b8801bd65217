import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Language } from '../../db/schema.ts';
import { type MessageKey, type Translate, isLanguage } from '../../lib/i18n.ts';
import { HOUR } from '../../lib/clock.ts';
import { tooManyRequests } from '../../lib/errors.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { emailAddress, form, present, tokenParams, typedText } from '../../lib/validation.ts';
import { countInWindow, ipKey, retryAfterMs } from '../auth/throttle.ts';
import { confirm, findByUnsubscribeToken, findPendingByConfirmToken, requestUnsubscribeLink, subscribe, unsubscribe } from './newsletter.service.ts';
import { NewsletterView, OneButtonView, OutcomeView } from './newsletter.views.tsx';

const pageQuery = z.object({ inscription: present, desabonnement: present });
const subscribeBody = form({ email: typedText() });
const unsubscribeBody = form({ unsubscribe_email: typedText() });
/** A one-click POST: urlencoded, or multipart read as text (`raw`). */
const oneClickBody = form({ 'List-Unsubscribe': typedText(), raw: typedText() });

/** What is wrong with a submitted address, or null. */
function emailError(value: string): MessageKey | null {
  if (value.trim() === '') return 'newsletter.error.required';
  return emailAddress.safeParse(value).success ? null : 'error.email.invalid';
}

/** A link from an e-mail opened where no language was chosen: the subscriber's language. */
function preferLanguage(req: FastifyRequest, lang: Language) {
  if (!isLanguage(req.cookies.lang) && !req.session) req.lang = lang;
}

/**
 * RFC 8058: a mail client unsubscribes "in one click" by POSTing `List-Unsubscribe=One-Click`
 * (urlencoded or multipart) to the List-Unsubscribe URL, with no cookie and no CSRF token.
 */
function isOneClick(req: FastifyRequest): boolean {
  const body = oneClickBody.parse(req.body);
  if (String(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) return /List-Unsubscribe[\s\S]*One-Click/.test(body.raw);
  return body['List-Unsubscribe'] === 'One-Click';
}

/**
 * The newsletter: subscribe with double opt-in, confirm, unsubscribe (page, one-click, or a
 * link sent on request). Every answer about an address is the same whatever its state.
 */
/** Sign-ups and link requests one IP may make in an hour. */
export const NEWSLETTER_PER_IP_PER_HOUR = 20;

const newsletterRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  // Mail clients may send the one-click POST as multipart: read it as text, in this plugin only.
  if (!app.hasContentTypeParser('multipart/form-data')) {
    app.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 8 * 1024 }, (_req, body, done) => done(null, { raw: body }));
  }

  app.get('/newsletter', async (req, reply) => {
    const q = pageQuery.parse(req.query);
    const notice = q.inscription ? 'newsletter.subscribe.done' : q.desabonnement ? 'newsletter.unsubscribe.requested' : undefined;
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('newsletter.title'), <NewsletterView ctx={ctx} notice={notice} />);
  });

  /**
   * The public forms send e-mail to any address typed: at most NEWSLETTER_PER_IP_PER_HOUR
   * requests an hour from one IP, beyond which the answer is 429 with Retry-After.
   */
  const throttle = async (req: FastifyRequest) => {
    const key = ipKey(req.ip, 'newsletter-ip');
    const wait = await retryAfterMs(db, clock, [key]);
    if (wait > 0) throw tooManyRequests(wait / 1000);
    await countInWindow(db, clock, key, NEWSLETTER_PER_IP_PER_HOUR, HOUR);
  };

  app.post('/newsletter', async (req, reply) => {
    await throttle(req);
    const { email } = subscribeBody.parse(req.body);
    const error = emailError(email);
    if (error) {
      const ctx = pageContext(req, reply);
      return sendPage(reply, ctx, ctx.t('newsletter.title'), <NewsletterView ctx={ctx} errors={{ email: [{ key: error }] }} values={{ email }} />, 400);
    }
    await subscribe(db, clock, config, { email, lang: req.lang });
    return reply.redirect('/newsletter?inscription', 303);
  });

  app.post('/newsletter/desabonnement', async (req, reply) => {
    await throttle(req);
    const { unsubscribe_email: email } = unsubscribeBody.parse(req.body);
    const error = emailError(email);
    if (error) {
      const ctx = pageContext(req, reply);
      return sendPage(
        reply,
        ctx,
        ctx.t('newsletter.title'),
        <NewsletterView ctx={ctx} errors={{ unsubscribe_email: [{ key: error }] }} values={{ unsubscribe_email: email }} />,
        400,
      );
    }
    await requestUnsubscribeLink(db, clock, config, email);
    return reply.redirect('/newsletter?desabonnement#desabonnement', 303);
  });

  type Reply = Parameters<typeof pageContext>[1];

  /** A page that says how it went, with one link onwards. */
  const outcome = (req: FastifyRequest, reply: Reply, page: { titleKey: MessageKey; messageKey: MessageKey; link: { href: string; key: MessageKey } }, status = 200) => {
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t(page.titleKey), <OutcomeView ctx={ctx} {...page} />, status);
  };

  /** A page whose one button POSTs to `action`. */
  const oneButton = (req: FastifyRequest, reply: Reply, page: { titleKey: MessageKey; text: (t: Translate) => string; action: string; submitKey: MessageKey }) => {
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t(page.titleKey), <OneButtonView ctx={ctx} {...page} text={page.text(ctx.t)} />);
  };

  const invalidConfirm = (req: FastifyRequest, reply: Reply) =>
    outcome(req, reply, { titleKey: 'newsletter.confirm.invalid.title', messageKey: 'newsletter.confirm.invalid', link: { href: '/newsletter', key: 'newsletter.back' } }, 404);

  /** The e-mail's link shows a button: a GET never changes anything (link scanners follow links).
   * The request log writes its URL without the token (`withoutTokens`, app.tsx; L1). */
  app.get('/newsletter/confirmer/:token', async (req, reply) => {
    const { token } = tokenParams.parse(req.params);
    const sub = await findPendingByConfirmToken(db, clock, token);
    if (!sub) return invalidConfirm(req, reply);
    preferLanguage(req, sub.language);
    return oneButton(req, reply, {
      titleKey: 'newsletter.confirm.title',
      text: (t) => t('newsletter.confirm.text', { email: sub.email }),
      action: `/newsletter/confirmer/${token}`,
      submitKey: 'newsletter.confirm.submit',
    });
  });

  app.post('/newsletter/confirmer/:token', async (req, reply) => {
    const { token } = tokenParams.parse(req.params);
    const lang = await confirm(db, clock, token);
    if (!lang) return invalidConfirm(req, reply);
    preferLanguage(req, lang);
    return outcome(req, reply, { titleKey: 'newsletter.confirmed.title', messageKey: 'newsletter.confirmed.text', link: { href: '/', key: 'error.home' } });
  });

  const invalidUnsubscribe = (req: FastifyRequest, reply: Reply) =>
    outcome(
      req,
      reply,
      {
        titleKey: 'newsletter.unsubscribe.invalid.title',
        messageKey: 'newsletter.unsubscribe.invalid',
        link: { href: '/newsletter#desabonnement', key: 'newsletter.unsubscribe.request' },
      },
      404,
    );
  const unsubscribed = (req: FastifyRequest, reply: Reply) =>
    outcome(req, reply, { titleKey: 'newsletter.unsubscribed.title', messageKey: 'newsletter.unsubscribed.text', link: { href: '/newsletter', key: 'newsletter.resubscribe' } });

  app.get('/newsletter/desabonnement/:token', async (req, reply) => {
    const { token } = tokenParams.parse(req.params);
    const sub = await findByUnsubscribeToken(db, token);
    if (!sub) return invalidUnsubscribe(req, reply);
    preferLanguage(req, sub.language);
    if (sub.status === 'unsubscribed') return unsubscribed(req, reply);
    return oneButton(req, reply, {
      titleKey: 'newsletter.unsubscribe.page.title',
      text: (t) => t('newsletter.unsubscribe.page.text', { email: sub.email }),
      action: `/newsletter/desabonnement/${token}`,
      submitKey: 'newsletter.unsubscribe.submit',
    });
  });

  /*
   * The page's button and the RFC 8058 one-click POST share this URL. The token in it is what
   * authorises the change (it only ever unsubscribes its own subscription); the page's form is
   * still checked for its CSRF token like every form, and the one-click POST — which comes from
   * a mail provider, without cookies — is recognised by its body.
   */
  app.post(
    '/newsletter/desabonnement/:token',
    {
      config: { csrf: false },
      preHandler: (req, reply, done) => (isOneClick(req) ? done() : app.csrfProtection(req, reply, done)),
    },
    async (req, reply) => {
      const { token } = tokenParams.parse(req.params);
      const lang = await unsubscribe(db, clock, token);
      if (!lang) return invalidUnsubscribe(req, reply);
      preferLanguage(req, lang);
      return unsubscribed(req, reply);
    },
  );
};

export default newsletterRoutes;
