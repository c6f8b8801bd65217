import type { Db } from '../../src/db/database.ts';
import type { Customer, Product, SepaMandateTable } from '../../src/db/schema.ts';
import { issueTemporaryPassword, writeSearchKeys } from '../../src/features/customers/customers.service.ts';
import { type HoursLine, storedHours } from '../../src/features/public/public.rules.ts';
import { type Clock, newId, nowIso } from '../../src/lib/clock.ts';
import { hashPassword } from '../../src/lib/passwords.ts';

/* Each test makes its own data through these, never through a shared seeded database. */

let seq = 0;

/** A car park, open 24/7 unless `hours` says otherwise. */
export async function createCarPark(db: Db, clock: Clock, over: Partial<{ code: string; name: string; phone: string; hours: HoursLine[] }> = {}) {
  const n = ++seq;
  const row = {
    id: newId(),
    code: over.code ?? `PARK${n}`,
    name: over.name ?? `PARC ${n}`,
    address_line: `${n} rue de Test`,
    postal_code: '75017',
    city: 'PARIS',
    phone: over.phone ?? '01.00.00.00.00',
    email: null,
    opening_hours: storedHours(over.hours ?? [{ for: 'everyone' }]),
    services: '["Places moto"]',
    petit_rouleur_30: 0,
    created_at: nowIso(clock),
  };
  await db.insertInto('car_parks').values(row).execute();
  return row;
}

/** What a test may choose of a new customer: names, language, e-mail addresses (see `emailColumns`), phones, city, paperless consent. */
export type CustomerOverrides = Partial<
  { number: string; last_name: string; first_name: string; language: 'fr' | 'en' } & Pick<
    Customer,
    | 'kind'
    | 'company_name'
    | 'city'
    | 'phone'
    | 'mobile_phone'
    | 'email_primary'
    | 'email_primary_verified_at'
    | 'email_secondary'
    | 'email_secondary_verified_at'
    | 'paperless'
    | 'paperless_changed_at'
  >
>;

/** The e-mail columns of a customer with these addresses, verified at `verifiedAt` (null: awaiting verification). */
export function emailColumns(primary: string | null, secondary: string | null = null, verifiedAt: string | null = null) {
  return {
    email_primary: primary,
    email_primary_verified_at: primary ? verifiedAt : null,
    email_secondary: secondary,
    email_secondary_verified_at: secondary ? verifiedAt : null,
  };
}

export async function createCustomer(db: Db, clock: Clock, over: CustomerOverrides = {}) {
  const n = ++seq;
  const now = nowIso(clock);
  const { number, last_name, first_name, language, ...columns } = over;
  const row = {
    id: newId(),
    number: number ?? `CLT9${String(n).padStart(5, '0')}`,
    kind: 'individual' as Customer['kind'],
    civility: 'M.',
    last_name: last_name ?? 'DURAND',
    first_name: first_name ?? 'FRANCOIS',
    company_name: null as string | null,
    siren: null,
    address_line1: '1 RUE DE LA PAIX',
    address_line2: null,
    postal_code: '75008',
    city: 'PARIS',
    country: 'France',
    phone: '01 23 45 67 89' as string | null,
    mobile_phone: null as string | null,
    email_primary: null as string | null,
    email_primary_verified_at: null as string | null,
    email_secondary: null as string | null,
    email_secondary_verified_at: null as string | null,
    paperless: 0,
    paperless_changed_at: null as string | null,
    language: language ?? ('fr' as const),
    created_at: now,
    updated_at: now,
    ...columns,
  };
  await db.insertInto('customers').values(row).execute();
  await writeSearchKeys(db, row);
  return row;
}

export async function createContract(
  db: Db,
  clock: Clock,
  customerId: string,
  carParkId: string,
  over: Partial<{ number: string; product: Product; status: 'active' | 'ended' }> = {},
) {
  const n = ++seq;
  const row = {
    id: newId(),
    number: over.number ?? `26CT${String(n).padStart(5, '0')}`,
    customer_id: customerId,
    car_park_id: carParkId,
    product: over.product ?? ('resident' as const),
    status: over.status ?? ('active' as const),
    start_date: '2021-12-09',
    end_date: null,
    renewal_date: null,
    billing_period: 'monthly' as const,
    price_ht_cents: 21667,
    vat_rate_bp: 2000,
    direct_debit: 0,
    badge_number: null,
    space_label: null,
    created_at: nowIso(clock),
  };
  await db.insertInto('contracts').values(row).execute();
  return row;
}

/** A customer not yet activated, holding the temporary password printed on their invoice. */
export async function newSubscriber(db: Db, clock: Clock, over: Parameters<typeof createCustomer>[2] = {}) {
  const customer = await createCustomer(db, clock, over);
  const { password } = await issueTemporaryPassword(db, clock, customer.id, 120);
  return { customer, tempPassword: password };
}

/*
 * One argon2id hash per fixture password, made once per process with the production
 * parameters: every login still verifies a real hash, but the factories do not spend
 * ~30 ms of CPU hashing the same few passwords again for each customer. Only the services
 * under test (activation, reset, temporary passwords) hash afresh.
 */
const fixtureHashes = new Map<string, Promise<string>>();
function fixtureHash(password: string): Promise<string> {
  let hash = fixtureHashes.get(password);
  if (!hash) fixtureHashes.set(password, (hash = hashPassword(password)));
  return hash;
}

/** A customer who already activated their account with `password`. */
export async function activeSubscriber(
  db: Db,
  clock: Clock,
  password = 'violet tramway cerise',
  over: Parameters<typeof createCustomer>[2] = {},
) {
  const customer = await createCustomer(db, clock, over);
  const now = nowIso(clock);
  await db
    .insertInto('customer_logins')
    .values({
      customer_id: customer.id,
      state: 'active',
      password_hash: await fixtureHash(password),
      password_changed_at: now,
      activated_at: now,
      temp_password_hash: null,
      temp_password_issued_at: null,
      temp_password_expires_at: null,
      created_at: now,
    })
    .execute();
  return { customer, password };
}

/**
 * A mandate row written as it is, without the service (no code, no PDF): `awaiting_signature`
 * made at `at` by default, or in the state `over` gives. Its id.
 */
export async function insertMandateRow(db: Db, customerId: string, at: string, over: Partial<Pick<SepaMandateTable, 'status' | 'signed_at' | 'signature_place' | 'revoked_at'>> = {}) {
  const id = newId();
  await db
    .insertInto('sepa_mandates')
    .values({
      id,
      customer_id: customerId,
      rum: `RUM-TEST-${id.slice(-12)}`,
      holder_name: 'DURAND FRANCOIS',
      holder_address: '1 RUE DE LA PAIX\n75008 PARIS',
      iban_encrypted: 'not-a-real-ciphertext',
      iban_last4: '0189',
      iban_country: 'FR',
      bic: null,
      status: 'awaiting_signature',
      signed_at: null,
      signature_place: null,
      signature_evidence: null,
      pdf_sha256: null,
      rejection_reason: null,
      revoked_at: null,
      source: 'online',
      decided_by: null,
      decided_at: null,
      created_at: at,
      updated_at: at,
      ...over,
    })
    .execute();
  return id;
}

/**
 * A user of a business account (issue 14) who already chose `password`: active, with their
 * address normalised as the invitation keeps it. Its row.
 */
export async function activeUser(
  db: Db,
  clock: Clock,
  customerId: string,
  role: 'manager' | 'accountant',
  over: Partial<{ email: string; name: string; password: string }> = {},
) {
  const n = ++seq;
  const now = nowIso(clock);
  const row = {
    id: newId(),
    customer_id: customerId,
    email: over.email ?? `user.${n}.${role}@entreprise.example`,
    name: over.name ?? `Claire Martin ${n}`,
    role,
    state: 'active' as const,
    password_hash: await fixtureHash(over.password ?? 'violet tramway cerise'),
    token_hash: null,
    token_expires_at: null,
    invited_at: now,
    activated_at: now,
    last_login_at: null,
    removed_at: null,
  };
  await db.insertInto('customer_users').values(row).execute();
  return { ...row, password: over.password ?? 'violet tramway cerise' };
}
