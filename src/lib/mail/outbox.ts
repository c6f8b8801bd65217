import { createHash } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { Language } from '../../db/schema.ts';
import { type Clock, newId, nowIso } from '../clock.ts';
import { type MailContent, composeMail } from './compose.ts';

/*
 * Every e-mail goes through the outbox (security bar R1): the message is written, fully
 * rendered, in the same transaction as the change that causes it — pass that transaction as
 * `db` — and a worker delivers it later, with retries. `dedupeKey` is unique: queuing the same
 * message to the same address twice writes it once. The Message-ID derives from the key, so
 * every delivery attempt of one message carries the same one.
 */

export interface QueuedMail {
  to: string;
  lang: Language;
  content: MailContent;
  /** e.g. `contact-ack:<request id>:<address>`. */
  dedupeKey: string;
  headers?: Record<string, string>;
}

export function messageIdFor(dedupeKey: string, config: Config): string {
  const host = new URL(config.PUBLIC_URL).hostname;
  return `<${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 40)}@${host}>`;
}

/** Queues one e-mail; returns false when a message with this dedupe key was already queued. */
export async function enqueueMail(db: Db, clock: Clock, config: Config, mail: QueuedMail): Promise<boolean> {
  const { subject, text, html } = composeMail(config, mail.lang, mail.content);
  const now = nowIso(clock);
  const r = await db
    .insertInto('outbox')
    .values({
      id: newId(),
      dedupe_key: mail.dedupeKey,
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
