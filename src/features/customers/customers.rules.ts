import type { CustomerLogin, LoginThrottleTable } from '../../db/schema.ts';
import { normalise } from '../../lib/search.ts';

/*
 * Finding a customer (the back office's search). Each customer's searchable values are kept
 * as search keys beside them, normalised the way the query is (`normalise`), one row per
 * name word, e-mail address and phone number (`customer_search_keys`), and one key per plate
 * (`contract_vehicles.plate_key`): a search is then a few prefix lookups in an index, at any
 * size. The code that writes a customer's names, addresses or phones rewrites their keys
 * (`writeSearchKeys` in `customers.service.ts`); the code that writes a plate sets its
 * `plate_key` (`plateKey`).
 */

export type SearchField = 'name' | 'email' | 'phone';

/** The words of a name, each a search key: `Martin-Dupont` → `martin`, `dupont`. */
export const nameWords = (text: string): string[] => normalise(text).split(/[^a-z0-9]+/).filter(Boolean);

/**
 * A phone number as its search key: its digits, a French number in its national form
 * whichever way it is typed (`+33 6 12 34 56 78`, `0033 (0)6…`, `06.12.34.56.78` → `0612345678`),
 * a foreign one as `+<digits>`.
 */
export function phoneKey(text: string): string {
  const typed = text.trim();
  let digits = typed.replace(/\D/g, '');
  const international = typed.startsWith('+') || digits.startsWith('00');
  if (!international) return digits;
  if (digits.startsWith('00')) digits = digits.slice(2);
  if (digits.startsWith('33')) return `0${digits.slice(2).replace(/^0/, '')}`;
  return `+${digits}`;
}

/** A licence plate as its search key: letters and digits only, upper case (`ab-123 cd` → `AB123CD`). */
export const plateKey = (plate: string): string => normalise(plate).toUpperCase().replace(/[^A-Z0-9]/g, '');

/** An e-mail address as its search key. */
export const emailKey = (address: string): string => normalise(address).replace(/ /g, '');

/** What a customer is searched by (absent: none). */
export interface Searchable {
  last_name: string;
  first_name?: string | null | undefined;
  company_name?: string | null | undefined;
  email_primary?: string | null | undefined;
  email_secondary?: string | null | undefined;
  phone?: string | null | undefined;
  mobile_phone?: string | null | undefined;
}

/** A customer's search keys: every word of their names, both e-mail addresses, both phones; each once. */
export function searchKeysOf(c: Searchable): { field: SearchField; key: string }[] {
  const keys = new Map<string, { field: SearchField; key: string }>();
  const add = (field: SearchField, key: string) => {
    if (key) keys.set(`${field}:${key}`, { field, key: key.slice(0, 200) });
  };
  for (const part of [c.last_name, c.first_name, c.company_name]) for (const w of nameWords(part ?? '')) add('name', w);
  for (const address of [c.email_primary, c.email_secondary]) if (address) add('email', emailKey(address));
  for (const phone of [c.phone, c.mobile_phone]) if (phone) add('phone', phoneKey(phone));
  return [...keys.values()];
}

/** What one search box's query is looked up as; null when it is too short to search (under 2 characters). */
export interface SearchPlan {
  /** For the exact lookups of the unique numbers (customer, contract, invoice or credit note): upper case, no spaces. */
  number: string;
  /** Name words, each a prefix; a customer matches when every one does. */
  words: string[];
  /** A prefix of an e-mail address, when the query is one word. */
  email: string | null;
  /** A prefix of a phone number, when the query is written like one. */
  phone: string | null;
  /** A plate's key, exact or as a prefix, when the query is short enough to be one. */
  plate: string | null;
}

export const MIN_QUERY_LENGTH = 2;
const MAX_WORDS = 6;
/** The longest plate key (`1234 ABC 976`). */
const MAX_PLATE_KEY = 10;

export function searchPlan(query: string): SearchPlan | null {
  const text = normalise(query);
  if (text.replace(/ /g, '').length < MIN_QUERY_LENGTH) return null;
  const phone = /^[\d\s.+()/-]+$/.test(query.trim()) ? phoneKey(query) : '';
  const plate = plateKey(query);
  return {
    number: query.trim().toUpperCase().replace(/\s+/g, ''),
    words: nameWords(query).slice(0, MAX_WORDS),
    email: text.includes(' ') ? null : emailKey(text),
    phone: phone.replace(/\D/g, '').length >= MIN_QUERY_LENGTH ? phone : null,
    plate: plate.length >= MIN_QUERY_LENGTH && plate.length <= MAX_PLATE_KEY ? plate : null,
  };
}

/**
 * Where a customer's login stands, as the back office says it: never activated (no temporary
 * password, or one issued on … valid until … — or expired), active, or locked by the operator;
 * and, whatever the state, whether the login throttle holds their number now (`heldUntil`).
 */
export type LoginStatus = (
  | { state: 'none' }
  | { state: 'not_activated'; issuedAt: string | null; expiresAt: string | null; expired: boolean }
  | { state: 'active'; activatedAt: string | null; passwordChangedAt: string | null }
  | { state: 'locked' }
) & { lastLoginAt: string | null; heldUntil: string | null; failures: number };

export function loginStatus(
  login:
    | Pick<CustomerLogin, 'state' | 'temp_password_issued_at' | 'temp_password_expires_at' | 'activated_at' | 'password_changed_at' | 'last_login_at'>
    | undefined,
  throttle: Pick<LoginThrottleTable, 'failures' | 'locked_until'> | undefined,
  now: Date,
): LoginStatus {
  const held = throttle?.locked_until && Date.parse(throttle.locked_until) > now.getTime() ? throttle.locked_until : null;
  const common = { lastLoginAt: login?.last_login_at ?? null, heldUntil: held, failures: throttle?.failures ?? 0 };
  if (!login) return { state: 'none', ...common };
  if (login.state === 'active') return { state: 'active', activatedAt: login.activated_at, passwordChangedAt: login.password_changed_at, ...common };
  if (login.state === 'locked') return { state: 'locked', ...common };
  const expiresAt = login.temp_password_expires_at;
  return {
    state: 'not_activated',
    issuedAt: login.temp_password_issued_at,
    expiresAt,
    expired: !expiresAt || Date.parse(expiresAt) <= now.getTime(),
    ...common,
  };
}
