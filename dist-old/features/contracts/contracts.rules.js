import { addDays } from '../../lib/clock.js';
import { normalisePlate } from '../contact/contact.rules.js';
import { plateKey } from '../customers/customers.rules.js';
/*
 * A contract as the operator's billing system (ERP) writes it (the API, the import): what its
 * fields may be, how a plate is read, and how the vehicles sent replace those the portal
 * holds without losing their history.
 */
/** Every product, state and billing period (each object lists the whole union, or the type check fails). */
export const PRODUCTS = {
    resident: 'resident',
    resident_petit_rouleur: 'resident_petit_rouleur',
    non_resident: 'non_resident',
    moto: 'moto',
    business: 'business',
};
export const CONTRACT_STATES = { active: 'active', suspended: 'suspended', ended: 'ended' };
export const BILLING_PERIODS = { monthly: 'monthly', quarterly: 'quarterly', yearly: 'yearly' };
/** The country of a plate when none is said: France. */
export const FRENCH = 'FR';
/**
 * A plate as stored, or null when it is not one: a French plate in its one normalised form,
 * as the back office and the contact form write it (`normalisePlate`: SIV `AB-123-CD`, or the
 * older FNI `123 ABC 75`); a foreign plate as written — letters and digits in groups separated
 * by one space or dash, upper case, 2 to 12 letters and digits in all.
 */
export function vehiclePlate(input, country) {
    if (country === FRENCH)
        return normalisePlate(input);
    const plate = input.trim().toUpperCase().replace(/\s+/g, ' ');
    if (!/^[\p{Lu}\d]+(?:[ -][\p{Lu}\d]+)*$/u.test(plate))
        return null;
    const letters = plateKey(plate).length;
    return letters >= 2 && letters <= 12 ? plate : null;
}
const vehicleKey = (v) => `${v.country}:${plateKey(v.plate)}`;
const same = (a, b) => a.plate === b.plate && a.country === b.country && a.description === b.description && a.valid_from === b.valid_from && a.valid_to === b.valid_to;
/** Whether a held vehicle's period ended before `today`. */
const endedBefore = (v, today) => v.valid_to !== null && v.valid_to < today;
/**
 * How the vehicles sent replace those held on `today` (`YYYY-MM-DD`, Paris), keeping history:
 * - a vehicle sent is matched with a held one of the same plate and country (the one of the
 *   same period first, else the one in force, else the latest) and takes what was sent;
 *   unmatched, it is added;
 * - a held vehicle not sent that was in force ends the day before `today` (its last day in force
 *   is yesterday: the customer's Contrats page stops showing it at once, as a change of plate
 *   ends the old plate the day before the new one starts); one not begun yet is removed (it
 *   never was in force); one already ended stays, as history (the ERP need not send the past).
 */
export function planVehicles(held, sent, today) {
    const plan = { insert: [], update: [], end: [], remove: [] };
    const free = new Set(held);
    const matched = new Map();
    const take = (s, pick) => {
        const candidates = [...free].filter((h) => vehicleKey(h) === vehicleKey(s));
        const h = pick(candidates);
        if (h) {
            free.delete(h);
            matched.set(s, h);
        }
    };
    // The same period first, so that a plate held twice (left, then back) keeps each period.
    for (const s of sent)
        take(s, (c) => c.find((h) => h.valid_from === s.valid_from && h.valid_to === s.valid_to));
    const latestFirst = (a, b) => (b.valid_to ?? '9999-12-31').localeCompare(a.valid_to ?? '9999-12-31');
    for (const s of sent)
        if (!matched.has(s))
            take(s, (c) => c.find((h) => !endedBefore(h, today)) ?? [...c].sort(latestFirst)[0]);
    for (const s of sent) {
        const h = matched.get(s);
        if (!h)
            plan.insert.push(s);
        else if (!same(h, s))
            plan.update.push({ id: h.id, before: withoutId(h), after: s });
    }
    const yesterday = addDays(today, -1);
    for (const h of free) {
        if (endedBefore(h, today))
            continue;
        if (h.valid_from !== null && h.valid_from >= today)
            plan.remove.push({ id: h.id, plate: h.plate });
        else
            plan.end.push({ id: h.id, plate: h.plate, valid_to: yesterday });
    }
    return plan;
}
const withoutId = ({ id: _id, ...v }) => v;
export const planIsEmpty = (p) => p.insert.length + p.update.length + p.end.length + p.remove.length === 0;
/** Whether two periods (null: open on that side) share a day. */
export function periodsOverlap(a, b) {
    const aFrom = a.valid_from ?? '0000-01-01';
    const aTo = a.valid_to ?? '9999-12-31';
    const bFrom = b.valid_from ?? '0000-01-01';
    const bTo = b.valid_to ?? '9999-12-31';
    return aFrom <= bTo && bFrom <= aTo;
}
/** The index of each vehicle sent whose plate is also sent earlier for a period sharing a day with it. */
export function overlappingPlates(vehicles) {
    return vehicles.flatMap((v, i) => (vehicles.slice(0, i).some((w) => vehicleKey(w) === vehicleKey(v) && periodsOverlap(v, w)) ? [i] : []));
}
//# sourceMappingURL=contracts.rules.js.map