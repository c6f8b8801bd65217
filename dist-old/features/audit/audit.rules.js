import { HOUR, parisDate } from '../../lib/clock.js';
/*
 * How the audit log is read: Paris days as UTC bounds, the cursor of a page, an entry's
 * details as lines to show.
 */
/** Entries on one page of the log. */
export const AUDIT_PAGE_SIZE = 50;
/**
 * The instant a Paris calendar day (`YYYY-MM-DD`) starts, as an ISO timestamp in UTC: midnight
 * in Paris is 23:00 or 22:00 UTC the day before, by the season. Null when it is not a date.
 */
export function parisDayStart(date) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!m)
        return null;
    const utcMidnight = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (new Date(utcMidnight).toISOString().slice(0, 10) !== date)
        return null;
    for (const offset of [2, 1]) {
        const t = utcMidnight - offset * HOUR;
        if (parisDate(new Date(t)) === date && parisDate(new Date(t - 1)) !== date)
            return new Date(t).toISOString();
    }
    return null;
}
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)~([0-9a-f-]{36})$/;
export const cursorText = (c) => `${c.at}~${c.id}`;
export function readCursor(text) {
    const m = text ? CURSOR.exec(text) : null;
    return m ? { at: m[1], id: m[2] } : null;
}
const valueText = (v) => (typeof v === 'string' ? v : v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
/**
 * An entry's details (a JSON object, already without secrets) as `key: value` lines; a change
 * recorded as `{ changes: { field: [old, new] } }` as one `field: old → new` line per field.
 */
export function detailLines(details) {
    if (!details)
        return [];
    let parsed;
    try {
        parsed = JSON.parse(details);
    }
    catch {
        return [{ key: '', value: details }];
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        return [{ key: '', value: valueText(parsed) }];
    return Object.entries(parsed).flatMap(([key, value]) => {
        if (key === 'changes' && value && typeof value === 'object' && !Array.isArray(value)) {
            return Object.entries(value).map(([field, change]) => Array.isArray(change) && change.length === 2 ? { key: field, value: `${valueText(change[0])} → ${valueText(change[1])}` } : { key: field, value: valueText(change) });
        }
        return [{ key, value: valueText(value) }];
    });
}
//# sourceMappingURL=audit.rules.js.map