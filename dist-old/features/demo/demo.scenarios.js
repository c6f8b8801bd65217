import { STATEMENT_MONTHS, addDays, at, monthEnd, monthIndexOf, monthStart } from './demo.kit.js';
import { addContract, addCustomer, notYetLived, startDateMonthsAgo, } from './demo.plans.js';
import { MOTO_PARKS, PARKS, parkByCode } from './demo.reference.js';
import { storedHours } from '../public/public.rules.js';
/*
 * The people of the demo, each telling one story a customer-service agent would recognise:
 * how they pay, what they owe, what they signed. One builder per story; `seedDemo` calls the
 * three known logins' builders, then `ordinarySubscribers` calls the others in the order of
 * `CAST`, each drawing its random choices after the previous one's.
 *
 *   CLT013261  the manual's new subscriber: one invoice, for his first partial month, due
 *   CLT013262  a petit rouleur paying online, paperless
 *   CLT013263  a business under a direct-debit mandate, a credit note correcting an invoice
 *   CLT013264… the cast below; CLT013272 pays online and owes an invoice a credit note reduced
 */
/** The operator's car parks, each given an id. */
export function carParksOfTheOperator(set) {
    return PARKS.map((p) => {
        const id = set.ids.uuid();
        set.parkIds.set(p.code, id);
        return {
            id,
            code: p.code,
            name: p.name,
            address_line: p.address_line,
            postal_code: p.postal_code,
            city: 'Paris',
            phone: p.phone,
            email: `${p.code.toLowerCase()}@parkings-demo.example`,
            opening_hours: storedHours(p.opening_hours),
            services: JSON.stringify(p.services),
            petit_rouleur_30: p.petit_rouleur_30,
            created_at: at(monthStart(set.windowMi - 48)),
        };
    });
}
/** Days of the manual's first, partial month: 23, as from 9 December to the 31st. */
export const MANUAL_FIRST_DAYS = 23;
/**
 * Start date of the manual's contract, which is also the date of its invoice 15FV25832: the
 * day that leaves 23 days to the end of this month (the 9th of a 31-day month, the 8th of a
 * 30-day one), so that the invoice is always this month's and the only one — 23 days at the
 * daily rate and the badge make its 212,80 € in every month. Before that day in the month, the
 * contract starts on it all the same (signed up in advance): its invoice is then dated today.
 */
export function manualContractStart(today) {
    return addDays(monthEnd(monthIndexOf(today)), -(MANUAL_FIRST_DAYS - 1));
}
/**
 * The customer of the French manual, CLT013261 DURAND FRANCOIS: a resident who has just
 * subscribed at CARDINET (contract 15CTCARD125) and received his first invoice, 15FV25832, for
 * the rest of the month and his badge, 212,80 €, not paid yet, by post with his temporary
 * password: he has not logged in yet and gets paper. His temporary password is issued when
 * the data is written; the invoices and payments steps know him by `isManual`.
 */
export function newSubscriberOfTheManual(set) {
    const start = manualContractStart(set.today);
    const manual = {
        isManual: true,
        state: 'not_activated',
        paysOnline: false,
        offline: 'cheque',
        paperless: 'never',
        mandate: null,
        ending: { kind: 'new' },
        creditNotes: 0,
        creditOnLatest: false,
        secondary: 'none',
        activatedMonthsAgo: null,
        ...notYetLived(),
        row: {
            id: set.ids.uuid(),
            number: 'CLT013261',
            kind: 'individual',
            civility: 'M.',
            last_name: 'DURAND',
            first_name: 'FRANCOIS',
            company_name: null,
            siren: null,
            address_line1: '1 RUE DE LA PAIX',
            address_line2: null,
            postal_code: '75008',
            city: 'PARIS',
            country: 'France',
            phone: '01 42 65 18 30',
            mobile_phone: null,
            email_primary: null,
            email_primary_verified_at: null,
            email_secondary: null,
            email_secondary_verified_at: null,
            paperless: 0,
            paperless_changed_at: null,
            language: 'fr',
            created_at: at(start),
            updated_at: at(start),
        },
    };
    const contract = {
        id: set.ids.uuid(),
        number: '15CTCARD125',
        customer: manual,
        park: parkByCode('CARDINET'),
        product: 'resident',
        billing: 'monthly',
        status: 'active',
        start,
        end: null,
        spaces: 1,
        unitHt: 21667,
        directDebit: false,
        exitCounts: null,
        badge: 'BDG004512',
        spaceLabel: 'Niveau -2, place 117',
        vehicles: [{ plate: 'AB-123-CD', description: 'Peugeot 308 grise' }],
    };
    manual.contracts.push(contract);
    set.customers.push(manual);
    set.contracts.push(contract);
    set.usedNames.add('DURAND FRANCOIS');
    return manual;
}
/** The traits every story starts from: an individual in French who pays everything, by cheque. */
const base = {
    kind: 'individual',
    language: 'fr',
    state: 'active',
    paysOnline: false,
    offline: 'cheque',
    paperless: 'never',
    mandate: null,
    ending: { kind: 'paid' },
    creditNotes: 0,
    creditOnLatest: false,
    secondary: 'none',
};
/**
 * CLT013262: a resident at GAMBETTA for years who switched to the petit-rouleur subscription
 * there two years ago (STATEMENT_MONTHS of statements, each discount as billed). Paid by
 * cheque on paper until he activated his login, about two years ago; paperless and paying
 * online since. A credit note once made up for a faulty access door.
 */
export function petitRouleurPayingOnline(set) {
    const customer = addCustomer(set, 0, { ...base, paysOnline: true, paperless: 'since_activation', creditNotes: 1, activatedMonthsAgo: 26 });
    const g = parkByCode('GAMBETTA');
    const old = addContract(set, customer, g, 'resident', { start: startDateMonthsAgo(set, 80), ended: false });
    old.status = 'ended';
    old.end = monthEnd(set.curMi - STATEMENT_MONTHS - 1);
    addContract(set, customer, g, 'resident_petit_rouleur', { start: monthStart(set.curMi - STATEMENT_MONTHS) });
}
/**
 * CLT013263: a company with four contracts in four car parks — monthly, one for three spaces;
 * quarterly, one for two spaces, one ended. Paid by transfer until it signed a paper mandate
 * about three years ago; every contract current since then is debited on its due date. Its
 * accounts department reads the invoices online. A credit note corrected an invoice.
 */
export function businessUnderMandate(set) {
    const customer = addCustomer(set, 1, {
        ...base,
        kind: 'business',
        offline: 'transfer',
        paperless: 'since_activation',
        secondary: 'verified',
        mandate: { signed: 'later', monthsAgo: 34 },
        creditNotes: 2,
        activatedMonthsAgo: 35,
    });
    const parks = ['WAGRAM', 'CARDINET', 'BATIGNOLLES', 'MAINE'].map(parkByCode);
    addContract(set, customer, parks[0], 'business', { start: startDateMonthsAgo(set, 75), spaces: 3 });
    addContract(set, customer, parks[1], 'business', { start: startDateMonthsAgo(set, 40) });
    addContract(set, customer, parks[2], 'business', { billing: 'quarterly', start: startDateMonthsAgo(set, 30), spaces: 2 });
    const ended = addContract(set, customer, parks[3], 'business', { billing: 'quarterly', start: startDateMonthsAgo(set, 66) });
    ended.status = 'ended';
    ended.end = monthEnd(Math.floor((set.curMi - 44) / 3) * 3 - 1);
}
/** Products of the individuals, taken in turn. */
const INDIVIDUAL_PRODUCTS = ['resident', 'non_resident', 'resident_petit_rouleur', 'moto', 'resident', 'non_resident', 'resident'];
/**
 * An individual with the story's traits and the next product's contract (and perhaps a
 * motorbike's, or an older one ended). `since`: the contract started that many months ago, at
 * least, so that the story has a history to tell. A former subscriber's contracts all ended.
 */
function individual(set, i, traits, o = {}) {
    const customer = addCustomer(set, i, { ...base, ...traits });
    const product = o.product ?? INDIVIDUAL_PRODUCTS[set.individualCount++ % INDIVIDUAL_PRODUCTS.length];
    const { rng } = set;
    const p = product === 'moto' ? rng.pick(MOTO_PARKS) : rng.pick(PARKS);
    if (product === 'resident_petit_rouleur') {
        addContract(set, customer, p, product, { start: startDateMonthsAgo(set, STATEMENT_MONTHS) });
    }
    else if (o.former) {
        // Subscribed some years ago, left a few months ago.
        const main = addContract(set, customer, p, product, { start: startDateMonthsAgo(set, rng.int(30, 60)) });
        main.status = 'ended';
        main.end = monthEnd(set.curMi - rng.int(4, 12));
    }
    else {
        addContract(set, customer, p, product, {
            billing: product === 'non_resident' && rng.chance(0.3) ? 'quarterly' : 'monthly',
            start: o.since ? startDateMonthsAgo(set, rng.int(o.since, 60)) : undefined,
        });
    }
    if (!o.former && product !== 'moto' && rng.chance(0.15))
        addContract(set, customer, rng.pick(MOTO_PARKS), 'moto');
    if (o.former || i % 4 === 0)
        addContract(set, customer, rng.pick(PARKS), rng.pick(['resident', 'non_resident']), { ended: true });
    return customer;
}
/** A company with two to five contracts in different car parks, all monthly or all quarterly. */
function company(set, i, traits) {
    const customer = addCustomer(set, i, { ...base, kind: 'business', offline: 'transfer', paperless: 'since_activation', secondary: 'verified', ...traits });
    const { rng } = set;
    const n = rng.int(2, 5);
    const quarterly = set.companyCount % 3 === 0;
    const parks = rng.shuffle(PARKS);
    for (let k = 0; k < n; k++) {
        addContract(set, customer, parks[k], 'business', {
            billing: quarterly ? 'quarterly' : 'monthly',
            spaces: rng.int(1, 3),
            ended: k > 0 && rng.chance(0.15),
        });
    }
    return customer;
}
const english = (i) => (i % 3 === 0 ? 'en' : 'fr');
const counterMethod = (i) => ['cheque', 'cash', 'transfer', 'cheque'][i % 4];
/** Activated, paperless since, pays each invoice online within a few days; by cheque on paper before. */
const paysOnline = (set, i) => {
    individual(set, i, { paysOnline: true, paperless: 'since_activation', language: english(i), secondary: i % 5 === 0 ? 'verified' : 'none', creditNotes: i % 3 === 1 ? 1 : 0 });
};
/** Never logged in, gets paper, pays at the counter (cheque, cash) or by transfer. */
const paysAtTheCounter = (set, i) => {
    individual(set, i, { state: 'not_activated', offline: counterMethod(i), creditNotes: i % 4 === 1 ? 1 : 0 });
};
/** Debited under a paper mandate signed at the subscription or later on; before it, by cheque or transfer. Some never logged in. */
const debitedUnderMandate = (set, i) => {
    const activated = i % 3 !== 0;
    individual(set, i, {
        state: activated ? 'active' : 'not_activated',
        paperless: activated ? 'since_activation' : 'never',
        offline: i % 2 === 0 ? 'cheque' : 'transfer',
        mandate: { signed: i % 2 === 0 ? 'at_start' : 'later' },
        creditNotes: i % 2,
    });
};
/** A company paying each month's invoices (or quarter's) by one transfer. */
const companyByTransfer = (set, i) => {
    company(set, i, { creditNotes: 1 + (i % 2) });
};
/** A company debited under a paper mandate. */
const companyUnderMandate = (set, i) => {
    company(set, i, { mandate: { signed: i % 2 === 0 ? 'at_start' : 'later' }, creditNotes: 1 });
};
/** Pays online, paperless; the latest invoice, reduced by a credit note (works on the car park), is still to pay and overdue. */
const owesWithACreditNote = (set, i) => {
    individual(set, i, { paysOnline: true, paperless: 'since_activation', ending: { kind: 'late', lateDays: 40 }, creditNotes: 1, creditOnLatest: true }, { since: 8 });
};
/** Never logged in, pays by cheque at the counter, but the invoices of the last weeks are unpaid. */
const lateAtTheCounter = (set, i) => {
    individual(set, i, { state: 'not_activated', offline: 'cheque', ending: { kind: 'late', lateDays: i % 2 === 0 ? 75 : 45 } }, { since: 8 });
};
/** Debited under a mandate, until the latest debit was rejected by the bank: that invoice is unpaid. */
const lateWithRejectedDebit = (set, i) => {
    individual(set, i, { paperless: 'since_activation', offline: 'transfer', mandate: { signed: 'at_start' }, ending: { kind: 'late', lateDays: 40 } }, { since: 8 });
};
/** Never logged in; the latest invoice was paid in part by cheque, the rest is due. */
const partPaidAtTheCounter = (set, i) => {
    individual(set, i, { state: 'not_activated', offline: 'cheque', ending: { kind: 'partial' } }, { since: 8 });
};
/** Pays online; mailed a signed paper mandate lately, which customer service has still to validate: not debited yet. */
const mandateToValidate = (set, i) => {
    individual(set, i, { paysOnline: true, paperless: 'since_activation', mandate: { signed: 'lately', status: 'to_validate' }, activatedMonthsAgo: 14 }, { since: 20 });
};
/** Pays online; everything was paid when a credit note was granted: a credit to use on the next invoice. */
const creditToUse = (set, i) => {
    individual(set, i, { paysOnline: true, paperless: 'since_activation', ending: { kind: 'credit_to_use' }, creditNotes: 1 }, { since: 8 });
};
/** Paid online while paperless, then withdrew the consent in Profil: paper and cheques since. */
const backToPaper = (set, i) => {
    individual(set, i, { paysOnline: true, paperless: 'withdrawn', offline: 'cheque', activatedMonthsAgo: 30 }, { since: 36 });
};
/** A former subscriber: every contract ended months ago, everything paid (online while a subscriber). */
const formerSubscriber = (set, i) => {
    individual(set, i, { paysOnline: true, paperless: 'since_activation' }, { product: i % 2 === 0 ? 'resident' : 'non_resident', former: true });
};
/** Pays online; added a personal address yesterday, whose verification link is on its way. */
const newAddressToVerify = (set, i) => {
    individual(set, i, { paysOnline: true, paperless: 'since_activation', secondary: 'pending' });
};
/** Logs in to follow the account but keeps paper, and pays by transfer. */
const activeOnPaper = (set, i) => {
    individual(set, i, { offline: 'transfer', secondary: 'verified' });
};
/**
 * Customers CLT013264 to CLT013321, in order. CLT013272 (the ninth) is the README's customer
 * with something to pay and paperless consent.
 */
const CAST = [
    paysOnline, paysAtTheCounter, debitedUnderMandate, companyByTransfer, paysOnline,
    paysAtTheCounter, mandateToValidate, companyUnderMandate, owesWithACreditNote, paysOnline,
    lateAtTheCounter, debitedUnderMandate, creditToUse, paysAtTheCounter, companyByTransfer,
    backToPaper, paysOnline, lateWithRejectedDebit, paysAtTheCounter, debitedUnderMandate,
    paysOnline, partPaidAtTheCounter, companyUnderMandate, formerSubscriber, paysOnline,
    newAddressToVerify, paysAtTheCounter, debitedUnderMandate, companyByTransfer, paysOnline,
    owesWithACreditNote, paysAtTheCounter, activeOnPaper, debitedUnderMandate, paysOnline,
    lateAtTheCounter, companyUnderMandate, paysOnline, paysAtTheCounter, debitedUnderMandate,
    creditToUse, paysOnline, companyByTransfer, paysAtTheCounter, lateWithRejectedDebit,
    paysOnline, debitedUnderMandate, backToPaper, paysAtTheCounter, partPaidAtTheCounter,
    paysOnline, companyUnderMandate, formerSubscriber, debitedUnderMandate, paysOnline,
    paysAtTheCounter, companyByTransfer, paysOnline,
];
/** Everybody else, CLT013264 to CLT013321: the cast, in order. */
export function ordinarySubscribers(set) {
    CAST.forEach((story, k) => story(set, k + 2));
}
//# sourceMappingURL=demo.scenarios.js.map