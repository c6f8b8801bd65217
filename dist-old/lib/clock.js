import { randomFillSync } from 'node:crypto';
export const systemClock = { now: () => new Date() };
export function manualClock(start = new Date()) {
    let t = start.getTime();
    return {
        now: () => new Date(t),
        advance: (ms) => {
            t += ms;
        },
        set: (d) => {
            t = d.getTime();
        },
    };
}
export const nowIso = (clock) => clock.now().toISOString();
/** Random bytes drawn a few kilobytes at a time: one draw serves 256 ids. */
const entropy = Buffer.alloc(4096);
let entropyUsed = entropy.length;
/**
 * A new row's id: a UUID version 7 (RFC 9562) — the instant in milliseconds (48 bits, the
 * system's real time, not the business clock: an id is not a date), then 74 random bits.
 * Ids made one after another sort one after another, so every index keyed by an id grows at
 * its end instead of at random pages: the batch API wrote twice as many documents a second
 * once its ids stopped being random (decision 015). Unguessable all the same (74 random bits),
 * and every route checks whose the row is anyway.
 */
export function newId() {
    if (entropyUsed + 16 > entropy.length) {
        randomFillSync(entropy);
        entropyUsed = 0;
    }
    const b = Buffer.from(entropy.subarray(entropyUsed, entropyUsed + 16));
    entropyUsed += 16;
    b.writeUIntBE(Date.now(), 0, 6);
    b[6] = (b[6] & 0x0f) | 0x70; // version 7
    b[8] = (b[8] & 0x3f) | 0x80; // variant 10
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** `YYYY-MM-DD` of a Date in UTC. */
export const isoDate = (d) => d.toISOString().slice(0, 10);
/** The calendar day `days` after `isoDay` (`YYYY-MM-DD`; negative: before). */
export const addDays = (isoDay, days) => isoDate(new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * DAY));
/** `YYYY-MM-DD` of the calendar day in Paris at that instant (customers' days are Paris days). */
const parisDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
export const parisDate = (d) => parisDay.format(d);
//# sourceMappingURL=clock.js.map