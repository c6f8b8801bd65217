import type { Db } from '../../db/database.ts';
import type { ContractStatus, MandateEndReason, MandateStatus } from '../../db/schema.ts';
import { type DirectDebitCoverage, directDebitCoverage, maskIban } from './direct-debit.rules.ts';
import { reusableQuery } from '../../db/reusable.ts';

/*
 * Reading mandates. Every function takes the customer's id from the session and selects by
 * it: a mandate id from a request only ever narrows among the customer's own.
 */

export interface MandateContract {
  id: string;
  number: string;
  car_park_name: string;
  status: ContractStatus;
}

/** A mandate as the customer's pages show it: never the IBAN, only its mask. */
export interface MandateView {
  id: string;
  rum: string;
  status: MandateStatus;
  holderName: string;
  /** Lines: street, postal code and city, country. */
  holderAddress: string[];
  /** `FR•• •••• •••• 0189`. */
  maskedIban: string;
  ibanCountry: string;
  ibanLast4: string;
  bic: string | null;
  signedAt: string | null;
  signaturePlace: string | null;
  hasPdf: boolean;
  rejectionReason: string | null;
  revokedAt: string | null;
  /** Why a revoked mandate ended (`customer`, `replaced`, `lapsed`); null otherwise or before 028. */
  endReason: MandateEndReason | null;
  /** A change of bank account: the id of the active mandate this one replaces. */
  replacesMandateId: string | null;
  createdAt: string;
  contracts: MandateContract[];
}

/** A mandate in force or about to be: signed, and not rejected or revoked. */
export type CurrentMandate = MandateView & { status: 'to_validate' | 'active' };

/** The columns `toView` reads (the back office's queries select them too). */
export const mandateColumns = [
  'm.id',
  'm.rum',
  'm.status',
  'm.holder_name',
  'm.holder_address',
  'm.iban_country',
  'm.iban_last4',
  'm.bic',
  'm.signed_at',
  'm.signature_place',
  'm.pdf_sha256',
  'm.rejection_reason',
  'm.revoked_at',
  'm.end_reason',
  'm.replaces_mandate_id',
  'm.created_at',
] as const;

export type MandateRow = {
  id: string;
  rum: string;
  status: MandateStatus;
  holder_name: string;
  holder_address: string;
  iban_country: string;
  iban_last4: string;
  bic: string | null;
  signed_at: string | null;
  signature_place: string | null;
  pdf_sha256: string | null;
  rejection_reason: string | null;
  revoked_at: string | null;
  end_reason: MandateEndReason | null;
  replaces_mandate_id: string | null;
  created_at: string;
};

/** The contracts a mandate covers, with their car park. */
export async function mandateContracts(db: Db, mandateId: string): Promise<MandateContract[]> {
  return contractsOfMandate(db, { mandateId });
}
const contractsOfMandate = reusableQuery((db: Db, a: { mandateId: string }) =>
  db
    .selectFrom('sepa_mandate_contracts as mc')
    .innerJoin('contracts as k', 'k.id', 'mc.contract_id')
    .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
    .select(['k.id', 'k.number', 'p.name as car_park_name', 'k.status'])
    .where('mc.mandate_id', '=', a.mandateId)
    .orderBy('k.number'),
);

/** The customer's mandates, with the columns `toView` reads. */
const customerMandates = (db: Db, customerId: string) => db.selectFrom('sepa_mandates as m').select(mandateColumns).where('m.customer_id', '=', customerId);

/** A mandate row as pages show it: the IBAN masked, the address in lines, the contracts it covers. */
export async function toView(db: Db, r: MandateRow): Promise<MandateView> {
  return {
    id: r.id,
    rum: r.rum,
    status: r.status,
    holderName: r.holder_name,
    holderAddress: r.holder_address.split('\n').filter((l) => l.trim() !== ''),
    maskedIban: maskIban(r.iban_country, r.iban_last4),
    ibanCountry: r.iban_country,
    ibanLast4: r.iban_last4,
    bic: r.bic,
    signedAt: r.signed_at,
    signaturePlace: r.signature_place,
    hasPdf: r.pdf_sha256 !== null,
    rejectionReason: r.rejection_reason,
    revokedAt: r.revoked_at,
    endReason: r.end_reason,
    replacesMandateId: r.replaces_mandate_id,
    createdAt: r.created_at,
    contracts: await mandateContracts(db, r.id),
  };
}

/**
 * The customer's mandate in force or about to be: the latest signed one that is neither
 * rejected nor revoked (status `to_validate` or `active`), with its RUM, masked IBAN and the
 * contracts it covers; null when there is none. A mandate still awaiting its signature is
 * not a mandate yet: it is not returned. During a change of bank account the active mandate is
 * the current one; the new one waiting for validation is `replacementMandate`.
 */
export async function currentMandate(db: Db, customerId: string): Promise<CurrentMandate | null> {
  const [row] = await mandateInForceRow(db, { customerId });
  return row ? ((await toView(db, row)) as CurrentMandate) : null;
}
const mandateInForceRow = reusableQuery((db: Db, a: { customerId: string }) =>
  customerMandates(db, a.customerId)
    .where('m.status', 'in', ['to_validate', 'active'])
    .orderBy((eb) => eb.case().when('m.status', '=', 'active').then(0).else(1).end())
    .orderBy('m.signed_at', 'desc')
    .orderBy('m.created_at', 'desc'),
);

/**
 * The new bank account's mandate that replaces `activeId` (signed or not yet), while that one is
 * still active: the customer sees both.
 */
export async function replacementMandate(db: Db, customerId: string, activeId: string): Promise<MandateView | undefined> {
  const row = await customerMandates(db, customerId)
    .where('m.replaces_mandate_id', '=', activeId)
    .where('m.status', 'in', ['awaiting_signature', 'to_validate'])
    .orderBy('m.created_at', 'desc')
    .executeTakeFirst();
  return row ? toView(db, row) : undefined;
}

/** One of the customer's mandates, or undefined (another customer's is undefined too). */
export async function findOwnMandate(db: Db, customerId: string, mandateId: string): Promise<MandateView | undefined> {
  const row = await customerMandates(db, customerId)
    .where('m.id', '=', mandateId)
    .executeTakeFirst();
  return row ? toView(db, row) : undefined;
}

/** The customer's last signed mandate that ended (rejected or revoked), to say why there is none. */
export async function lastEndedMandate(db: Db, customerId: string): Promise<MandateView | undefined> {
  const row = await customerMandates(db, customerId)
    .where('m.status', 'in', ['rejected', 'revoked'])
    .orderBy('m.updated_at', 'desc')
    .orderBy('m.created_at', 'desc')
    .executeTakeFirst();
  return row ? toView(db, row) : undefined;
}

/** The customer's latest mandate filled in online and not signed yet. */
export async function pendingMandate(db: Db, customerId: string): Promise<MandateView | undefined> {
  const row = await customerMandates(db, customerId)
    .where('m.status', '=', 'awaiting_signature')
    .orderBy('m.created_at', 'desc')
    .executeTakeFirst();
  return row ? toView(db, row) : undefined;
}

/** The contracts a customer may choose to pay by direct debit: their current ones. */
export async function currentContracts(db: Db, customerId: string): Promise<MandateContract[]> {
  return db
    .selectFrom('contracts as k')
    .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
    .select(['k.id', 'k.number', 'p.name as car_park_name', 'k.status'])
    .where('k.customer_id', '=', customerId)
    .where('k.status', '!=', 'ended')
    .orderBy('k.start_date', 'desc')
    .orderBy('k.number')
    .execute();
}

/** The customer's current contracts already paid by direct debit (`directDebitCoverage`). */
const debitedContracts = reusableQuery((db: Db, a: { customerId: string }) =>
  db.selectFrom('contracts').select(['number', 'status', 'direct_debit']).where('customer_id', '=', a.customerId).orderBy('number'),
);

export async function contractsOnDirectDebit(db: Db, customerId: string): Promise<DirectDebitCoverage> {
  return directDebitCoverage(await debitedContracts(db, { customerId }));
}

/**
 * The customer's mandate in force or about to be (to validate or active), other than those
 * `except` names: there is one at a time — but for a change of bank account, where the new one
 * waits for validation beside the active one it replaces (`replaces_mandate_id`).
 */
export function mandateInForce(db: Db, customerId: string, ...except: Array<string | null | undefined>): Promise<{ id: string; rum: string } | undefined> {
  let q = db.selectFrom('sepa_mandates').select(['id', 'rum']).where('customer_id', '=', customerId).where('status', 'in', ['to_validate', 'active']);
  const ids = except.filter((id): id is string => Boolean(id));
  if (ids.length > 0) q = q.where('id', 'not in', ids);
  return q.executeTakeFirst();
}

/** The latest one-time code of a mandate: the only one that can sign it. */
export async function latestCode(db: Db, mandateId: string) {
  return db
    .selectFrom('sepa_signing_codes')
    .selectAll()
    .where('mandate_id', '=', mandateId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .executeTakeFirst();
}

/** What the mandate pages need to know about the customer. */
export async function mandateCustomer(db: Db, customerId: string) {
  return db
    .selectFrom('customers')
    .select([
      'id',
      'number',
      'kind',
      'civility',
      'last_name',
      'first_name',
      'company_name',
      'address_line1',
      'address_line2',
      'postal_code',
      'city',
      'country',
      'email_primary',
      'email_primary_verified_at',
      'email_secondary',
      'email_secondary_verified_at',
      'language',
    ])
    .where('id', '=', customerId)
    .executeTakeFirstOrThrow();
}

export type MandateCustomer = Awaited<ReturnType<typeof mandateCustomer>>;

/** The stored PDF of one of the customer's mandates. */
export function findOwnMandatePdf(db: Db, customerId: string, mandateId: string) {
  return db.selectFrom('sepa_mandates').select(['rum', 'pdf_sha256']).where('id', '=', mandateId).where('customer_id', '=', customerId).executeTakeFirst();
}
