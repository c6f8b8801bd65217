import { normalise } from '../../lib/search.js';
/** The words of a name, each a search key: `Martin-Dupont` → `martin`, `dupont`. */
export const nameWords = (text) => normalise(text).split(/[^a-z0-9]+/).filter(Boolean);
/**
 * A phone number as its search key: its digits, a French number in its national form
 * whichever way it is typed (`+33 6 12 34 56 78`, `0033 (0)6…`, `06.12.34.56.78` → `0612345678`),
 * a foreign one as `+<digits>`.
 */
export function phoneKey(text) {
    const typed = text.trim();
    let digits = typed.replace(/\D/g, '');
    const international = typed.startsWith('+') || digits.startsWith('00');
    if (!international)
        return digits;
    if (digits.startsWith('00'))
        digits = digits.slice(2);
    if (digits.startsWith('33'))
        return `0${digits.slice(2).replace(/^0/, '')}`;
    return `+${digits}`;
}
/** A licence plate as its search key: letters and digits only, upper case (`ab-123 cd` → `AB123CD`). */
export const plateKey = (plate) => normalise(plate).toUpperCase().replace(/[^A-Z0-9]/g, '');
/** An e-mail address as its search key. */
export const emailKey = (address) => normalise(address).replace(/ /g, '');
/** A customer's search keys: every word of their names, both e-mail addresses, both phones; each once. */
export function searchKeysOf(c) {
    const keys = new Map();
    const add = (field, key) => {
        if (key)
            keys.set(`${field}:${key}`, { field, key: key.slice(0, 200) });
    };
    for (const part of [c.last_name, c.first_name, c.company_name])
        for (const w of nameWords(part ?? ''))
            add('name', w);
    for (const address of [c.email_primary, c.email_secondary])
        if (address)
            add('email', emailKey(address));
    for (const phone of [c.phone, c.mobile_phone])
        if (phone)
            add('phone', phoneKey(phone));
    return [...keys.values()];
}
export const MIN_QUERY_LENGTH = 2;
const MAX_WORDS = 6;
/** The longest plate key (`1234 ABC 976`). */
const MAX_PLATE_KEY = 10;
export function searchPlan(query) {
    const text = normalise(query);
    if (text.replace(/ /g, '').length < MIN_QUERY_LENGTH)
        return null;
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
export function loginStatus(login, throttle, now) {
    const held = throttle?.locked_until && Date.parse(throttle.locked_until) > now.getTime() ? throttle.locked_until : null;
    const common = { lastLoginAt: login?.last_login_at ?? null, heldUntil: held, failures: throttle?.failures ?? 0 };
    if (!login)
        return { state: 'none', ...common };
    if (login.state === 'active')
        return { state: 'active', activatedAt: login.activated_at, passwordChangedAt: login.password_changed_at, ...common };
    if (login.state === 'locked')
        return { state: 'locked', ...common };
    const expiresAt = login.temp_password_expires_at;
    return {
        state: 'not_activated',
        issuedAt: login.temp_password_issued_at,
        expiresAt,
        expired: !expiresAt || Date.parse(expiresAt) <= now.getTime(),
        ...common,
    };
}
//# sourceMappingURL=customers.rules.js.map