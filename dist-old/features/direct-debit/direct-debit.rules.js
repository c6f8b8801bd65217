import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { ValidationErrorsIBAN, countrySpecs, electronicFormatIBAN, isSEPACountry, isValidBIC, isValidIBAN, validateIBAN } from 'ibantools';
import { z } from 'zod';
import { parisDate } from '../../lib/clock.js';
import { addError } from '../../lib/forms.js';
import { form, repeated, typedText } from '../../lib/validation.js';
import { parseDate } from '../contact/contact.rules.js';
export function directDebitCoverage(contracts) {
    const current = contracts.filter((k) => k.status !== 'ended');
    const numbers = current.filter((k) => k.direct_debit === 1).map((k) => k.number);
    return { numbers, all: current.length > 0 && numbers.length === current.length };
}
function countryName(code, lang) {
    try {
        return new Intl.DisplayNames([lang === 'fr' ? 'fr-FR' : 'en-GB'], { type: 'region' }).of(code) ?? code;
    }
    catch {
        return code;
    }
}
/** The IBAN's expected length in its country, when the country uses IBANs. */
export const ibanLength = (country) => countrySpecs[country]?.chars;
/**
 * Checks what the customer typed as an IBAN (spaces, dashes and lower case accepted) and says
 * what is wrong in words: unknown country, country outside SEPA, wrong length, wrong format,
 * wrong check digits.
 */
export function checkIban(input, lang) {
    const iban = electronicFormatIBAN(input.replace(/[\s\u00a0\u202f.]/g, '')) ?? '';
    if (iban === '')
        return { ok: false, error: { key: 'directDebit.error.iban.required' } };
    if (!/^[A-Z0-9]+$/.test(iban))
        return { ok: false, error: { key: 'directDebit.error.iban.characters' } };
    const country = iban.slice(0, 2);
    const expected = /^[A-Z]{2}$/.test(country) ? ibanLength(country) : undefined;
    if (!expected)
        return { ok: false, error: { key: 'directDebit.error.iban.country', params: { country } } };
    const named = { country, countryName: countryName(country, lang) };
    if (!isSEPACountry(country))
        return { ok: false, error: { key: 'directDebit.error.iban.notSepa', params: named } };
    if (iban.length !== expected) {
        return { ok: false, error: { key: 'directDebit.error.iban.length', params: { ...named, expected, actual: iban.length } } };
    }
    if (isValidIBAN(iban))
        return { ok: true, iban, country };
    const codes = validateIBAN(iban).errorCodes;
    if (codes.includes(ValidationErrorsIBAN.WrongBBANFormat) || codes.includes(ValidationErrorsIBAN.ChecksumNotNumber)) {
        return { ok: false, error: { key: 'directDebit.error.iban.format', params: named } };
    }
    return { ok: false, error: { key: 'directDebit.error.iban.checksum' } };
}
/** The BIC as stored (upper case, no spaces), or null when left empty; `false` when invalid. */
export function checkBic(input) {
    const bic = input.replace(/\s/g, '').toUpperCase();
    if (bic === '')
        return null;
    return isValidBIC(bic) ? bic : false;
}
/** `FR76 3000 6000 0112 3456 7890 189`: the IBAN as printed on a RIB. */
export const friendlyIban = (iban) => iban.replace(/(.{4})(?=.)/g, '$1 ');
/**
 * The IBAN as the portal shows it, in the shape `FR76 •••• •••• 1234`: the country, the
 * last four characters as a group of their own, bullets between. Made from the two columns
 * kept in clear (`iban_country`, `iban_last4`), so showing it never needs the key; the check
 * digits are not kept in clear, so they are bullets too: `FR•• •••• •••• 0189`.
 */
export function maskIban(country, last4) {
    return `${country}•• •••• •••• ${last4}`;
}
export const ibanLast4 = (iban) => iban.slice(-4);
// ---------------------------------------------------------------- RUM
/** Unambiguous on paper and on the phone: no 0/O, 1/I. */
const RUM_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** The customer number as it appears in a RUM: A–Z 0–9 only, 17 characters at most. */
export function rumCustomerPart(customerNumber) {
    return customerNumber.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 17) || 'CLIENT';
}
/** `RUM-CLT013262-20261127-7K3Q`: ≤ 35 characters, A–Z 0–9 and dashes, never an IBAN inside. */
export function newRum(customerNumber, now) {
    const random = Array.from({ length: 4 }, () => RUM_ALPHABET[randomInt(RUM_ALPHABET.length)]).join('');
    return `RUM-${rumCustomerPart(customerNumber)}-${parisDate(now).replaceAll('-', '')}-${random}`;
}
/** A RUM shown on this customer's online form: ours, theirs, well formed. */
export function isOnlineRumOf(rum, customerNumber) {
    const m = /^RUM-([A-Z0-9]{1,17})-(\d{8})-([A-Z0-9]{4})$/.exec(rum);
    return Boolean(m && m[1] === rumCustomerPart(customerNumber) && [...(m[3] ?? '')].every((c) => RUM_ALPHABET.includes(c)));
}
/**
 * The RUM printed on a paper form: `RUM-CLT013262-P261127100000`, the customer part and the
 * moment the form was printed, `P` then `yymmddhhmmss` in UTC (≤ 35 characters). A RUM must be
 * unique, and downloading the form is a GET, which writes nothing: so the reference is made
 * unique rather than recorded. Two customers never share one (their numbers differ), nor two
 * forms of one customer printed at different seconds (UTC: Paris's autumn hour that repeats
 * cannot repeat a RUM); the same second gives the same form, byte for byte. It never looks
 * like an online RUM (`-yyyymmdd-XXXX`). Customer service records the mandate under the RUM
 * the signed form carries.
 */
export function paperRum(customerNumber, printedAt) {
    const stamp = printedAt.toISOString().replace(/\D/g, '').slice(2, 14);
    return `RUM-${rumCustomerPart(customerNumber)}-P${stamp}`;
}
/** A RUM printed on this customer's paper form (`paperRum`): what customer service may record a paper mandate under. */
export function isPaperRumOf(rum, customerNumber) {
    const m = /^RUM-([A-Z0-9]{1,17})-P\d{12}$/.exec(rum);
    return Boolean(m && m[1] === rumCustomerPart(customerNumber));
}
/** SEPA's rule for a mandate reference: ≤ 35 of the Latin set, no "//", not starting or ending with "/". */
export function isValidRum(rum) {
    return /^[A-Za-z0-9/\-?:().,'+ ]{1,35}$/.test(rum) && !rum.includes('//') && !rum.startsWith('/') && !rum.endsWith('/');
}
// ---------------------------------------------------------------- one-time code
export const CODE_TTL_MS = 10 * 60_000;
export const CODE_MAX_TRIES = 5;
export const CODE_RESEND_MS = 60_000;
/** Codes a customer may be sent in 24 hours, all mandates together. */
export const CODES_PER_DAY = 10;
/** Whether a code can still sign: not used, tries left, not expired (`nowIso`, ISO text compares as time). */
export const codeAlive = (c, nowIso) => !c.used_at && c.tries < CODE_MAX_TRIES && c.expires_at > nowIso;
/** The address signing codes go to: the verified primary address, or null. */
export const signingAddress = (c) => c.email_primary && c.email_primary_verified_at ? c.email_primary : null;
/** The primary address while it awaits verification (its link can be sent again), or null. */
export const pendingSigningAddress = (c) => c.email_primary && !c.email_primary_verified_at ? c.email_primary : null;
export const newSigningCode = () => String(randomInt(1_000_000)).padStart(6, '0');
/** SHA-256 of the code salted with the mandate's id: 5 tries make the code's small space harmless. */
export const hashSigningCode = (mandateId, code) => createHash('sha256').update(`${mandateId}:${code}`).digest('hex');
export function codeMatches(mandateId, code, storedHash) {
    const a = Buffer.from(hashSigningCode(mandateId, code), 'hex');
    const b = Buffer.from(storedHash, 'hex');
    return a.length === b.length && timingSafeEqual(a, b);
}
// ---------------------------------------------------------------- the online form
export const FORM_FIELDS = ['holder', 'street', 'postal_code', 'city', 'country', 'iban', 'bic', 'contracts', 'place'];
/** SEPA's lengths: name and address lines of 70 characters; ours for the rest. */
export const MAX = { holder: 70, street: 70, postal_code: 16, city: 35, country: 35, place: 35 };
/**
 * The form as typed, kept to show it back on error (cut far beyond what the rules allow, so
 * they still say "too long"). `rum` is the reference shown on the form, in a hidden field.
 */
const mandateFields = {
    holder: typedText(500),
    street: typedText(500),
    postal_code: typedText(500),
    city: typedText(500),
    country: typedText(500),
    iban: typedText(60),
    bic: typedText(30),
    // Ticked contracts: each once, at most 50 (they are checked against the customer's own).
    contracts: repeated(z.string())
        .catch([])
        .transform((ids) => [...new Set(ids.filter((c) => c !== '').map((c) => c.slice(0, 64)))].slice(0, 50)),
    place: typedText(500),
    rum: typedText(40),
};
export const mandateForm = form(mandateFields);
/** One line: no control characters, single spaces. */
const clean = (s) => s.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();
/** Validates the online form against the customer's current contracts (ids). */
export function validateMandateForm(v, currentContractIds, lang) {
    const errors = {};
    const required = [
        ['holder', 'directDebit.error.holder.required'],
        ['street', 'directDebit.error.street.required'],
        ['postal_code', 'directDebit.error.postalCode.required'],
        ['city', 'directDebit.error.city.required'],
        ['country', 'directDebit.error.country.required'],
        ['place', 'directDebit.error.place.required'],
    ];
    for (const [field, key] of required) {
        const value = clean(v[field]);
        if (value === '')
            addError(errors, field, key);
        else if (value.length > MAX[field])
            addError(errors, field, field === 'holder' ? 'directDebit.error.holder.tooLong' : 'directDebit.error.tooLong', { max: MAX[field] });
    }
    const iban = checkIban(v.iban, lang);
    if (!iban.ok)
        addError(errors, 'iban', iban.error.key, iban.error.params);
    const bic = checkBic(v.bic);
    if (bic === false)
        addError(errors, 'bic', 'directDebit.error.bic.invalid');
    const own = new Set(currentContractIds);
    const foreignContracts = v.contracts.filter((c) => !own.has(c));
    if (foreignContracts.length > 0)
        addError(errors, 'contracts', 'directDebit.error.contracts.notYours');
    else if (v.contracts.length === 0)
        addError(errors, 'contracts', 'directDebit.error.contracts.required');
    if (Object.keys(errors).length > 0 || !iban.ok || bic === false)
        return { ok: false, errors, foreignContracts };
    return {
        ok: true,
        mandate: {
            holderName: clean(v.holder),
            holderAddress: [clean(v.street), `${clean(v.postal_code)} ${clean(v.city)}`, clean(v.country)].join('\n'),
            iban: iban.iban,
            ibanCountry: iban.country,
            bic,
            contractIds: v.contracts,
            place: clean(v.place),
        },
    };
}
/** Why a customer cannot fill in the online mandate form now, if they cannot: one mandate in force at a time, a verified address for the code, a contract to pay. */
export function mandateObstacle(c) {
    if (c.hasMandateInForce)
        return 'already_has_mandate';
    if (!c.signingAddress)
        return 'no_verified_email';
    if (c.currentContracts === 0)
        return 'no_contracts';
    return null;
}
// ---------------------------------------------------------------- customer service's decisions
/** The longest reason a rejection may give (it is shown to the customer). */
export const REJECTION_REASON_MAX = 500;
/** The reason of a rejection as it is kept and told: one line, 1–500 characters; null when it cannot be one. */
export function rejectionReason(input) {
    const reason = input.replace(/\s+/g, ' ').trim();
    if (reason === '')
        return { ok: false, error: { key: 'directDebit.bo.error.reason.required' } };
    if (reason.length > REJECTION_REASON_MAX)
        return { ok: false, error: { key: 'directDebit.bo.error.reason.tooLong', params: { max: REJECTION_REASON_MAX } } };
    return { ok: true, reason };
}
// ---------------------------------------------------------------- a paper mandate received by post
/** How old a paper mandate may be when recorded: unused for 36 months, a SEPA mandate lapses. */
export const PAPER_MANDATE_MAX_AGE_MONTHS = 36;
export const PAPER_FIELDS = [...FORM_FIELDS, 'signed_on', 'rum'];
/** The paper form as customer service typed it from the signed original: the online form's fields, the date and the RUM printed. */
export const paperMandateForm = form({ ...mandateFields, signed_on: typedText(40) });
/**
 * Validates a paper mandate as recorded by customer service: what the online form checks
 * (holder, address, IBAN and BIC by ibantools, contracts among the customer's current ones,
 * place), the date it was signed (a real date, not in the future, not lapsed) and the RUM
 * printed on it when there is one (this customer's paper form's, `paperRum`). `today` is
 * `YYYY-MM-DD` (Paris).
 */
export function validatePaperMandate(v, c, lang, today) {
    const online = validateMandateForm(v, c.currentContractIds, lang);
    const errors = online.ok ? {} : { ...online.errors };
    const signedOn = v.signed_on.trim() === '' ? null : parseDate(v.signed_on);
    const oldest = monthsBefore(today, PAPER_MANDATE_MAX_AGE_MONTHS);
    if (v.signed_on.trim() === '')
        addError(errors, 'signed_on', 'directDebit.bo.error.signedOn.required');
    else if (!signedOn)
        addError(errors, 'signed_on', 'directDebit.bo.error.signedOn.invalid');
    else if (signedOn > today)
        addError(errors, 'signed_on', 'directDebit.bo.error.signedOn.future');
    else if (signedOn < oldest)
        addError(errors, 'signed_on', 'directDebit.bo.error.signedOn.lapsed', { months: PAPER_MANDATE_MAX_AGE_MONTHS });
    const rum = v.rum.trim().toUpperCase();
    if (rum !== '' && !isPaperRumOf(rum, c.number))
        addError(errors, 'rum', 'directDebit.bo.error.rum.format', { example: paperRum(c.number, new Date(`${today}T10:00:00Z`)) });
    if (!online.ok || Object.keys(errors).length > 0 || !signedOn)
        return { ok: false, errors, foreignContracts: online.ok ? [] : online.foreignContracts };
    return { ok: true, mandate: { ...online.mandate, signedOn, rum: rum === '' ? null : rum } };
}
/** `YYYY-MM-DD` `months` calendar months earlier (the last day of a shorter month when need be). */
function monthsBefore(day, months) {
    const [y, m, d] = day.split('-').map(Number);
    const first = new Date(Date.UTC(y, m - 1 - months, 1));
    const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
    return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}
//# sourceMappingURL=direct-debit.rules.js.map