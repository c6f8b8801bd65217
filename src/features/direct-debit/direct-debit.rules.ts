import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { ValidationErrorsIBAN, countrySpecs, electronicFormatIBAN, isSEPACountry, isValidBIC, isValidIBAN, validateIBAN } from 'ibantools';
import { z } from 'zod';
import type { ContractStatus, Customer, Language } from '../../db/schema.ts';
import { addDays, parisDate } from '../../lib/clock.ts';
import { type FormError, type FormErrors, addError } from '../../lib/forms.tsx';
import { form, repeated, typedText } from '../../lib/validation.ts';
import { parseDate } from '../contact/contact.rules.ts';
import type { DirectDebitKey } from './direct-debit.messages.ts';

/*
 * The rules of a SEPA mandate that need no database: the IBAN and BIC checks (ibantools),
 * how an IBAN is shown masked, the RUM we generate, the one-time signing code, and the
 * validation of the online form. Pure functions, unit-tested.
 */

// ---------------------------------------------------------------- contracts already on direct debit

/**
 * The customer's current contracts already paid by direct debit (`contracts.direct_debit`,
 * which a mandate signed on paper before the portal sets too): their numbers, and whether
 * that is every current contract. What a page says to a customer without a mandate in the
 * portal depends on it: no invitation to sign up for what they already have.
 */
export interface DirectDebitCoverage {
  numbers: string[];
  all: boolean;
}

export function directDebitCoverage(contracts: ReadonlyArray<{ number: string; status: ContractStatus; direct_debit: number }>): DirectDebitCoverage {
  const current = contracts.filter((k) => k.status !== 'ended');
  const numbers = current.filter((k) => k.direct_debit === 1).map((k) => k.number);
  return { numbers, all: current.length > 0 && numbers.length === current.length };
}

// ---------------------------------------------------------------- IBAN, BIC

export type IbanCheck = { ok: true; iban: string; country: string } | { ok: false; error: FormError<DirectDebitKey> };

function countryName(code: string, lang: Language): string {
  try {
    return new Intl.DisplayNames([lang === 'fr' ? 'fr-FR' : 'en-GB'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The IBAN's expected length in its country, when the country uses IBANs. */
export const ibanLength = (country: string): number | undefined => countrySpecs[country]?.chars;

/**
 * Checks what the customer typed as an IBAN (spaces, dashes and lower case accepted) and says
 * what is wrong in words: unknown country, country outside SEPA, wrong length, wrong format,
 * wrong check digits.
 */
export function checkIban(input: string, lang: Language): IbanCheck {
  const iban = electronicFormatIBAN(input.replace(/[\s\u00a0\u202f.]/g, '')) ?? '';
  if (iban === '') return { ok: false, error: { key: 'directDebit.error.iban.required' } };
  if (!/^[A-Z0-9]+$/.test(iban)) return { ok: false, error: { key: 'directDebit.error.iban.characters' } };
  const country = iban.slice(0, 2);
  const expected = /^[A-Z]{2}$/.test(country) ? ibanLength(country) : undefined;
  if (!expected) return { ok: false, error: { key: 'directDebit.error.iban.country', params: { country } } };
  const named = { country, countryName: countryName(country, lang) };
  if (!isSEPACountry(country)) return { ok: false, error: { key: 'directDebit.error.iban.notSepa', params: named } };
  if (iban.length !== expected) {
    return { ok: false, error: { key: 'directDebit.error.iban.length', params: { ...named, expected, actual: iban.length } } };
  }
  if (isValidIBAN(iban)) return { ok: true, iban, country };
  const codes = validateIBAN(iban).errorCodes;
  if (codes.includes(ValidationErrorsIBAN.WrongBBANFormat) || codes.includes(ValidationErrorsIBAN.ChecksumNotNumber)) {
    return { ok: false, error: { key: 'directDebit.error.iban.format', params: named } };
  }
  return { ok: false, error: { key: 'directDebit.error.iban.checksum' } };
}

/** The BIC as stored (upper case, no spaces), or null when left empty; `false` when invalid. */
export function checkBic(input: string): string | null | false {
  const bic = input.replace(/\s/g, '').toUpperCase();
  if (bic === '') return null;
  return isValidBIC(bic) ? bic : false;
}

/** `FR76 3000 6000 0112 3456 7890 189`: the IBAN as printed on a RIB. */
export const friendlyIban = (iban: string) => iban.replace(/(.{4})(?=.)/g, '$1 ');

/**
 * The IBAN as the portal shows it, in the shape `FR76 •••• •••• 1234`: the country, the
 * last four characters as a group of their own, bullets between. Made from the two columns
 * kept in clear (`iban_country`, `iban_last4`), so showing it never needs the key; the check
 * digits are not kept in clear, so they are bullets too: `FR•• •••• •••• 0189`.
 */
export function maskIban(country: string, last4: string): string {
  return `${country}•• •••• •••• ${last4}`;
}

export const ibanLast4 = (iban: string) => iban.slice(-4);

// ---------------------------------------------------------------- RUM

/** Unambiguous on paper and on the phone: no 0/O, 1/I. */
const RUM_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** The customer number as it appears in a RUM: A–Z 0–9 only, 17 characters at most. */
export function rumCustomerPart(customerNumber: string): string {
  return customerNumber.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 17) || 'CLIENT';
}

/** `RUM-CLT013262-20261127-7K3Q`: ≤ 35 characters, A–Z 0–9 and dashes, never an IBAN inside. */
export function newRum(customerNumber: string, now: Date): string {
  const random = Array.from({ length: 4 }, () => RUM_ALPHABET[randomInt(RUM_ALPHABET.length)]).join('');
  return `RUM-${rumCustomerPart(customerNumber)}-${parisDate(now).replaceAll('-', '')}-${random}`;
}

/** A RUM shown on this customer's online form: ours, theirs, well formed. */
export function isOnlineRumOf(rum: string, customerNumber: string): boolean {
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
export function paperRum(customerNumber: string, printedAt: Date): string {
  const stamp = printedAt.toISOString().replace(/\D/g, '').slice(2, 14);
  return `RUM-${rumCustomerPart(customerNumber)}-P${stamp}`;
}

/** A RUM printed on this customer's paper form (`paperRum`): what customer service may record a paper mandate under. */
export function isPaperRumOf(rum: string, customerNumber: string): boolean {
  const m = /^RUM-([A-Z0-9]{1,17})-P\d{12}$/.exec(rum);
  return Boolean(m && m[1] === rumCustomerPart(customerNumber));
}

/** SEPA's rule for a mandate reference: ≤ 35 of the Latin set, no "//", not starting or ending with "/". */
export function isValidRum(rum: string): boolean {
  return /^[A-Za-z0-9/\-?:().,'+ ]{1,35}$/.test(rum) && !rum.includes('//') && !rum.startsWith('/') && !rum.endsWith('/');
}

// ---------------------------------------------------------------- one-time code

export const CODE_TTL_MS = 10 * 60_000;
export const CODE_MAX_TRIES = 5;
export const CODE_RESEND_MS = 60_000;
/** Codes a customer may be sent in 24 hours, all mandates together. */
export const CODES_PER_DAY = 10;

/** Whether a code can still sign: not used, tries left, not expired (`nowIso`, ISO text compares as time). */
export const codeAlive = (c: { used_at: string | null; tries: number; expires_at: string }, nowIso: string) =>
  !c.used_at && c.tries < CODE_MAX_TRIES && c.expires_at > nowIso;

/** The address signing codes go to: the verified primary address, or null. */
export const signingAddress = (c: Pick<Customer, 'email_primary' | 'email_primary_verified_at'>) =>
  c.email_primary && c.email_primary_verified_at ? c.email_primary : null;
/** The primary address while it awaits verification (its link can be sent again), or null. */
export const pendingSigningAddress = (c: Pick<Customer, 'email_primary' | 'email_primary_verified_at'>) =>
  c.email_primary && !c.email_primary_verified_at ? c.email_primary : null;

export const newSigningCode = () => String(randomInt(1_000_000)).padStart(6, '0');

/** SHA-256 of the code salted with the mandate's id: 5 tries make the code's small space harmless. */
export const hashSigningCode = (mandateId: string, code: string) => createHash('sha256').update(`${mandateId}:${code}`).digest('hex');

export function codeMatches(mandateId: string, code: string, storedHash: string): boolean {
  const a = Buffer.from(hashSigningCode(mandateId, code), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

// ---------------------------------------------------------------- the online form

export const FORM_FIELDS = ['holder', 'street', 'postal_code', 'city', 'country', 'iban', 'bic', 'contracts', 'place'] as const;
export type FormField = (typeof FORM_FIELDS)[number];
export type MandateErrors = FormErrors<FormField>;

/** SEPA's lengths: name and address lines of 70 characters; ours for the rest. */
export const MAX = { holder: 70, street: 70, postal_code: 16, city: 35, country: 35, place: 35 } as const;

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
export type MandateFormValues = z.output<typeof mandateForm>;

export interface ValidMandate {
  holderName: string;
  /** Lines joined with `\n`: street, postal code and city, country. */
  holderAddress: string;
  iban: string;
  ibanCountry: string;
  bic: string | null;
  contractIds: string[];
  place: string;
}

export type FormResult = { ok: true; mandate: ValidMandate } | { ok: false; errors: MandateErrors; foreignContracts: string[] };

/** One line: no control characters, single spaces. */
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();

/** Validates the online form against the customer's current contracts (ids). */
export function validateMandateForm(v: MandateFormValues, currentContractIds: readonly string[], lang: Language): FormResult {
  const errors: MandateErrors = {};
  const required: Array<[Exclude<FormField, 'iban' | 'bic' | 'contracts'>, DirectDebitKey]> = [
    ['holder', 'directDebit.error.holder.required'],
    ['street', 'directDebit.error.street.required'],
    ['postal_code', 'directDebit.error.postalCode.required'],
    ['city', 'directDebit.error.city.required'],
    ['country', 'directDebit.error.country.required'],
    ['place', 'directDebit.error.place.required'],
  ];
  for (const [field, key] of required) {
    const value = clean(v[field]);
    if (value === '') addError(errors, field, key);
    else if (value.length > MAX[field]) addError(errors, field, field === 'holder' ? 'directDebit.error.holder.tooLong' : 'directDebit.error.tooLong', { max: MAX[field] });
  }

  const iban = checkIban(v.iban, lang);
  if (!iban.ok) addError(errors, 'iban', iban.error.key, iban.error.params);
  const bic = checkBic(v.bic);
  if (bic === false) addError(errors, 'bic', 'directDebit.error.bic.invalid');

  const own = new Set(currentContractIds);
  const foreignContracts = v.contracts.filter((c) => !own.has(c));
  if (foreignContracts.length > 0) addError(errors, 'contracts', 'directDebit.error.contracts.notYours');
  else if (v.contracts.length === 0) addError(errors, 'contracts', 'directDebit.error.contracts.required');

  if (Object.keys(errors).length > 0 || !iban.ok || bic === false) return { ok: false, errors, foreignContracts };
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

export type MandateObstacle = 'already_has_mandate' | 'no_verified_email' | 'no_contracts';

/** Why a customer cannot fill in the online mandate form now, if they cannot: one mandate in force at a time, a verified address for the code, a contract to pay. */
export function mandateObstacle(c: { hasMandateInForce: boolean; signingAddress: string | null; currentContracts: number }): MandateObstacle | null {
  if (c.hasMandateInForce) return 'already_has_mandate';
  if (!c.signingAddress) return 'no_verified_email';
  if (c.currentContracts === 0) return 'no_contracts';
  return null;
}

// ---------------------------------------------------------------- customer service's decisions

/** The longest reason a rejection may give (it is shown to the customer). */
export const REJECTION_REASON_MAX = 500;

/** The reason of a rejection as it is kept and told: one line, 1–500 characters; null when it cannot be one. */
export function rejectionReason(input: string): { ok: true; reason: string } | { ok: false; error: FormError<DirectDebitKey> } {
  const reason = input.replace(/\s+/g, ' ').trim();
  if (reason === '') return { ok: false, error: { key: 'directDebit.bo.error.reason.required' } };
  if (reason.length > REJECTION_REASON_MAX) return { ok: false, error: { key: 'directDebit.bo.error.reason.tooLong', params: { max: REJECTION_REASON_MAX } } };
  return { ok: true, reason };
}

// ---------------------------------------------------------------- a paper mandate received by post

/** How old a paper mandate may be when recorded: unused for 36 months, a SEPA mandate lapses. */
export const PAPER_MANDATE_MAX_AGE_MONTHS = 36;

export const PAPER_FIELDS = [...FORM_FIELDS, 'signed_on', 'rum'] as const;
export type PaperField = (typeof PAPER_FIELDS)[number];
export type PaperMandateErrors = FormErrors<PaperField>;

/** The paper form as customer service typed it from the signed original: the online form's fields, the date and the RUM printed. */
export const paperMandateForm = form({ ...mandateFields, signed_on: typedText(40) });
export type PaperMandateValues = z.output<typeof paperMandateForm>;

export interface ValidPaperMandate extends ValidMandate {
  /** `YYYY-MM-DD`, as written on the form. */
  signedOn: string;
  /** The RUM printed on the form, or null: one is generated (`newRum`). */
  rum: string | null;
}

export type PaperResult = { ok: true; mandate: ValidPaperMandate } | { ok: false; errors: PaperMandateErrors; foreignContracts: string[] };

/**
 * Validates a paper mandate as recorded by customer service: what the online form checks
 * (holder, address, IBAN and BIC by ibantools, contracts among the customer's current ones,
 * place), the date it was signed (a real date, not in the future, not lapsed) and the RUM
 * printed on it when there is one (this customer's paper form's, `paperRum`). `today` is
 * `YYYY-MM-DD` (Paris).
 */
export function validatePaperMandate(
  v: PaperMandateValues,
  c: { number: string; currentContractIds: readonly string[] },
  lang: Language,
  today: string,
): PaperResult {
  const online = validateMandateForm(v, c.currentContractIds, lang);
  const errors: PaperMandateErrors = online.ok ? {} : { ...online.errors };
  const signedOn = v.signed_on.trim() === '' ? null : parseDate(v.signed_on);
  const oldest = monthsBefore(today, PAPER_MANDATE_MAX_AGE_MONTHS);
  if (v.signed_on.trim() === '') addError(errors, 'signed_on', 'directDebit.bo.error.signedOn.required');
  else if (!signedOn) addError(errors, 'signed_on', 'directDebit.bo.error.signedOn.invalid');
  else if (signedOn > today) addError(errors, 'signed_on', 'directDebit.bo.error.signedOn.future');
  else if (signedOn < oldest) addError(errors, 'signed_on', 'directDebit.bo.error.signedOn.lapsed', { months: PAPER_MANDATE_MAX_AGE_MONTHS });
  const rum = v.rum.trim().toUpperCase();
  if (rum !== '' && !isPaperRumOf(rum, c.number)) addError(errors, 'rum', 'directDebit.bo.error.rum.format', { example: paperRum(c.number, new Date(`${today}T10:00:00Z`)) });
  if (!online.ok || Object.keys(errors).length > 0 || !signedOn) return { ok: false, errors, foreignContracts: online.ok ? [] : online.foreignContracts };
  return { ok: true, mandate: { ...online.mandate, signedOn, rum: rum === '' ? null : rum } };
}

// ---------------------------------------------------------------- debits: pre-notification and lapse

/** SEPA: the customer is told of each debit (amount and date) this many days before it, unless the mandate says otherwise. */
export const PRE_NOTIFICATION_DAYS = 14;

/**
 * Whether the pre-notification of a debit on `debitDay` is due on `today` (Paris days,
 * `YYYY-MM-DD`): from `days` days before the debit (the mandate's delay, 14 by default) until the
 * day before it. An invoice published late (less than `days` before its due date) is announced
 * at once; on the debit's day or after, it is too late to announce it.
 */
export function preNotificationDue(debitDay: string, days: number, today: string): boolean {
  return today >= addDays(debitDay, -days) && today < debitDay;
}

/** A SEPA mandate lapses after this many months without a debit presented under it. */
export const MANDATE_LAPSE_MONTHS = 36;

/**
 * Whether a mandate last used (its latest debit, else its signature) on `lastUseDay` has lapsed
 * on `today` (Paris days): 36 full months without a debit. Used on 15 March 2023, it is still
 * valid on 15 March 2026 and lapsed on the 16th — as a paper mandate signed 36 months ago to the
 * day may still be recorded (`validatePaperMandate`).
 */
export function mandateLapsed(lastUseDay: string, today: string): boolean {
  return lastUseDay < monthsBefore(today, MANDATE_LAPSE_MONTHS);
}

/** `YYYY-MM-DD` `months` calendar months earlier (the last day of a shorter month when need be). */
function monthsBefore(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 - months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}
