import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds } from '../../../tests/support/app.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';
import type { ReceivedMail } from '../../../tests/support/smtp.ts';
import { DAY, HOUR, MINUTE } from '../../lib/clock.ts';
import { hashToken } from '../../lib/tokens.ts';
import { purgeNewsletterSubscriptions, sendNewsletter } from './newsletter.service.ts';

describe.each(databaseKinds())('newsletter (%s)', (kind) => {
  const { t, mb } = useMailTestApp(kind);

  let ip = 0;
  const browser = (lang: 'fr' | 'en' = 'fr') => {
    const b = new Browser(t.app, `198.51.100.${++ip}`);
    b.cookies.set('lang', lang);
    return b;
  };
  const row = (email: string) => t.db.selectFrom('newsletter_subscriptions').selectAll().where('email', '=', email).executeTakeFirst();
  const path = (url: string) => new URL(url).pathname;
  const confirmLink = (m: ReceivedMail) => mb.link(m.text, `${t.config.PUBLIC_URL}/newsletter/confirmer/`)!;
  const unsubscribeLink = (m: ReceivedMail) => mb.link(m.text, `${t.config.PUBLIC_URL}/newsletter/desabonnement/`)!;
  /** The List-Unsubscribe URL of a mail, checked to come with its one-click companion. */
  function listUnsubscribe(m: ReceivedMail): string {
    const raw = m.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    const url = /^List-Unsubscribe: <([^>]+)>$/m.exec(raw)?.[1];
    expect(url, 'List-Unsubscribe header').toBeDefined();
    return url!;
  }
  /** A mail client's RFC 8058 one-click POST: no cookie, no CSRF token. */
  const oneClick = (url: string) =>
    t.app.inject({
      method: 'POST',
      url: path(url),
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

  async function subscribeAndDeliver(email: string, lang: 'fr' | 'en' = 'fr') {
    const b = browser(lang);
    const res = await b.submit('/newsletter', '/newsletter', { email });
    await mb.deliver();
    return { b, res, mail: mb.last(email.trim().toLowerCase()) };
  }
  async function confirmedSubscriber(email: string, lang: 'fr' | 'en' = 'fr') {
    const { b, mail } = await subscribeAndDeliver(email, lang);
    const link = path(confirmLink(mail!));
    expect((await b.submit(link, link, {})).statusCode).toBe(200);
    expect((await row(email))!.status).toBe('confirmed');
    return { b, mail: mail! };
  }

  it('subscribes with double opt-in: a confirmation e-mail through SMTP, a link that works once', async () => {
    const { b, res, mail } = await subscribeAndDeliver('  Alice.Martin@Example.FR ');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/newsletter?inscription');
    expect((await b.get('/newsletter?inscription')).body).toContain('Si cette adresse n’est pas déjà abonnée, elle va recevoir un e-mail');

    const pending = (await row('alice.martin@example.fr'))!;
    expect(pending).toMatchObject({ status: 'pending', language: 'fr', confirmed_at: null });
    expect(pending.confirm_expires_at).toBe(new Date(t.clock.now().getTime() + 48 * HOUR).toISOString());

    expect(mail).toBeDefined();
    expect(mail!.subject).toBe('Confirmez votre inscription à la newsletter Parkings Démo');
    expect(mail!.text).toContain('Vous avez demandé à recevoir la newsletter de Parkings Démo à l’adresse alice.martin@example.fr.');
    expect(mail!.text).toContain('valable 48 heures');
    const link = confirmLink(mail!);
    expect(mail!.html).toContain(`href="${link}"`);
    // Only hashes are stored: the token is in the e-mail and nowhere in the subscription.
    const token = link.split('/').pop()!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pending.confirm_token_hash).toBe(hashToken(token));
    expect(JSON.stringify(pending)).not.toContain(token);

    // Opening the link changes nothing (link scanners open links): a button does.
    const page = await b.get(path(link));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Confirmez l’inscription de l’adresse alice.martin@example.fr à la newsletter.');
    expect((await row('alice.martin@example.fr'))!.status).toBe('pending');

    const done = await b.submit(path(link), path(link), {});
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Inscription confirmée');
    const confirmed = (await row('alice.martin@example.fr'))!;
    expect(confirmed).toMatchObject({ status: 'confirmed', confirmed_at: t.clock.now().toISOString(), confirm_token_hash: null, confirm_expires_at: null });

    // Once only.
    const again = await b.post(path(link), { _csrf: (page.body.match(/name="_csrf" value="([^"]+)"/) ?? [])[1]! });
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('Ce lien de confirmation n’est pas valable');
    expect((await b.get(path(link))).statusCode).toBe(404);
  });

  it('confirms only with the page’s CSRF token', async () => {
    const { mail } = await subscribeAndDeliver('csrf.confirm@example.fr');
    const forged = await new Browser(t.app, '192.0.2.99').post(path(confirmLink(mail!)), {});
    expect(forged.statusCode).toBe(403);
    expect((await row('csrf.confirm@example.fr'))!.status).toBe('pending');
  });

  it('subscribes in English from an English page', async () => {
    const { mail } = await subscribeAndDeliver('bob@example.com', 'en');
    expect((await row('bob@example.com'))!.language).toBe('en');
    expect(mail!.subject).toBe('Confirm your subscription to the Parkings Démo newsletter');
    expect(mail!.text).toContain('Customer service: 01 00 00 00 00');
    expect((await browser('en').get(path(confirmLink(mail!)))).body).toContain('Confirm the subscription of bob@example.com to the newsletter.');
    // Opened where no language was chosen (another device, say): the subscriber's language.
    const elsewhere = await new Browser(t.app, '192.0.2.50').get(path(confirmLink(mail!)));
    expect(elsewhere.body).toContain('<html lang="en"');
    expect(elsewhere.body).toContain('Confirm the subscription of bob@example.com to the newsletter.');
    expect((await new Browser(t.app, '192.0.2.50').get(path(unsubscribeLink(mail!)))).body).toContain('The address bob@example.com will no longer receive the newsletter.');
    const confirmed = await new Browser(t.app, '192.0.2.51').submit(path(confirmLink(mail!)), path(confirmLink(mail!)), {});
    expect(confirmed.body).toContain('Subscription confirmed');
    const gone = await oneClick(unsubscribeLink(mail!));
    expect(gone.body).toContain('You are unsubscribed');
  });

  it('refuses an expired confirmation link (48 h)', async () => {
    const { b, mail } = await subscribeAndDeliver('late@example.fr');
    const link = path(confirmLink(mail!));
    t.clock.advance(48 * HOUR - MINUTE);
    expect((await b.get(link)).statusCode).toBe(200);
    t.clock.advance(2 * MINUTE);
    const page = await b.get(link);
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('il a expiré');
    const csrf = (await b.get('/newsletter')).body.match(/name="_csrf" value="([^"]+)"/)![1]!;
    expect((await b.post(link, { _csrf: csrf })).statusCode).toBe(404);
    expect((await row('late@example.fr'))!.status).toBe('pending');
  });

  it('answers the same for a new, a pending and a subscribed address, and never floods a mailbox', async () => {
    await confirmedSubscriber('already@example.fr');
    await subscribeAndDeliver('waiting@example.fr');
    const before = mb.smtp.received.length;

    const answers = [];
    for (const email of ['brand.new@example.fr', 'waiting@example.fr', 'already@example.fr']) {
      const b = browser();
      const res = await b.submit('/newsletter', '/newsletter', { email });
      const next = await b.get(res.headers.location as string);
      answers.push({
        status: res.statusCode,
        location: res.headers.location,
        page: next.body.replace(/name="_csrf" value="[^"]+"/g, ''),
      });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    await mb.deliver();
    // The new address gets its confirmation; the pending one had one within the hour; the subscribed one nothing.
    expect(mb.smtp.received.slice(before).map((m) => m.to[0])).toEqual(['brand.new@example.fr']);
    expect((await row('already@example.fr'))!.status).toBe('confirmed');

    // An hour later, a pending address may ask again: a new link, the old one no longer works.
    const first = mb.last('waiting@example.fr')!;
    t.clock.advance(HOUR);
    await browser().submit('/newsletter', '/newsletter', { email: 'waiting@example.fr' });
    await mb.deliver();
    const second = mb.last('waiting@example.fr')!;
    expect(second.messageId).not.toBe(first.messageId);
    expect((await browser().get(path(confirmLink(first)))).statusCode).toBe(404);
    expect((await browser().get(path(confirmLink(second)))).statusCode).toBe(200);
  });

  it('says what is wrong with the address, next to the field', async () => {
    for (const [email, message] of [
      ['', 'Saisissez votre adresse e-mail.'],
      ['pas-une-adresse', 'Saisissez une adresse e-mail valide'],
    ] as const) {
      const res = await browser().submit('/newsletter', '/newsletter', { email });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('id="email-error"');
      expect(res.body).toContain(message);
      expect(res.body).toContain('aria-invalid="true"');
    }
  });

  it('unsubscribes from the page, with the form’s CSRF token', async () => {
    const { mail } = await confirmedSubscriber('carol@example.fr');
    const link = path(unsubscribeLink(mail));
    const b = browser();
    const page = await b.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('L’adresse carol@example.fr ne recevra plus la newsletter.');
    expect((await row('carol@example.fr'))!.status).toBe('confirmed');

    // A cross-site form post with neither the page's token nor the one-click body is refused.
    expect((await new Browser(t.app, '192.0.2.98').post(link, {})).statusCode).toBe(403);
    expect((await row('carol@example.fr'))!.status).toBe('confirmed');

    const done = await b.submit(link, link, {});
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Vous êtes désabonné');
    expect(await row('carol@example.fr')).toMatchObject({ status: 'unsubscribed', unsubscribed_at: t.clock.now().toISOString() });
    // The link stays an answer, not an error.
    expect((await b.get(link)).body).toContain('Vous êtes désabonné');
  });

  it('unsubscribes in one click (RFC 8058): no cookie, no CSRF token, only that subscription', async () => {
    const dave = await confirmedSubscriber('dave@example.fr');
    await confirmedSubscriber('erin@example.fr');
    const url = listUnsubscribe(dave.mail);
    expect(url).toBe(unsubscribeLink(dave.mail));

    const res = await oneClick(url);
    expect(res.statusCode).toBe(200);
    expect((await row('dave@example.fr'))!.status).toBe('unsubscribed');
    expect((await row('erin@example.fr'))!.status).toBe('confirmed');
    // Again: still fine, nothing else changes.
    expect((await oneClick(url)).statusCode).toBe(200);
    expect((await row('erin@example.fr'))!.status).toBe('confirmed');

    // The multipart form some providers send.
    const frank = await confirmedSubscriber('frank@example.fr');
    const boundary = 'xYzZY';
    const multipart = await t.app.inject({
      method: 'POST',
      url: path(listUnsubscribe(frank.mail)),
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(multipart.statusCode).toBe(200);
    expect((await row('frank@example.fr'))!.status).toBe('unsubscribed');

    // An unknown or malformed token changes nothing.
    for (const bad of ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'x', '%27%20or%201%3D1']) {
      const r = await oneClick(`${t.config.PUBLIC_URL}/newsletter/desabonnement/${bad}`);
      expect(r.statusCode).toBe(404);
    }
    expect((await row('erin@example.fr'))!.status).toBe('confirmed');
  });

  it('sends the newsletter to confirmed subscribers only, each in their language, each with a working one-click link', async () => {
    const fr = await confirmedSubscriber('gina@example.fr', 'fr');
    await confirmedSubscriber('harry@example.com', 'en');
    await subscribeAndDeliver('ivan.pending@example.fr');
    const { mail: gone } = await confirmedSubscriber('jane.gone@example.fr');
    expect((await oneClick(listUnsubscribe(gone))).statusCode).toBe(200);
    const before = mb.smtp.received.length;
    const confirmedCount = Number(
      (await t.db.selectFrom('newsletter_subscriptions').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'confirmed').executeTakeFirstOrThrow()).n,
    );

    const issue = {
      subjectFr: 'Travaux au parking CARDINET',
      bodyFr: 'Bonjour à tous,\nle parking sera repeint.\n\nMerci de votre <patience>.',
      subjectEn: 'Works at the CARDINET car park',
      bodyEn: 'The car park will be repainted.\n\nThank you for your patience.',
    };
    const { issueId, queued } = await sendNewsletter(t.db, t.clock, t.config, issue);
    expect(queued).toBe(confirmedCount);
    await mb.deliver();
    const got = mb.smtp.received.slice(before);
    const recipients = got.map((m) => m.to[0]);
    expect(recipients).toContain('gina@example.fr');
    expect(recipients).toContain('harry@example.com');
    expect(recipients).not.toContain('ivan.pending@example.fr');
    expect(recipients).not.toContain('jane.gone@example.fr');
    expect(got).toHaveLength(confirmedCount);

    const gina = mb.last('gina@example.fr')!;
    expect(gina.subject).toBe('Travaux au parking CARDINET');
    expect(gina.text).toContain('Bonjour à tous, le parking sera repeint.');
    expect(gina.html).toContain('Merci de votre &lt;patience&gt;.');
    expect(gina.text).toContain(`Se désabonner en un clic : ${unsubscribeLink(gina)}`);
    // A real link in the HTML part too.
    expect(gina.html).toContain(`<a href="${unsubscribeLink(gina)}"`);
    const harry = mb.last('harry@example.com')!;
    expect(harry.subject).toBe('Works at the CARDINET car park');
    expect(harry.text).toContain(`Unsubscribe in one click: ${unsubscribeLink(harry)}`);
    expect(harry.html).toContain('>Unsubscribe in one click</a>');

    // Every newsletter mail has its own link, in its headers and its body.
    const urls = got.map((m) => listUnsubscribe(m));
    expect(new Set(urls).size).toBe(got.length);
    got.forEach((m, i) => expect(unsubscribeLink(m)).toBe(urls[i]));

    // The same issue again queues nothing more.
    expect((await sendNewsletter(t.db, t.clock, t.config, { ...issue, issueId })).queued).toBe(0);

    // Every link ever sent keeps working: the confirmation mail's link is the newsletter's.
    expect(unsubscribeLink(fr.mail)).toBe(unsubscribeLink(got.find((m) => m.to.includes(fr.mail.to[0]!))!));
    expect((await browser().get(path(unsubscribeLink(fr.mail)))).statusCode).toBe(200);
    expect((await oneClick(listUnsubscribe(gina))).statusCode).toBe(200);
    expect((await row('gina@example.fr'))!.status).toBe('unsubscribed');
    expect((await row('harry@example.com'))!.status).toBe('confirmed');
  });

  it('sends an unsubscribe link on request, the same answer whatever the address, with the headers', async () => {
    await confirmedSubscriber('kim@example.fr');
    const before = mb.smtp.received.length;
    const answers = [];
    for (const email of ['kim@example.fr', 'nobody@example.fr']) {
      const res = await browser().submit('/newsletter', '/newsletter/desabonnement', { unsubscribe_email: email });
      answers.push([res.statusCode, res.headers.location]);
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]).toEqual([303, '/newsletter?desabonnement#desabonnement']);
    await mb.deliver();
    expect(mb.smtp.received.slice(before).map((m) => m.to[0])).toEqual(['kim@example.fr']);
    const mail = mb.last('kim@example.fr')!;
    expect(mail.subject).toBe('Votre lien de désabonnement de la newsletter Parkings Démo');
    const url = listUnsubscribe(mail);
    expect(unsubscribeLink(mail)).toBe(url);
    const b = browser();
    expect((await b.submit(path(url), path(url), {})).statusCode).toBe(200);
    expect((await row('kim@example.fr'))!.status).toBe('unsubscribed');
  });

  it('puts the List-Unsubscribe headers on the confirmation e-mail too', async () => {
    const { mail } = await subscribeAndDeliver('lea@example.fr');
    const url = listUnsubscribe(mail!);
    expect(mail!.text).toContain(url);
    // Unsubscribing a pending address ends it: the confirmation link stops working.
    expect((await oneClick(url)).statusCode).toBe(200);
    expect((await row('lea@example.fr'))!.status).toBe('unsubscribed');
    expect((await browser().get(path(confirmLink(mail!)))).statusCode).toBe(404);
    // Subscribing again starts a new double opt-in.
    const again = await subscribeAndDeliver('lea@example.fr');
    expect(again.mail!.messageId).not.toBe(mail!.messageId);
    expect((await row('lea@example.fr'))!.status).toBe('pending');
  });

  it('forgets expired unconfirmed subscriptions after 30 days and unsubscribed addresses after 3 years', async () => {
    await subscribeAndDeliver('stale@example.fr');
    const { mail } = await confirmedSubscriber('old@example.fr');
    await oneClick(listUnsubscribe(mail));
    await confirmedSubscriber('stays@example.fr');
    t.clock.advance(2 * DAY + 30 * DAY + MINUTE);
    await purgeNewsletterSubscriptions(t.db, t.clock);
    expect(await row('stale@example.fr')).toBeUndefined();
    expect(await row('old@example.fr')).toBeDefined();
    t.clock.advance(3 * 365 * DAY);
    await purgeNewsletterSubscriptions(t.db, t.clock);
    expect(await row('old@example.fr')).toBeUndefined();
    expect((await row('stays@example.fr'))!.status).toBe('confirmed');
  });
});
