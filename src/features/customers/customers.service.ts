import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import type { Customer, Language } from '../../db/schema.ts';
import { type Clock, DAY } from '../../lib/clock.ts';
import type { MailText } from '../../lib/mail/compose.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { generateTemporaryPassword, hashPassword } from '../../lib/passwords.ts';
import { type Searchable, searchKeysOf } from './customers.rules.ts';

/** A temporary password made and hashed, ready to be stored (`storeTemporaryPassword`). */
export interface TemporaryPassword {
  /** In clear: printed once (a letter, an invoice, the command line), never stored. */
  password: string;
  hash: string;
  issuedAt: string;
  expiresAt: string;
}

/**
 * Makes a temporary password (security bar A1) valid `validityDays` from now, and its hash.
 * Apart from storing it, so that many can be hashed before one short transaction stores them
 * (the letters in bulk): argon2 takes its time, the database should not wait for it.
 */
export async function newTemporaryPassword(clock: Clock, validityDays: number, password: string = generateTemporaryPassword()): Promise<TemporaryPassword> {
  const hash = await hashPassword(password);
  const now = clock.now();
  return { password, hash, issuedAt: now.toISOString(), expiresAt: new Date(now.getTime() + validityDays * DAY).toISOString() };
}

/**
 * Stores a customer's new temporary password: only its hash; the previous temporary password
 * stops working. An account that does not exist yet is created "not activated". An active
 * account keeps its password: the temporary one is a way back in.
 */
export async function storeTemporaryPassword(db: Db, customerId: string, temporary: TemporaryPassword): Promise<void> {
  const values = {
    temp_password_hash: temporary.hash,
    temp_password_issued_at: temporary.issuedAt,
    temp_password_expires_at: temporary.expiresAt,
  };
  await db
    .insertInto('customer_logins')
    .values({ customer_id: customerId, state: 'not_activated', created_at: temporary.issuedAt, ...values })
    .onConflict((oc) => oc.column('customer_id').doUpdateSet(values))
    .execute();
  // A session opened with the previous temporary password dies with it.
  await db.deleteFrom('sessions').where('customer_id', '=', customerId).where('kind', '=', 'activation').execute();
}

/**
 * Issues a new temporary password for a customer and returns it in clear, once, for printing
 * on an invoice or a letter or reading to the customer (`newTemporaryPassword`, then
 * `storeTemporaryPassword`).
 */
export async function issueTemporaryPassword(
  db: Db,
  clock: Clock,
  customerId: string,
  validityDays: number,
  password: string = generateTemporaryPassword(),
): Promise<{ password: string; expiresAt: string }> {
  const temporary = await newTemporaryPassword(clock, validityDays, password);
  await storeTemporaryPassword(db, customerId, temporary);
  return { password, expiresAt: temporary.expiresAt };
}

export function findCustomerByNumber(db: Db, number: string) {
  return db.selectFrom('customers').selectAll().where('number', '=', number).executeTakeFirst();
}

/**
 * How the portal names a customer, in its header and in every e-mail: "DURAND FRANCOIS" for a
 * person (as on the invoice), the company name for a business. `customer_kind` is the kind
 * where a query selects it under that name (next to another table's `kind`).
 */
export function displayName(c: {
  customer_kind?: string;
  kind?: string;
  last_name: string;
  first_name: string | null;
  company_name: string | null;
}): string {
  const kind = c.customer_kind ?? c.kind;
  if (kind === 'business' && c.company_name) return c.company_name;
  return [c.last_name, c.first_name].filter(Boolean).join(' ');
}

/** Whom an e-mail is written to: what `displayName` greets, and the language to write in. */
export type Addressee = Parameters<typeof displayName>[0] & { language: Language };

/**
 * Locks the customer's row for the rest of the transaction (a row lock on PostgreSQL, the
 * write lock on SQLite): changes to one customer made at the same instant — two submits,
 * two payments booked — are serialised.
 */
export async function lockCustomer(trx: Db, customerId: string): Promise<void> {
  await trx
    .updateTable('customers')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', customerId)
    .execute();
}

/** What a back-office list or page shows of a customer joined as `c` beside another table's rows: its number and what `displayName` reads (its kind as `customer_kind`). */
export const customerNameColumns = ['c.number as customer_number', 'c.kind as customer_kind', 'c.last_name', 'c.first_name', 'c.company_name'] as const;

/** What `verifiedAddresses` reads of a customer joined as `c`: its two addresses and when each was verified. */
export const verifiedAddressColumns = ['c.email_primary', 'c.email_primary_verified_at', 'c.email_secondary', 'c.email_secondary_verified_at'] as const;

/** The customer's verified addresses, primary first, each once: the only ones e-mails go to. */
export function verifiedAddresses(c: Pick<Customer, 'email_primary' | 'email_primary_verified_at' | 'email_secondary' | 'email_secondary_verified_at'>): string[] {
  const out: string[] = [];
  if (c.email_primary && c.email_primary_verified_at) out.push(c.email_primary);
  if (c.email_secondary && c.email_secondary_verified_at && c.email_secondary !== c.email_primary) out.push(c.email_secondary);
  return out;
}

/** Queues `content` to each of the customer's verified addresses in their language, once per address (dedupe key `kind:id:address`); how many were queued. */
export async function mailVerifiedAddresses(
  trx: Db,
  clock: Clock,
  config: Config,
  customer: Parameters<typeof verifiedAddresses>[0] & Pick<Customer, 'language'>,
  kind: string,
  id: string,
  content: MailText,
): Promise<number> {
  const to = verifiedAddresses(customer);
  for (const address of to) await enqueueMail(trx, clock, config, { to: address, lang: customer.language, dedupeKey: `${kind}:${id}:${address}`, content });
  return to.length;
}

/** The language the customer's e-mails and pages speak, as they last chose it. */
export async function setLanguage(db: Db, customerId: string, lang: Language): Promise<void> {
  await db.updateTable('customers').set({ language: lang }).where('id', '=', customerId).execute();
}

/**
 * Rewrites what the back office's search finds a customer by (`searchKeysOf`): called with the
 * customer's row by whatever inserts one, and after any change of their names, e-mail
 * addresses or phones — in the same transaction.
 */
export async function writeSearchKeys(db: Db, customer: Searchable & { id: string }): Promise<void> {
  await db.deleteFrom('customer_search_keys').where('customer_id', '=', customer.id).execute();
  const keys = searchKeysOf(customer);
  if (keys.length > 0) await db.insertInto('customer_search_keys').values(keys.map((k) => ({ customer_id: customer.id, ...k }))).execute();
}

/** `writeSearchKeys` for a customer whose row was just updated: its searchable columns read back first. */
export async function refreshSearchKeys(db: Db, customerId: string): Promise<void> {
  const row = await db
    .selectFrom('customers')
    .select(['id', 'last_name', 'first_name', 'company_name', 'email_primary', 'email_secondary', 'phone', 'mobile_phone'])
    .where('id', '=', customerId)
    .executeTakeFirstOrThrow();
  await writeSearchKeys(db, row);
}
