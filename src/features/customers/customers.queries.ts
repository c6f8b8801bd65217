import type { Db } from '../../db/database.ts';
import type { Customer, LoginState } from '../../db/schema.ts';
import type { CustomerInput } from './customers.integration.service.ts';
import { reusableQuery } from '../../db/reusable.ts';

/** Whether the customer receives their documents by e-mail (paperless consent). */
const paperlessOf = reusableQuery((db: Db, a: { customerId: string }) => db.selectFrom('customers').select('paperless').where('id', '=', a.customerId));

export async function isPaperless(db: Db, customerId: string): Promise<boolean> {
  const [row] = await paperlessOf(db, { customerId });
  if (!row) throw new Error(`No customer ${customerId}`);
  return row.paperless === 1;
}

// ---------------------------------------------------------------- as the API shows them

/** A customer as the API shows it (`GET /customers/{number}`). */
export type CustomerRecord = Omit<CustomerInput, 'emails'> & {
  number: string;
  emails: { primary: string | null; secondary: string | null };
  billing: { vat_number: string | null; email: string | null };
  portal: { login: LoginState | 'none'; paperless: boolean; primary_email_verified: boolean; secondary_email_verified: boolean };
  created_at: string;
  updated_at: string;
};

/** A customer's row (with its login's state, null when it has no account yet) as the API shows it. */
export function customerRecord(c: Customer & { login_state: LoginState | null }): CustomerRecord {
  return {
    number: c.number,
    kind: c.kind,
    civility: c.civility,
    last_name: c.last_name,
    first_name: c.first_name,
    company_name: c.company_name,
    siren: c.siren,
    address: { line1: c.address_line1, line2: c.address_line2, postal_code: c.postal_code, city: c.city, country: c.country },
    emails: { primary: c.email_primary, secondary: c.email_secondary },
    phones: { landline: c.phone, mobile: c.mobile_phone },
    language: c.language,
    paper_required: c.paper_required === 1,
    billing: { vat_number: c.vat_number, email: c.billing_email },
    portal: {
      login: c.login_state ?? 'none',
      paperless: c.paperless === 1,
      primary_email_verified: c.email_primary !== null && c.email_primary_verified_at !== null,
      secondary_email_verified: c.email_secondary !== null && c.email_secondary_verified_at !== null,
    },
    created_at: c.created_at,
    updated_at: c.updated_at,
  };
}

const recordQuery = (db: Db) =>
  db
    .selectFrom('customers as c')
    .leftJoin('customer_logins as l', 'l.customer_id', 'c.id')
    .selectAll('c')
    .select('l.state as login_state');

/** The customer of this number as the API shows it; undefined when there is none. */
export async function customerRecordByNumber(db: Db, number: string): Promise<CustomerRecord | undefined> {
  const row = await recordQuery(db).where('c.number', '=', number).executeTakeFirst();
  return row ? customerRecord(row) : undefined;
}

/** Customers by number after `after` (exclusive), at most `count`. */
export async function customerRecordsAfter(db: Db, after: string | null, count: number): Promise<CustomerRecord[]> {
  let q = recordQuery(db).orderBy('c.number').limit(count);
  if (after !== null) q = q.where('c.number', '>', after);
  return (await q.execute()).map(customerRecord);
}
