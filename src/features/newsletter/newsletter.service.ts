import { createHmac, hkdfSync } from 'node:crypto';
import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import type { Language } from '../../db/schema.ts';
import { type Clock, DAY, HOUR, newId, nowIso } from '../../lib/clock.ts';
import { hashToken, isTokenShaped, newToken } from '../../lib/tokens.ts';
import { languages } from '../../lib/i18n.ts';
import type { MailText } from '../../lib/mail/compose.ts';
import { type QueuedMail, enqueueMail } from '../../lib/mail/outbox.ts';
import { type IssueText, confirmationMail, issueMail, issueText, unsubscribeLinkMail } from './newsletter.mails.ts';
import { publicUrl } from '../../lib/links.ts';
import { normalizeEmail } from '../../lib/validation.ts';

/*
 * The newsletter, with double opt-in.
 *
 * Subscribing writes a `pending` row and sends a confirmation e-mail; only the link in it
 * (single use, 48 h) makes the row `confirmed`. The page answers the same whatever the address
 * already is (new, pending, confirmed): nothing tells a visitor who is subscribed.
 *
 * Tokens are random 256-bit values; the database keeps only their SHA-256. The clear value
 * exists in the e-mail that carries it and nowhere else.
 *
 * Unsubscribe tokens: an HMAC of the subscription id under a key derived (HKDF) from the
 * configuration's secret (`unsubscribeTokenFor`), the same in every e-mail, so every link and
 * RFC 8058 one-click header ever sent keeps working and nobody can invalidate them by asking
 * for more e-mails. The database keeps only its hash, as for every token.
 *
 * Abuse: a confirmation or link e-mail goes out at most once per address and clock hour (the
 * outbox's dedupe key), so the public forms cannot be used to flood someone's mailbox.
 */

export const CONFIRM_TTL_MS = 48 * HOUR;
/** How long an unsubscribed address, or an expired unconfirmed one, is kept. */
export const UNSUBSCRIBED_RETENTION_MS = 3 * 365 * DAY;
export const UNCONFIRMED_RETENTION_MS = 30 * DAY;



export const confirmUrl = (config: Config, token: string) => publicUrl(config, `/newsletter/confirmer/${token}`);
export const unsubscribeUrl = (config: Config, token: string) => publicUrl(config, `/newsletter/desabonnement/${token}`);

/** The headers every e-mail of the newsletter carries (RFC 2369, RFC 8058). */
export function listUnsubscribeHeaders(config: Config, token: string): Record<string, string> {
  return {
    'List-Unsubscribe': `<${unsubscribeUrl(config, token)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

const hourBucket = (clock: Clock) => nowIso(clock).slice(0, 13);

/**
 * The subscription's unsubscribe token: an HMAC of its id under a key derived from the
 * configuration's secret, so it is the same in every e-mail — every link ever sent keeps
 * working, and nobody can replace it by asking for more e-mails. Only its hash is stored.
 */
export function unsubscribeTokenFor(config: Config, subscriptionId: string): string {
  const key = Buffer.from(hkdfSync('sha256', config.mandateKey, Buffer.alloc(0), 'newsletter-unsubscribe', 32));
  return createHmac('sha256', key).update(subscriptionId).digest('base64url');
}

/** Queues one e-mail of the feature, with the subscription's unsubscribe link and headers. */
async function queueWithUnsubscribe(
  trx: Db,
  clock: Clock,
  config: Config,
  sub: { id: string; email: string; language: Language },
  dedupeKey: QueuedMail['dedupeKey'],
  content: (unsubscribeLink: string) => MailText,
): Promise<boolean> {
  const token = unsubscribeTokenFor(config, sub.id);
  return enqueueMail(trx, clock, config, {
    to: sub.email,
    lang: sub.language,
    dedupeKey,
    content: content(unsubscribeUrl(config, token)),
    headers: listUnsubscribeHeaders(config, token),
  });
}

/**
 * Asks for a subscription. New or unsubscribed address: a `pending` row and a confirmation
 * e-mail; pending: the confirmation e-mail again (a new link; at most once an hour);
 * confirmed: nothing. The caller answers the same in every case.
 */
export async function subscribe(db: Db, clock: Clock, config: Config, input: { email: string; lang: Language }): Promise<void> {
  const email = normalizeEmail(input.email);
  await inTransaction(db, async (trx) => {
    let sub: { id: string; status: string; unsubscribed_at: string | null } | undefined = await trx
      .selectFrom('newsletter_subscriptions')
      .select(['id', 'status', 'unsubscribed_at'])
      .where('email', '=', email)
      .executeTakeFirst();
    if (!sub) {
      const id = newId();
      const inserted = await trx
        .insertInto('newsletter_subscriptions')
        .values({
          id,
          email,
          language: input.lang,
          status: 'pending',
          confirm_token_hash: null,
          confirm_expires_at: null,
          unsubscribe_token_hash: hashToken(unsubscribeTokenFor(config, id)),
          created_at: nowIso(clock),
          confirmed_at: null,
          unsubscribed_at: null,
        })
        .onConflict((oc) => oc.column('email').doNothing())
        .executeTakeFirst();
      // Someone subscribed the same address at the same instant: theirs stands.
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return;
      sub = { id, status: 'pending', unsubscribed_at: null };
    }
    if (sub.status === 'confirmed') return;

    const token = newToken();
    const queued = await queueWithUnsubscribe(
      trx,
      clock,
      config,
      { id: sub.id, email, language: input.lang },
      // Once an hour at most; a new unsubscription (only the owner of the address can make one) starts afresh.
      `newsletter-confirm:${sub.id}:${hourBucket(clock)}:${sub.unsubscribed_at ?? ''}`,
      (unsubscribeLink) => confirmationMail(config, input.lang, email, confirmUrl(config, token), unsubscribeLink),
    );
    if (!queued) return; // one sent within the hour: its link still works
    await trx
      .updateTable('newsletter_subscriptions')
      .set({
        status: 'pending',
        language: input.lang,
        confirm_token_hash: hashToken(token),
        confirm_expires_at: new Date(clock.now().getTime() + CONFIRM_TTL_MS).toISOString(),
        unsubscribed_at: null,
      })
      .where('id', '=', sub.id)
      .execute();
  });
}

/** A pending subscription whose confirmation link is valid, or undefined. */
export function findPendingByConfirmToken(db: Db, clock: Clock, token: string) {
  if (!isTokenShaped(token)) return Promise.resolve(undefined);
  return db
    .selectFrom('newsletter_subscriptions')
    .select(['id', 'email', 'language'])
    .where('confirm_token_hash', '=', hashToken(token))
    .where('status', '=', 'pending')
    .where('confirm_expires_at', '>', nowIso(clock))
    .executeTakeFirst();
}

/**
 * Confirms with the e-mail's link: the subscriber's language, once; null for a used, expired
 * or unknown link.
 */
export async function confirm(db: Db, clock: Clock, token: string): Promise<Language | null> {
  if (!isTokenShaped(token)) return null;
  const now = nowIso(clock);
  const r = await db
    .updateTable('newsletter_subscriptions')
    .set({ status: 'confirmed', confirmed_at: now, confirm_token_hash: null, confirm_expires_at: null })
    .where('confirm_token_hash', '=', hashToken(token))
    .where('status', '=', 'pending')
    .where('confirm_expires_at', '>', now)
    .returning('language')
    .executeTakeFirst();
  return r?.language ?? null;
}

/** The subscription an unsubscribe link belongs to (whatever its state), or undefined. */
export function findByUnsubscribeToken(db: Db, token: string) {
  if (!isTokenShaped(token)) return Promise.resolve(undefined);
  return db
    .selectFrom('newsletter_subscriptions')
    .select(['id', 'email', 'language', 'status'])
    .where('unsubscribe_token_hash', '=', hashToken(token))
    .executeTakeFirst();
}

/**
 * Unsubscribes the one subscription of this link. Its language when the link is known (already
 * unsubscribed included: unsubscribing is idempotent), null otherwise.
 */
export async function unsubscribe(db: Db, clock: Clock, token: string): Promise<Language | null> {
  const sub = await findByUnsubscribeToken(db, token);
  if (!sub) return null;
  await db
    .updateTable('newsletter_subscriptions')
    .set({ status: 'unsubscribed', unsubscribed_at: nowIso(clock), confirm_token_hash: null, confirm_expires_at: null })
    .where('id', '=', sub.id)
    .where('status', '!=', 'unsubscribed')
    .execute();
  return sub.language;
}

/**
 * "Send me an unsubscribe link": for an address that is subscribed (or pending), an e-mail with
 * a fresh link, at most once an hour. The caller answers the same whatever the address.
 */
export async function requestUnsubscribeLink(db: Db, clock: Clock, config: Config, rawEmail: string): Promise<void> {
  const email = normalizeEmail(rawEmail);
  await inTransaction(db, async (trx) => {
    const sub = await trx
      .selectFrom('newsletter_subscriptions')
      .select(['id', 'email', 'language', 'status'])
      .where('email', '=', email)
      .where('status', 'in', ['pending', 'confirmed'])
      .executeTakeFirst();
    if (!sub) return;
    await queueWithUnsubscribe(trx, clock, config, sub, `newsletter-unsubscribe-link:${sub.id}:${hourBucket(clock)}`, (link) =>
      unsubscribeLinkMail(config, sub.language, link),
    );
  });
}

export interface NewsletterIssue {
  subjectFr: string;
  /** Plain text; paragraphs separated by a blank line. */
  bodyFr: string;
  subjectEn: string;
  bodyEn: string;
  /**
   * Names the issue in the outbox's dedupe keys: calling again with the same id (after a crash,
   * say) queues only what was not queued yet. A new id by default.
   */
  issueId?: string;
}

/**
 * Queues one e-mail per confirmed subscriber, in their language, each with its own one-click
 * unsubscribe link and headers. For the back office. Returns how many were queued.
 */
export async function sendNewsletter(db: Db, clock: Clock, config: Config, issue: NewsletterIssue): Promise<{ issueId: string; queued: number }> {
  const issueId = issue.issueId ?? newId();
  const content: Record<Language, IssueText> = { fr: issueText(issue, 'fr'), en: issueText(issue, 'en') };
  for (const lang of languages) {
    if (!content[lang].subject || content[lang].paragraphs.length === 0) throw new Error(`newsletter: the ${lang} subject and body are required`);
  }
  let queued = 0;
  let after = '';
  for (;;) {
    // In pages by id, so that a large list is never held in memory at once.
    const page = await db
      .selectFrom('newsletter_subscriptions')
      .select(['id', 'email', 'language'])
      .where('status', '=', 'confirmed')
      .where('id', '>', after)
      .orderBy('id')
      .limit(200)
      .execute();
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    for (const sub of page) {
      const text = content[sub.language];
      const ok = await inTransaction(db, (trx) =>
        queueWithUnsubscribe(trx, clock, config, sub, `newsletter:${issueId}:${sub.id}`, (link) => issueMail(config, sub.language, text, link)),
      );
      if (ok) queued++;
    }
  }
  return { issueId, queued };
}

/**
 * Forgets what is no longer needed: unconfirmed subscriptions 30 days after their link expired,
 * unsubscribed addresses after 3 years. For a periodic job.
 */
export async function purgeNewsletterSubscriptions(db: Db, clock: Clock): Promise<number> {
  const now = clock.now().getTime();
  const r = await db
    .deleteFrom('newsletter_subscriptions')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'pending'), eb('confirm_expires_at', '<', new Date(now - UNCONFIRMED_RETENTION_MS).toISOString())]),
        eb.and([eb('status', '=', 'unsubscribed'), eb('unsubscribed_at', '<', new Date(now - UNSUBSCRIBED_RETENTION_MS).toISOString())]),
      ]),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
