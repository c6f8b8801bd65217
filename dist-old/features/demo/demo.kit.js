import { DAY, isoDate } from '../../lib/clock.js';
import { documentTotals, lineAmounts } from '../../lib/money.js';
/*
 * The demo seed's tools: a seeded PRNG, arithmetic on ISO dates and month indexes
 * (year × 12 + month − 1), and the small formatting the invoices of the demo need.
 * Nothing here reads the clock or the database.
 */
/** The portal shows 5 years; the seed goes back a little further, never more than 6 years. */
export const HISTORY_MONTHS = 72;
/** Petit rouleur: months of exit statements, the ones before the current month. */
export const STATEMENT_MONTHS = 24;
export const VAT_BP = 2000;
function mulberry32(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
export class Rng {
    next;
    constructor(seed) {
        this.next = mulberry32(seed);
    }
    float() {
        return this.next();
    }
    /** Integer in [min, max], both included. */
    int(min, max) {
        return min + Math.floor(this.next() * (max - min + 1));
    }
    chance(p) {
        return this.next() < p;
    }
    pick(items) {
        return items[Math.floor(this.next() * items.length)];
    }
    shuffle(items) {
        const out = [...items];
        for (let i = out.length - 1; i > 0; i--) {
            const j = Math.floor(this.next() * (i + 1));
            [out[i], out[j]] = [out[j], out[i]];
        }
        return out;
    }
    /** A version-4-shaped UUID drawn from the PRNG, so that a re-run gives the same ids. */
    uuid() {
        const hex = Array.from({ length: 4 }, () => ((this.next() * 2 ** 32) >>> 0).toString(16).padStart(8, '0')).join('');
        const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    }
}
export const pad = (n, width = 2) => String(n).padStart(width, '0');
export const dateOf = (y, m0, d) => isoDate(new Date(Date.UTC(y, m0, d)));
const parseDate = (s) => new Date(`${s}T00:00:00.000Z`);
export const addDays = (s, n) => isoDate(new Date(parseDate(s).getTime() + n * DAY));
export const daysBetween = (a, b) => Math.round((parseDate(b).getTime() - parseDate(a).getTime()) / DAY);
export const monthIndexOf = (s) => Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7)) - 1;
export const monthStart = (mi) => dateOf(Math.floor(mi / 12), mi % 12, 1);
export const monthEnd = (mi) => dateOf(Math.floor(mi / 12), (mi % 12) + 1, 0);
export const yearMonth = (mi) => `${Math.floor(mi / 12)}-${pad((mi % 12) + 1)}`;
/** `09/12` */
export const dayMonthFr = (s) => `${s.slice(8, 10)}/${s.slice(5, 7)}`;
/** ISO timestamp of a date at a UTC time of day. */
export const at = (date, h = 0, m = 0) => `${date}T${pad(h)}:${pad(m)}:00.000Z`;
export const addMs = (ts, ms) => new Date(new Date(ts).getTime() + ms).toISOString();
const MONTHS_FR = [
    'janvier', 'février', 'mars', 'avril', 'mai', 'juin',
    'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre',
];
export const monthNameFr = (mi) => `${MONTHS_FR[mi % 12]} ${Math.floor(mi / 12)}`;
export const formatRateFr = (bp) => `${(bp / 100).toLocaleString('fr-FR')} %`;
export function luhnCheckDigit(base) {
    let sum = 0;
    for (let i = 0; i < base.length; i++) {
        let d = Number(base[base.length - 1 - i]);
        if (i % 2 === 0) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return (10 - (sum % 10)) % 10;
}
/**
 * A French IBAN of a bank, branch and 11-digit account: the RIB key (the national check
 * digits) then the IBAN's own (ISO 13616, mod 97).
 */
export function frenchIban(bank, branch, account) {
    const ribKey = 97 - Number((89n * BigInt(bank) + 15n * BigInt(branch) + 3n * BigInt(account)) % 97n);
    const bban = `${bank}${branch}${account}${pad(ribKey)}`;
    // "FR00" moved to the end, letters as numbers: F = 15, R = 27.
    const check = 98 - Number(BigInt(`${bban}152700`) % 97n);
    return `FR${pad(check)}${bban}`;
}
export const slug = (s) => s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
export function totalsOf(lines) {
    return documentTotals(lines.map((l) => ({ ...lineAmounts(l.unit_price_ht_cents, l.quantity_milli, VAT_BP), vat_rate_bp: VAT_BP })));
}
//# sourceMappingURL=demo.kit.js.map