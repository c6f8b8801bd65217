import { createHash } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { sql } from 'kysely';
import type { Language, OutboxTable } from '../../db/schema.ts';
import { type Clock, DAY, newId, nowIso } from '../clock.ts';
import { operatorSettings } from '../../features/settings/settings.queries.ts';
import { type MailText, composeMail } from './compose.ts';

/*
 * Every e-mail goes through the outbox (security bar R1): the message is written, fully
 * rendered, in the same transaction as the change that causes it — pass that transaction as
 * `db` — and a worker delivers it later, with retries. `dedupeKey` is unique: queuing the same
 * message to the same address twice writes it once. The Message-ID derives from the key, so
 * every delivery attempt of one message carries the same one.
 *
 * Once a message has left, or has been given up, the outbox forgets what it said: its bodies
 * and headers are emptied in the update that records the outcome (they may hold a reset link,
 * a verification link, a signing code, an unsubscribe token), keeping what the back office
 * shows — recipient, subject, template, status, dates, attempts, last error. Finished
 * messages are deleted after `OUTBOX_RETENTION_DAYS` (`purgeOutbox`, the job `outbox-purge`);
 * a dedupe key holds within that period. Customer service sees the outbox without its content
 * (`/gestion/emails`, `features/mail/`) and may send a failed message again while it still has
 * its content (`requeueMessage`): one still being retried, not one given up.
 */

export interface QueuedMail {
  to: string;
  lang: Language;
  content: MailText;
  /**
   * `<template>:<what makes it unique>`, e.g. `contact-ack:<request id>:<address>`. Its first
   * part names the kind of message, stored as the outbox's `template`.
   */
  dedupeKey: `${string}:${string}`;
  headers?: Record<string, string>;
}

/** The kind of message a dedupe key names: its first part (`reset:<id>:<address>` → `reset`). */
export const templateOf = (dedupeKey: string): string => dedupeKey.slice(0, dedupeKey.indexOf(':'));

/** What a sent or given-up message keeps of its content: nothing (set with its final status). */
export const CONTENT_FORGOTTEN = { text_body: '', html_body: '', headers: '{}' } as const;

export function messageIdFor(dedupeKey: string, config: Config): string {
  const host = new URL(config.PUBLIC_URL).hostname;
  return `<${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 40)}@${host}>`;
}

/** Queues one e-mail; returns false when a message with this dedupe key was already queued. */
export async function enqueueMail(db: Db, clock: Clock, config: Config, mail: QueuedMail): Promise<boolean> {
  const { subject, text, html } = composeMail(await operatorSettings(db, config), mail.lang, mail.content);
  const now = nowIso(clock);
  const r = await db
    .insertInto('outbox')
    .values({
      id: newId(),
      dedupe_key: mail.dedupeKey,
      template: templateOf(mail.dedupeKey),
      recipient: mail.to,
      subject,
      text_body: text,
      html_body: html,
      headers: JSON.stringify(mail.headers ?? {}),
      message_id: messageIdFor(mail.dedupeKey, config),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      locked_until: null,
      locked_by: null,
      last_error: null,
      created_at: now,
      sent_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Whether a message's content was forgotten (`CONTENT_FORGOTTEN`): a column expression, so that its bodies are never read to know it. */
export const contentForgotten = sql<number>`case when text_body = '' then 1 else 0 end`;

export type RequeueOutcome = 'requeued' | 'not_found' | 'already_sent' | 'content_forgotten' | 'not_failed' | 'in_flight';

/**
 * Sends a failed message again (customer service's "retry"): a message given up, or one still
 * being retried, goes back to pending with its attempts reset, due now. Only while its content
 * is still there: a message given up has forgotten it (it may have held a link or a code that
 * has expired since), so it cannot be sent again — the action that produced it must be done
 * again, which makes a new message. A message sent, waiting for its first try, or in a
 * worker's hands is left as it is.
 */
export async function requeueMessage(db: Db, clock: Clock, id: string): Promise<{ outcome: RequeueOutcome; message?: { recipient: string; template: string; status: OutboxTable['status'] } }> {
  const now = nowIso(clock);
  const m = await db
    .selectFrom('outbox')
    .select(['recipient', 'template', 'status', 'attempts', 'locked_until', contentForgotten.as('forgotten')])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!m) return { outcome: 'not_found' };
  const message = { recipient: m.recipient, template: m.template, status: m.status };
  if (m.status === 'sent') return { outcome: 'already_sent', message };
  if (Number(m.forgotten) === 1) return { outcome: 'content_forgotten', message };
  if (m.status === 'pending' && m.attempts === 0) return { outcome: 'not_failed', message };
  if (m.locked_until && m.locked_until > now) return { outcome: 'in_flight', message };
  const done = await db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: now, locked_until: null, locked_by: null })
    .where('id', '=', id)
    .where('status', '=', m.status)
    .where('text_body', '!=', '')
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .executeTakeFirst();
  return { outcome: Number(done.numUpdatedRows) === 1 ? 'requeued' : 'in_flight', message };
}

/**
 * Deletes the messages sent or given up more than `OUTBOX_RETENTION_DAYS` ago (counted from
 * when they were queued); pending ones stay whatever their age. For a periodic job.
 */
export async function purgeOutbox(db: Db, clock: Clock, config: Config): Promise<number> {
  const before = new Date(clock.now().getTime() - config.OUTBOX_RETENTION_DAYS * DAY).toISOString();
  const r = await db.deleteFrom('outbox').where('status', 'in', ['sent', 'dead']).where('created_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The e-mails not yet sent (nor given up), and when the oldest of them was queued (null: none): the metrics' outbox gauges. */
export async function outboxBacklog(db: Db): Promise<{ pending: number; oldest: string | null }> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number | string>().as('pending'), eb.fn.min('created_at').as('oldest')])
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return { pending: Number(row.pending), oldest: row.oldest ?? null };
}
