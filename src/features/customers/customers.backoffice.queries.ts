import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AuditLogTable } from '../../db/schema.ts';
import { type Clock, parisDate } from '../../lib/clock.ts';
import { startsWith } from '../../lib/search.ts';
import { findDocumentPage, findPublishedDocument } from '../account/account.queries.ts';
import { accountBalance } from '../account/balance.queries.ts';
import { loginKey } from '../auth/throttle.ts';
import { listRequests } from '../contact/contact.queries.ts';
import { findContracts } from '../contracts/contracts.queries.ts';
import { maskIban } from '../direct-debit/direct-debit.rules.ts';
import { paymentHistory } from '../payments/payments.queries.ts';
import { findPetitRouleurContracts, findStatements } from '../statements/statements.queries.ts';
import { parisMonth } from '../statements/statements.rules.ts';
import { contractStatements } from '../statements/statements.service.ts';
import { type SearchPlan, loginStatus } from './customers.rules.ts';
import { findCustomerByNumber } from './customers.service.ts';
import { listUsers } from '../users/users.queries.ts';

/*
 * What the back office reads of customers: the search, and one customer's page. Staff see
 * any customer, selected by the number in the URL; the customer's own pages' queries are
 * reused (balance, documents, payments, contracts, statements, requests), never copied.
 */

// ---------------------------------------------------------------- search

/** What a result was found by: shown beside it. */
export type MatchField = 'number' | 'name' | 'email' | 'phone' | 'plate' | 'contract' | 'document';
export const MATCH_FIELDS: readonly MatchField[] = ['number', 'contract', 'document', 'plate', 'name', 'email', 'phone'];

export const SEARCH_PAGE_SIZE = 50;

/** Rank 0 (exact: a unique number, a whole plate) comes before rank 1 (a prefix). */
const tagged = (field: MatchField, rank: 0 | 1) => [sql<number>`${sql.lit(rank)}`.as('rank'), sql<MatchField>`${sql.lit(field)}`.as('field')] as const;

/**
 * Every (customer, rank, field) the plan finds, one lookup per key, each answered by an index:
 * the unique numbers exactly, the plate exactly or by prefix, the search keys by prefix. A
 * customer's name matches when each word typed starts one of its words: the longest word is
 * looked up in the index, the others checked among that customer's own keys.
 */
function hits(db: Db, plan: SearchPlan) {
  const keys = (field: 'name' | 'email' | 'phone', prefix: string) =>
    db.selectFrom('customer_search_keys as s').select('s.customer_id').where('s.field', '=', field).where(startsWith('s.key', prefix));
  let q = db
    .selectFrom('customers')
    .select(['id as customer_id', ...tagged('number', 0)])
    .where('number', '=', plan.number)
    .unionAll(db.selectFrom('contracts').select(['customer_id', ...tagged('contract', 0)]).where('number', '=', plan.number))
    .unionAll(db.selectFrom('financial_documents').select(['customer_id', ...tagged('document', 0)]).where('number', '=', plan.number));
  if (plan.plate) {
    const plate = plan.plate;
    q = q.unionAll(
      db
        .selectFrom('contract_vehicles as v')
        .innerJoin('contracts as k', 'k.id', 'v.contract_id')
        .select((eb) => ['k.customer_id', eb.case().when('v.plate_key', '=', plate).then(0).else(1).end().as('rank'), sql<MatchField>`${sql.lit('plate')}`.as('field')])
        .where(startsWith('v.plate_key', plate)),
    );
  }
  const [first, ...more] = [...plan.words].sort((a, b) => b.length - a.length);
  if (first) {
    let names = keys('name', first);
    for (const w of more) {
      names = names.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('customer_search_keys as o')
            .select('o.key')
            .whereRef('o.customer_id', '=', 's.customer_id')
            .where('o.field', '=', 'name')
            .where(startsWith('o.key', w)),
        ),
      );
    }
    q = q.unionAll(names.select(tagged('name', 1)));
  }
  if (plan.email) q = q.unionAll(keys('email', plan.email).select(tagged('email', 1)));
  if (plan.phone) q = q.unionAll(keys('phone', plan.phone).select(tagged('phone', 1)));
  return q;
}

/** Each customer found once: their best rank and what they were found by. */
function matches(db: Db, plan: SearchPlan) {
  const found = (field: MatchField) => sql<number>`max(case when h.field = ${field} then 1 else 0 end)`;
  return db
    .selectFrom(hits(db, plan).as('h'))
    .select([
      'h.customer_id',
      sql<number>`min(h.rank)`.as('rank'),
      found('number').as('on_number'),
      found('contract').as('on_contract'),
      found('document').as('on_document'),
      found('plate').as('on_plate'),
      found('name').as('on_name'),
      found('email').as('on_email'),
      found('phone').as('on_phone'),
    ])
    .groupBy('h.customer_id');
}

/**
 * One page of the customers a query finds: exact matches of a number or plate first, then by
 * name; each with what found them. And how many there are.
 */
export async function searchCustomers(db: Db, plan: SearchPlan, page: { limit: number; offset: number }) {
  const sorted = db
    .selectFrom(matches(db, plan).as('m'))
    .innerJoin('customers as c', 'c.id', 'm.customer_id')
    .select([
      'c.id',
      'c.number',
      'c.kind',
      'c.last_name',
      'c.first_name',
      'c.company_name',
      'c.postal_code',
      'c.city',
      // Sorted as named (`displayName`): a business by its company.
      sql<string>`case when c.kind = 'business' and c.company_name is not null then c.company_name else c.last_name end`.as('sort_name'),
      'm.rank',
      'm.on_number',
      'm.on_contract',
      'm.on_document',
      'm.on_plate',
      'm.on_name',
      'm.on_email',
      'm.on_phone',
      // How many there are, in the same pass.
      sql<number>`count(*) over ()`.as('total'),
    ])
    .orderBy('m.rank')
    .orderBy('sort_name')
    .orderBy('c.first_name')
    .orderBy('c.number')
    .limit(page.limit)
    .offset(page.offset);
  // The login state of the page's customers only.
  const rows = await db
    .selectFrom(sorted.as('p'))
    .leftJoin('customer_logins as l', 'l.customer_id', 'p.id')
    .selectAll('p')
    .select('l.state as login_state')
    .orderBy('p.rank')
    .orderBy('p.sort_name')
    .orderBy('p.first_name')
    .orderBy('p.number')
    .execute();
  // A page past the end has no row to say the total: counted apart.
  const counted = () => db.selectFrom(matches(db, plan).as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const total = rows.length > 0 ? Number(rows[0]!.total) : page.offset === 0 ? 0 : Number((await counted()).n);
  return {
    total,
    rows: rows.map(({ on_number, on_contract, on_document, on_plate, on_name, on_email, on_phone, total: _, sort_name: __, ...r }) => {
      const on: Record<MatchField, unknown> = {
        number: on_number,
        contract: on_contract,
        document: on_document,
        plate: on_plate,
        name: on_name,
        email: on_email,
        phone: on_phone,
      };
      return { ...r, exact: Number(r.rank) === 0, matchedOn: MATCH_FIELDS.filter((f) => Number(on[f]) === 1) };
    }),
  };
}

export type SearchResult = Awaited<ReturnType<typeof searchCustomers>>['rows'][number];

/** The figures on the back office's home page. */
export async function homeCounts(db: Db) {
  const row = await db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { customers: Number(row.n) };
}

// ---------------------------------------------------------------- one customer

/** Every document from the first: staff see the whole history, not the customer's window. */
const WHOLE_HISTORY = '0000-01-01';
export const LATEST_DOCUMENTS = 20;
export const LATEST_PAYMENTS = 20;
export const LATEST_LOGINS = 10;
export const LATEST_MAILS = 20;
export const LATEST_MONTHS = 6;

/** The customer's login and whether the throttle holds their number: never a hash. */
async function loginOf(db: Db, clock: Clock, customer: { id: string; number: string }) {
  const [login, throttle] = await Promise.all([
    db
      .selectFrom('customer_logins')
      .select(['state', 'temp_password_issued_at', 'temp_password_expires_at', 'activated_at', 'password_changed_at', 'last_login_at'])
      .where('customer_id', '=', customer.id)
      .executeTakeFirst(),
    db.selectFrom('login_throttle').select(['failures', 'locked_until']).where('key', '=', loginKey(customer.number)).executeTakeFirst(),
  ]);
  return loginStatus(login, throttle, clock.now());
}

/** The latest login attempts on the customer's number that named them (the audit log's `auth.login`), newest first. */
async function recentLogins(db: Db, customerId: string) {
  const rows = await db
    .selectFrom('audit_log')
    .select(['at', 'outcome', 'ip', 'details'])
    .where('target_type', '=', 'customer')
    .where('target_id', '=', customerId)
    .where('action', '=', 'auth.login')
    .orderBy('at', 'desc')
    .limit(LATEST_LOGINS)
    .execute();
  return rows.map((r) => {
    const details = (r.details ? JSON.parse(r.details) : {}) as { via?: unknown; reason?: unknown };
    const how = typeof details.via === 'string' ? details.via : typeof details.reason === 'string' ? details.reason : null;
    return { at: r.at, outcome: r.outcome as AuditLogTable['outcome'], ip: r.ip, how };
  });
}

function paperlessHistory(db: Db, customerId: string) {
  return db
    .selectFrom('paperless_consents')
    .select(['id', 'given', 'at', 'source'])
    .where('customer_id', '=', customerId)
    .orderBy('at', 'desc')
    .orderBy('id')
    .execute();
}

/** Every mandate of the customer, newest first: status, RUM and the IBAN masked — never more. */
async function mandatesOf(db: Db, customerId: string) {
  const rows = await db
    .selectFrom('sepa_mandates')
    .select(['id', 'rum', 'status', 'iban_country', 'iban_last4', 'signed_at', 'created_at', 'rejection_reason', 'revoked_at'])
    .where('customer_id', '=', customerId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(({ iban_country, iban_last4, ...m }) => ({ ...m, maskedIban: maskIban(iban_country, iban_last4) }));
}

/** The e-mails queued to the customer's current addresses, newest first: what the outbox keeps of them, never their bodies. */
async function mailsTo(db: Db, addresses: string[]) {
  if (addresses.length === 0) return [];
  return db
    .selectFrom('outbox')
    .select(['id', 'recipient', 'subject', 'template', 'status', 'attempts', 'created_at', 'sent_at'])
    .where('recipient', 'in', addresses)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(LATEST_MAILS)
    .execute();
}

/** The petit-rouleur statements of the customer's contracts, latest months first. */
async function statementsOf(db: Db, clock: Clock, customerId: string) {
  const month = parisMonth(clock.now());
  const [contracts, statements] = await Promise.all([findPetitRouleurContracts(db, customerId), findStatements(db, customerId, month)]);
  return contractStatements(contracts, statements, month).map((c) => ({ contract: c.contract, rows: c.rows.slice(0, LATEST_MONTHS), months: c.rows.length }));
}

/** Everything the customer's page shows at a glance; undefined for an unknown number. */
export async function findCustomerFile(db: Db, clock: Clock, number: string) {
  const customer = await findCustomerByNumber(db, number);
  if (!customer) return undefined;
  const id = customer.id;
  const addresses = [customer.email_primary, customer.email_secondary].filter((a): a is string => Boolean(a));
  const [login, logins, consents, contracts, balance, documents, payments, mandates, statements, requests, mails] = await Promise.all([
    loginOf(db, clock, customer),
    recentLogins(db, id),
    paperlessHistory(db, id),
    findContracts(db, id, parisDate(clock.now())),
    accountBalance(db, id),
    findDocumentPage(db, id, { since: WHOLE_HISTORY }, { limit: LATEST_DOCUMENTS, offset: 0 }),
    paymentHistory(db, id, { limit: LATEST_PAYMENTS, offset: 0 }),
    mandatesOf(db, id),
    statementsOf(db, clock, id),
    listRequests(db, id),
    mailsTo(db, addresses),
  ]);
  // A business account's users (issue 14).
  const users = customer.kind === 'business' ? await listUsers(db, id, clock.now()) : [];
  return { customer, login, logins, consents, contracts, balance, documents, payments, mandates, statements, requests, mails, users };
}

export type CustomerFile = NonNullable<Awaited<ReturnType<typeof findCustomerFile>>>;

/** A page of all the customer's published documents, newest first. */
export function customerDocuments(db: Db, customerId: string, page: { limit: number; offset: number }) {
  return findDocumentPage(db, customerId, { since: WHOLE_HISTORY }, page);
}

/** One of the customer's published documents, for its PDF. */
export const customerDocument = (db: Db, customerId: string, number: string) => findPublishedDocument(db, customerId, number);
