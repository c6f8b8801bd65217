import { directDebitCoverage, maskIban } from './direct-debit.rules.js';
import { reusableQuery } from '../../db/reusable.js';
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
    'm.created_at',
];
/** The contracts a mandate covers, with their car park. */
export async function mandateContracts(db, mandateId) {
    return contractsOfMandate(db, { mandateId });
}
const contractsOfMandate = reusableQuery((db, a) => db
    .selectFrom('sepa_mandate_contracts as mc')
    .innerJoin('contracts as k', 'k.id', 'mc.contract_id')
    .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
    .select(['k.id', 'k.number', 'p.name as car_park_name', 'k.status'])
    .where('mc.mandate_id', '=', a.mandateId)
    .orderBy('k.number'));
/** The customer's mandates, with the columns `toView` reads. */
const customerMandates = (db, customerId) => db.selectFrom('sepa_mandates as m').select(mandateColumns).where('m.customer_id', '=', customerId);
/** A mandate row as pages show it: the IBAN masked, the address in lines, the contracts it covers. */
export async function toView(db, r) {
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
        createdAt: r.created_at,
        contracts: await mandateContracts(db, r.id),
    };
}
/**
 * The customer's mandate in force or about to be: the latest signed one that is neither
 * rejected nor revoked (status `to_validate` or `active`), with its RUM, masked IBAN and the
 * contracts it covers; null when there is none. A mandate still awaiting its signature is
 * not a mandate yet: it is not returned.
 */
export async function currentMandate(db, customerId) {
    const [row] = await mandateInForceRow(db, { customerId });
    return row ? (await toView(db, row)) : null;
}
const mandateInForceRow = reusableQuery((db, a) => customerMandates(db, a.customerId)
    .where('m.status', 'in', ['to_validate', 'active'])
    .orderBy('m.signed_at', 'desc')
    .orderBy('m.created_at', 'desc'));
/** One of the customer's mandates, or undefined (another customer's is undefined too). */
export async function findOwnMandate(db, customerId, mandateId) {
    const row = await customerMandates(db, customerId)
        .where('m.id', '=', mandateId)
        .executeTakeFirst();
    return row ? toView(db, row) : undefined;
}
/** The customer's last signed mandate that ended (rejected or revoked), to say why there is none. */
export async function lastEndedMandate(db, customerId) {
    const row = await customerMandates(db, customerId)
        .where('m.status', 'in', ['rejected', 'revoked'])
        .orderBy('m.updated_at', 'desc')
        .orderBy('m.created_at', 'desc')
        .executeTakeFirst();
    return row ? toView(db, row) : undefined;
}
/** The customer's latest mandate filled in online and not signed yet. */
export async function pendingMandate(db, customerId) {
    const row = await customerMandates(db, customerId)
        .where('m.status', '=', 'awaiting_signature')
        .orderBy('m.created_at', 'desc')
        .executeTakeFirst();
    return row ? toView(db, row) : undefined;
}
/** The contracts a customer may choose to pay by direct debit: their current ones. */
export async function currentContracts(db, customerId) {
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
const debitedContracts = reusableQuery((db, a) => db.selectFrom('contracts').select(['number', 'status', 'direct_debit']).where('customer_id', '=', a.customerId).orderBy('number'));
export async function contractsOnDirectDebit(db, customerId) {
    return directDebitCoverage(await debitedContracts(db, { customerId }));
}
/** The customer's mandate in force or about to be (to validate or active), other than `except`: there is one at a time. */
export function mandateInForce(db, customerId, except) {
    let q = db.selectFrom('sepa_mandates').select(['id', 'rum']).where('customer_id', '=', customerId).where('status', 'in', ['to_validate', 'active']);
    if (except)
        q = q.where('id', '!=', except);
    return q.executeTakeFirst();
}
/** The latest one-time code of a mandate: the only one that can sign it. */
export async function latestCode(db, mandateId) {
    return db
        .selectFrom('sepa_signing_codes')
        .selectAll()
        .where('mandate_id', '=', mandateId)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .executeTakeFirst();
}
/** What the mandate pages need to know about the customer. */
export async function mandateCustomer(db, customerId) {
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
/** The stored PDF of one of the customer's mandates. */
export function findOwnMandatePdf(db, customerId, mandateId) {
    return db.selectFrom('sepa_mandates').select(['rum', 'pdf_sha256']).where('id', '=', mandateId).where('customer_id', '=', customerId).executeTakeFirst();
}
//# sourceMappingURL=direct-debit.queries.js.map