import { isoDate } from '../../lib/clock.js';
import { roundCents } from '../../lib/money.js';
import { HISTORY_MONTHS, Rng, STATEMENT_MONTHS, VAT_BP, dateOf, luhnCheckDigit, monthEnd, monthIndexOf, pad, slug, } from './demo.kit.js';
import { ADDRESS_LINE2, CARS, COMPANIES, ENGLISH_NAMES, FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES, MOTOS, PLATE_LETTERS, STREETS, VANS, } from './demo.reference.js';
/** What a plan holds before the history steps fill it in: no contract, login, consent or mandate yet. */
export const notYetLived = () => ({
    contracts: [],
    activatedAt: null,
    paperlessFrom: null,
    paperlessUntil: null,
    signedMandate: null,
});
export function newDemoSet(clock) {
    const now = clock.now();
    const today = isoDate(now);
    const curMi = monthIndexOf(today);
    return {
        now,
        nowTs: now.toISOString(),
        today,
        curMi,
        windowMi: curMi - HISTORY_MONTHS,
        rng: new Rng(0x5eed_2015),
        ids: new Rng(0x1d5_c0de),
        parkIds: new Map(),
        customers: [],
        contracts: [],
        mandates: [],
        docs: [],
        invoiceByContractMonth: new Map(),
        discountByContractMonth: new Map(),
        usedNames: new Set(),
        usedEmails: new Set(),
        companyCount: 0,
        individualCount: 0,
        spaceCounter: 0,
    };
}
/** A timestamp, or now if it is later: nothing in the demo happens in the future. */
export const clampTs = (set, ts) => (ts > set.nowTs ? set.nowTs : ts);
/** A day of the month `monthsAgo` months before today (not after today). */
export function startDateMonthsAgo(set, monthsAgo) {
    const mi = set.curMi - monthsAgo;
    const maxDay = monthsAgo === 0 ? Number(set.today.slice(8, 10)) : 28;
    return dateOf(Math.floor(mi / 12), mi % 12, set.rng.int(1, maxDay));
}
function randomStart(set) {
    const r = set.rng.float();
    if (r < 0.15)
        return startDateMonthsAgo(set, set.rng.int(0, 3));
    if (r < 0.45)
        return startDateMonthsAgo(set, set.rng.int(4, 36));
    return startDateMonthsAgo(set, set.rng.int(37, 110));
}
/** An end date (last day of a past month, or of a quarter) at least 6 months after the start. */
function randomEnd(set, start, billing) {
    const startMi = monthIndexOf(start);
    const lo = Math.min(startMi + 6, set.curMi - 1);
    let endMi = set.rng.int(lo, set.curMi - 1);
    if (billing === 'quarterly')
        endMi = Math.floor(endMi / 3) * 3 - 1;
    if (endMi < startMi)
        endMi = billing === 'quarterly' ? Math.floor(startMi / 3) * 3 + 2 : startMi;
    return monthEnd(endMi);
}
function plate(set) {
    const l = () => set.rng.pick([...PLATE_LETTERS]);
    return `${l()}${l()}-${pad(set.rng.int(1, 999), 3)}-${l()}${l()}`;
}
function exitCountsFor(set) {
    // Every value 0..20 once (so every discount bracket appears), plus a few low counts.
    const base = Array.from({ length: 21 }, (_, i) => i);
    for (let i = base.length; i < STATEMENT_MONTHS; i++)
        base.push(set.rng.int(0, 6));
    return set.rng.shuffle(base);
}
/** The car park's monthly price HT of a product, from its price TTC. */
function monthlyHt(p, product) {
    const ttc = product === 'resident' || product === 'resident_petit_rouleur'
        ? p.residentTtc
        : product === 'moto'
            ? p.motoTtc
            : p.nonResidentTtc;
    return roundCents((ttc * 10_000) / (10_000 + VAT_BP));
}
/**
 * A fictional customer with the story of `traits`: names, address, phones and e-mail addresses
 * drawn at random (someone with a login has a primary address; a company a second one for its
 * accounts department, some individuals a personal one). `i` is the customer's position after
 * the manual's: 0 is CLT013262.
 */
export function addCustomer(set, i, traits) {
    const { rng } = set;
    const { kind, state, language } = traits;
    const number = `CLT${pad(13262 + i, 6)}`;
    let civility;
    let last;
    let first;
    if (language === 'en') {
        [last, first, civility] = rng.pick(ENGLISH_NAMES);
    }
    else {
        do {
            civility = rng.chance(0.5) ? 'M.' : 'Mme';
            first = rng.pick(civility === 'M.' ? FIRST_NAMES_M : FIRST_NAMES_F);
            last = rng.pick(LAST_NAMES);
        } while (set.usedNames.has(`${last} ${first}`));
    }
    set.usedNames.add(`${last} ${first}`);
    const company = kind === 'business' ? COMPANIES[set.companyCount++ % COMPANIES.length] : null;
    const [street, postal, city] = rng.pick(STREETS);
    const sirenBase = String(rng.int(10_000_000, 99_999_999));
    let emailLocal = `${slug(first)}.${slug(last)}`.replace(/-/g, '.');
    if (set.usedEmails.has(emailLocal))
        emailLocal = `${emailLocal}${i}`;
    set.usedEmails.add(emailLocal);
    const customer = {
        isManual: false,
        state,
        paysOnline: traits.paysOnline,
        offline: traits.offline,
        paperless: traits.paperless,
        mandate: traits.mandate,
        ending: traits.ending,
        creditNotes: traits.creditNotes,
        creditOnLatest: traits.creditOnLatest,
        secondary: traits.secondary,
        activatedMonthsAgo: traits.activatedMonthsAgo ?? null,
        ...notYetLived(),
        row: {
            id: set.ids.uuid(),
            number,
            kind,
            civility,
            last_name: last,
            first_name: first,
            company_name: company,
            siren: kind === 'business' ? `${sirenBase}${luhnCheckDigit(sirenBase)}` : null,
            address_line1: `${rng.int(1, 180)}${rng.chance(0.1) ? ' BIS' : ''} ${street}`,
            address_line2: rng.chance(0.2) ? rng.pick(ADDRESS_LINE2) : null,
            postal_code: postal,
            city,
            country: 'France',
            phone: rng.chance(0.4) || kind === 'business' ? `01 ${pad(rng.int(40, 49))} ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))}` : null,
            mobile_phone: rng.chance(0.8) ? `0${rng.pick([6, 7])} ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))}` : null,
            email_primary: null,
            email_primary_verified_at: null,
            email_secondary: null,
            email_secondary_verified_at: null,
            paperless: 0,
            paperless_changed_at: null,
            language,
            created_at: '',
            updated_at: '',
        },
    };
    if (state === 'active') {
        customer.row.email_primary =
            kind === 'business'
                ? `${emailLocal}@${slug(company ?? 'societe')}.example.com`
                : `${emailLocal}@${language === 'en' ? 'example.com' : 'example.fr'}`;
        if (kind === 'business')
            customer.row.email_secondary = `comptabilite@${slug(company ?? 'societe')}.example.com`;
        else if (traits.secondary !== 'none')
            customer.row.email_secondary = `${emailLocal}.perso@example.com`;
    }
    set.customers.push(customer);
    return customer;
}
/**
 * A contract of a customer in a car park; what the options leave open is drawn (start, end,
 * space, vehicles). Its number is given later, by `numberContracts`; whether it is paid by
 * direct debit, by `signMandates`.
 */
export function addContract(set, customer, p, product, o = {}) {
    const { rng } = set;
    const billing = o.billing ?? 'monthly';
    let start = o.start ?? randomStart(set);
    let ended = o.ended ?? false;
    if (ended && monthIndexOf(start) > set.curMi - 8)
        start = startDateMonthsAgo(set, rng.int(12, 90));
    const end = ended ? randomEnd(set, start, billing) : null;
    if (end && end < start)
        ended = false;
    const spaces = o.spaces ?? 1;
    const perMonth = monthlyHt(p, product);
    set.spaceCounter++;
    const level = rng.int(1, 4);
    const firstSpace = rng.int(1, 240);
    const spaceLabel = product === 'moto'
        ? `Zone moto, emplacement M${rng.int(1, 40)}`
        : product === 'non_resident'
            ? null
            : spaces > 1
                ? `Niveau -${level}, places ${firstSpace} à ${firstSpace + spaces - 1}`
                : `Niveau -${level}, place ${firstSpace}`;
    const vehicles = Array.from({ length: product === 'business' ? rng.int(1, 3) : 1 }, () => ({
        plate: plate(set),
        description: product === 'moto' ? rng.pick(MOTOS) : product === 'business' && rng.chance(0.6) ? rng.pick(VANS) : rng.pick(CARS),
    }));
    const c = {
        id: set.ids.uuid(),
        number: '',
        customer,
        park: p,
        product,
        billing,
        status: ended && end ? 'ended' : 'active',
        start,
        end: ended ? end : null,
        spaces,
        unitHt: billing === 'quarterly' ? perMonth * 3 : perMonth,
        directDebit: false,
        exitCounts: product === 'resident_petit_rouleur' ? exitCountsFor(set) : null,
        badge: `BDG${pad(4512 + set.spaceCounter * 37, 6)}`,
        spaceLabel,
        vehicles,
    };
    customer.contracts.push(c);
    set.contracts.push(c);
    return c;
}
/**
 * Contract numbers of everyone but the manual's customer (whose number is the manual's):
 * YY (start year) + CT + car park prefix + a global sequence, in start order.
 */
export function numberContracts(set) {
    const others = set.contracts.filter((c) => !c.customer.isManual).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    others.forEach((c, k) => {
        c.number = contractNumber(c.start, c.park.prefix, 126 + k);
    });
}
/** A contract's number: YY (start year) + CT + the car park's prefix + the operator's sequence number. */
export const contractNumber = (start, parkPrefix, sequence) => `${start.slice(2, 4)}CT${parkPrefix}${sequence}`;
//# sourceMappingURL=demo.plans.js.map