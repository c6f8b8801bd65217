import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { audit } from '../../lib/audit.ts';
import { type Clock, newId, nowIso, parisDate } from '../../lib/clock.ts';
import { translator } from '../../lib/i18n.ts';
import { publicUrl } from '../../lib/links.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { formatDateFr } from '../documents/documents.pdf.ts';
import { temporaryPasswordMail } from '../customers/customers.actions.mails.ts';
import type { StaffActor } from '../customers/customers.actions.service.ts';
import { displayName, newTemporaryPassword, storeTemporaryPassword, verifiedAddresses } from '../customers/customers.service.ts';
import type { LetterRecipient } from './letters.queries.ts';
import { type Letter, type LetterSender, postalLines, renderLetters } from './letters.pdf.ts';
import { type PrintedLetter, batchCsv } from './letters.rules.ts';
import { operatorSettings } from '../settings/settings.queries.ts';
import { type OperatorSettings, printedOperator } from '../settings/settings.rules.ts';

/*
 * Temporary-password letters (security bar A1), for one customer or a batch. Each customer
 * gets a new temporary password (`newTemporaryPassword`, the one way the command line and
 * invoices issue them too): the previous one stops working, and a session opened with it
 * ends. The passwords are hashed first, then the PDF is drawn, then one short transaction
 * stores every hash with the notices (no password in them) and the audit entries: when any
 * of it fails, nothing is stored and no PDF leaves. The passwords exist in the PDF alone.
 */

const senderOf = (o: OperatorSettings): LetterSender => printedOperator(o, translator('fr'));

export interface IssuedLetters {
  pdf: Buffer;
  printed: PrintedLetter[];
}

/**
 * Issues a temporary password to each recipient and draws their letters, in this order.
 * `record` writes, in the same transaction, what the caller audits (one entry per customer,
 * or one per batch) and keeps.
 */
export async function issueLetters(
  db: Db,
  clock: Clock,
  config: Config,
  recipients: LetterRecipient[],
  record: (trx: Db, printed: PrintedLetter[]) => Promise<void>,
): Promise<IssuedLetters> {
  const temporaries = await Promise.all(recipients.map(() => newTemporaryPassword(clock, config.TEMP_PASSWORD_DAYS)));
  const today = parisDate(clock.now());
  const letters: Letter[] = recipients.map((c, i) => ({
    lang: c.language,
    number: c.number,
    kind: c.kind,
    civility: c.civility,
    lastName: c.last_name,
    firstName: c.first_name,
    companyName: c.company_name,
    addressLines: postalLines(c),
    password: temporaries[i]!.password,
    expiresAt: temporaries[i]!.expiresAt,
    date: today,
  }));
  const pdf = await renderLetters(senderOf(await operatorSettings(db, config)), publicUrl(config, '/connexion'), letters, clock.now());
  const printed: PrintedLetter[] = recipients.map((c, i) => ({
    number: c.number,
    name: displayName(c),
    addressLines: letters[i]!.addressLines,
    expires: formatDateFr(parisDate(new Date(temporaries[i]!.expiresAt))),
  }));

  await inTransaction(db, async (trx) => {
    for (const [i, c] of recipients.entries()) {
      const temporary = temporaries[i]!;
      await storeTemporaryPassword(trx, c.id, temporary);
      const content = temporaryPasswordMail(config, c, temporary.expiresAt);
      for (const to of verifiedAddresses(c)) {
        await enqueueMail(trx, clock, config, { to, lang: c.language, dedupeKey: `temporary-password:${newId()}:${to}`, content });
      }
    }
    await record(trx, printed);
  });
  return { pdf, printed };
}

/** The audit entry of a new temporary password on its letter, on the customer (and the batch it was printed in). */
const auditIssued = (trx: Db, clock: Clock, actor: StaffActor, customerId: string, batchId?: string) =>
  audit(trx, clock, {
    actor_type: 'staff',
    actor_id: actor.staffId,
    action: 'customer.issue_temporary_password',
    outcome: 'success',
    target_type: 'customer',
    target_id: customerId,
    ...actor.meta,
    details: batchId ? { letter: true, batch: batchId } : { letter: true },
  });

/** One customer's letter, from their page: audited on them as the command line's issue is. */
export function issueLetter(db: Db, clock: Clock, config: Config, actor: StaffActor, recipient: LetterRecipient): Promise<IssuedLetters> {
  return issueLetters(db, clock, config, [recipient], (trx) => auditIssued(trx, clock, actor, recipient.id));
}

export type BatchSelection = 'never_activated' | 'list';

/**
 * A batch of letters: stored with its CSV (`letter_batches`), audited once with its count, and
 * each new password on its customer (an admin reading one customer's history finds it there).
 */
export async function issueBatch(
  db: Db,
  clock: Clock,
  config: Config,
  actor: StaffActor,
  recipients: LetterRecipient[],
  selection: BatchSelection,
): Promise<IssuedLetters & { batchId: string }> {
  const batchId = newId();
  const issued = await issueLetters(db, clock, config, recipients, async (trx, printed) => {
    await trx
      .insertInto('letter_batches')
      .values({ id: batchId, staff_id: actor.staffId, letter_count: printed.length, csv: batchCsv(translator('fr'), printed), created_at: nowIso(clock) })
      .execute();
    await audit(trx, clock, {
      actor_type: 'staff',
      actor_id: actor.staffId,
      action: 'letters.batch',
      outcome: 'success',
      target_type: 'letter_batch',
      target_id: batchId,
      ...actor.meta,
      details: { count: printed.length, selection },
    });
    for (const r of recipients) await auditIssued(trx, clock, actor, r.id, batchId);
  });
  return { ...issued, batchId };
}
