import { DAY, HOUR, MINUTE } from '../../lib/clock.js';
import { lineAmounts, roundCents } from '../../lib/money.js';
import { hashToken } from '../../lib/tokens.js';
import { VERIFICATION_TTL_MS } from '../auth/verify.service.js';
import { displayName } from '../customers/customers.service.js';
import { paperRum } from '../direct-debit/direct-debit.rules.js';
import { discountRateBp } from '../statements/statements.rules.js';
import { STATEMENT_MONTHS, VAT_BP, addDays, addMs, at, dayMonthFr, daysBetween, formatRateFr, frenchIban, monthEnd, monthIndexOf, monthNameFr, monthStart, pad, totalsOf, yearMonth, } from './demo.kit.js';
import { clampTs, startDateMonthsAgo, } from './demo.plans.js';
import { BANKS, CREDIT_REASONS, PRODUCT_LABELS, SIGNATURE_PLACES, SPACE_BILLED_TWICE } from './demo.reference.js';
import { MANUAL_FIRST_DAYS } from './demo.scenarios.js';
/*
 * What happened to the demo's customers over the years, once they and their contracts are
 * planned: their logins and paperless consent, the mandates they signed, every period billed,
 * the credit notes, document numbers, payments (each the way the customer paid at that
 * moment: debited under a mandate, online while paperless, else at the counter or by
 * transfer), petit-rouleur statements and exits. The steps run in the order `seedDemo` lists
 * them; each draws its random choices after the previous one.
 */
/** The badge every new contract pays for, per space, HT. */
export const BADGE_HT = 1656;
/** A first, partial period is billed by the day: the monthly price HT ÷ 31, to the cent. */
export const dailyRateHt = (monthlyHt) => roundCents(monthlyHt / 31);
const dailyRate = (c) => dailyRateHt(c.unitHt / (c.billing === 'quarterly' ? 3 : 1));
/** A mandate's first debit comes at least this many days after its signature. */
const FIRST_DEBIT_DAYS = 7;
const firstStartOf = (customer) => customer.contracts.map((c) => c.start).sort()[0];
const lastEndOf = (customer) => customer.contracts.every((c) => c.end) ? customer.contracts.map((c) => c.end).sort().at(-1) : null;
const maxTs = (...ts) => ts.filter((t) => t !== null).sort().at(-1);
// ---------------------------------------------------------------- logins and paperless consent
/**
 * When each customer with a login activated it — within the last three years, or when the
 * scenario says, never before their first contract nor, for a former subscriber, after their
 * last — and the paperless consent given then (withdrawn later for some). Decided before the
 * payments, which follow it: nobody pays online before logging in, nor without the consent.
 */
export function openCustomerLogins(set) {
    const { rng, now } = set;
    for (const customer of set.customers) {
        const firstStart = firstStartOf(customer);
        customer.row.created_at = at(firstStart);
        customer.row.updated_at = at(firstStart);
        if (customer.state !== 'active')
            continue;
        const lo = Math.max(new Date(at(firstStart)).getTime() + DAY, now.getTime() - 3 * 365 * DAY);
        const lastEnd = lastEndOf(customer);
        let hi = lastEnd ? new Date(at(lastEnd, 18)).getTime() : now.getTime() - 2 * HOUR;
        if (customer.mandate?.signed === 'lately')
            hi = now.getTime() - 40 * DAY;
        let activated;
        if (customer.activatedMonthsAgo !== null) {
            activated = new Date(at(startDateMonthsAgo(set, customer.activatedMonthsAgo), rng.int(8, 21), rng.int(0, 59))).getTime();
            activated = Math.min(Math.max(activated, new Date(at(firstStart)).getTime() + DAY), now.getTime() - 2 * HOUR);
        }
        else {
            activated = lo < hi ? lo + Math.floor(rng.float() * (hi - lo)) : hi;
        }
        customer.activatedAt = new Date(activated).toISOString();
        if (customer.paperless !== 'never')
            customer.paperlessFrom = customer.activatedAt;
        if (customer.paperless === 'withdrawn') {
            const until = now.getTime() - 30 * DAY;
            customer.paperlessUntil = new Date(activated + Math.floor((0.4 + 0.4 * rng.float()) * Math.max(0, until - activated))).toISOString();
        }
    }
}
/** Whether the customer's paperless consent is in force at `ts`: what online payment needs. */
export const paperlessAt = (customer, ts) => customer.paperlessFrom !== null && customer.paperlessFrom <= ts && (customer.paperlessUntil === null || ts < customer.paperlessUntil);
// ---------------------------------------------------------------- mandates
/**
 * The paper mandates: printed (its RUM the moment of printing, `paperRum`), signed, mailed or
 * handed in, recorded by customer service — at the subscription, later on, or lately and still
 * to validate. A mandate covers every contract of the customer not ended before it was signed;
 * those of an active mandate are paid by direct debit.
 */
export function signMandates(set) {
    const { rng, today } = set;
    for (const customer of set.customers) {
        const story = customer.mandate;
        if (!story)
            continue;
        const firstStart = firstStartOf(customer);
        let signedDate;
        if (story.signed === 'lately')
            signedDate = addDays(today, -rng.int(7, 10));
        else if (story.signed === 'at_start')
            signedDate = addDays(firstStart, -rng.int(0, 5));
        else if (story.monthsAgo !== undefined)
            signedDate = startDateMonthsAgo(set, story.monthsAgo);
        else {
            const from = addDays(firstStart, 90);
            const to = addDays(today, -60);
            signedDate = from < to ? addDays(from, rng.int(0, daysBetween(from, to))) : addDays(firstStart, -rng.int(0, 5));
        }
        // At the subscription, printed, signed and recorded at the counter within the hour; else
        // printed some days before, mailed, recorded some days after.
        const atCounter = story.signed === 'at_start';
        const signedAt = clampTs(set, at(signedDate, atCounter ? 16 : 10, rng.int(0, 59)));
        const printedAt = atCounter ? addMs(signedAt, -20 * MINUTE) : at(addDays(signedDate, -rng.int(1, 10)), rng.int(8, 21), rng.int(0, 59));
        const recordedAt = clampTs(set, story.signed === 'lately'
            ? at(addDays(today, -rng.int(1, 3)), 9, rng.int(0, 59))
            : atCounter
                ? addMs(signedAt, 30 * MINUTE)
                : at(addDays(signedDate, rng.int(2, 6)), 15, rng.int(0, 59)));
        const status = story.signed === 'lately' ? story.status : 'active';
        const contracts = customer.contracts.filter((c) => (c.end === null || c.end >= signedDate) && (status === 'active' || c.status === 'active'));
        const [bank, bic] = rng.pick(BANKS);
        const mandate = {
            id: set.ids.uuid(),
            rum: paperRum(customer.row.number, new Date(printedAt)),
            customer,
            status,
            printedAt,
            signedAt,
            recordedAt,
            contracts,
            iban: frenchIban(bank, pad(rng.int(1, 99_999), 5), pad(rng.int(0, 99_999_999_999), 11)),
            bic,
        };
        customer.signedMandate = mandate;
        set.mandates.push(mandate);
        if (status === 'active')
            for (const c of contracts)
                c.directDebit = true;
    }
}
/** The mandate that debits this invoice on its due date, if any. */
function debitingMandate(d) {
    const m = d.customer.signedMandate;
    if (!m || m.status !== 'active' || !d.due || !m.contracts.includes(d.contract))
        return null;
    return d.due >= addDays(m.signedAt.slice(0, 10), FIRST_DEBIT_DAYS) ? m : null;
}
function addInvoice(set, c, d) {
    const doc = {
        ...d,
        id: set.ids.uuid(),
        number: '',
        kind: 'invoice',
        customer: c.customer,
        contract: c,
        correctsId: null,
        ttc: 0,
        credited: 0,
        applied: false,
    };
    doc.ttc = totalsOf(doc.lines).total_ttc_cents;
    set.docs.push(doc);
    set.invoiceByContractMonth.set(`${c.id}|${d.periodMonth}`, doc);
    return doc;
}
/** Invoices of every contract, one per billing period inside the history window, up to today. */
export function billEveryPeriod(set) {
    for (const c of set.contracts)
        billContract(set, c);
}
/**
 * A contract's invoices: the first one from the start date, by the day, with the badge; then
 * one per month or quarter, in advance — a petit rouleur's in arrears, with the month's
 * discount. The manual's first invoice is dated today when his contract starts later this month.
 */
function billContract(set, c) {
    const { rng, curMi, today } = set;
    const startMi = monthIndexOf(c.start);
    const lastMi = c.end ? monthIndexOf(c.end) : curMi;
    const label = `${PRODUCT_LABELS[c.product]} ${c.park.name}`;
    const spacesNote = c.spaces > 1 ? ` (${c.spaces} places)` : '';
    const inArrears = c.product === 'resident_petit_rouleur';
    const step = c.billing === 'quarterly' ? 3 : 1;
    const firstPeriodMi = Math.floor(startMi / step) * step;
    for (let pmi = firstPeriodMi; pmi <= lastMi; pmi += step) {
        if (pmi < set.windowMi)
            continue;
        const isFirst = pmi === firstPeriodMi;
        const fullStart = monthStart(pmi);
        const pStart = isFirst ? c.start : fullStart;
        const pEnd = monthEnd(pmi + step - 1);
        let issue = inArrears ? monthStart(pmi + step) : isFirst ? c.start : fullStart;
        if (c.customer.isManual && issue > today)
            issue = today;
        if (issue > today)
            continue;
        const due = isFirst && !inArrears ? addDays(issue, 30) : addDays(issue, 9);
        const days = daysBetween(pStart, pEnd) + 1;
        const lines = [];
        const periodName = step === 3 ? `${pmi % 12 === 0 ? '1er' : `${(pmi % 12) / 3 + 1}e`} trimestre ${Math.floor(pmi / 12)}` : monthNameFr(pmi);
        if (pStart > fullStart) {
            lines.push({
                label: `${label} du ${dayMonthFr(pStart)} au ${dayMonthFr(pEnd)} : ${days} jours${spacesNote}`,
                quantity_milli: 1000 * days * c.spaces,
                unit_price_ht_cents: dailyRate(c),
            });
        }
        else {
            lines.push({ label: `${label} — ${periodName}${spacesNote}`, quantity_milli: 1000 * c.spaces, unit_price_ht_cents: c.unitHt });
        }
        if (isFirst && pStart === c.start) {
            lines.push({ label: 'Frais de badge', quantity_milli: 1000 * c.spaces, unit_price_ht_cents: BADGE_HT });
        }
        else if (rng.chance(0.01)) {
            lines.push({ label: 'Badge de remplacement', quantity_milli: 1000, unit_price_ht_cents: BADGE_HT });
        }
        const k = pmi - (curMi - STATEMENT_MONTHS);
        if (c.exitCounts && k >= 0 && k < STATEMENT_MONTHS) {
            const discount = petitRouleurDiscountLine(set, c, pmi, c.exitCounts[k], lines[0]);
            if (discount)
                lines.push(discount);
        }
        if (c.customer.isManual && isFirst && days !== MANUAL_FIRST_DAYS)
            throw new Error(`The manual's first invoice covers ${days} days`);
        addInvoice(set, c, { issue, periodStart: pStart, periodEnd: pEnd, due, periodMonth: pmi, lines });
    }
}
/**
 * A petit rouleur's discount for the month billed, as the statements page's rule gives it,
 * on the subscription line; kept for the month's statement even when it is nil (no line then).
 */
function petitRouleurDiscountLine(set, c, pmi, exits, subscription) {
    const bp = discountRateBp(exits, c.park.petit_rouleur_30 === 1);
    const subscriptionHt = lineAmounts(subscription.unit_price_ht_cents, subscription.quantity_milli, VAT_BP).total_ht_cents;
    const discount = roundCents((subscriptionHt * bp) / 10_000);
    set.discountByContractMonth.set(`${c.id}|${pmi}`, discount);
    if (discount <= 0)
        return null;
    return discountLine(pmi, exits, bp, discount);
}
/** The line of a petit rouleur's discount of `discountHt` for month `pmi` (a month index): `exits` exits, rate `bp`. */
export function discountLine(pmi, exits, bp, discountHt) {
    return {
        label: `Remise petit rouleur ${monthNameFr(pmi)} : ${exits} sortie${exits > 1 ? 's' : ''}, ${formatRateFr(bp)}`,
        quantity_milli: 1000,
        unit_price_ht_cents: -discountHt,
    };
}
// ---------------------------------------------------------------- credit notes
/**
 * Credit notes, each correcting one invoice: a commercial gesture for some days of trouble,
 * or a space billed once too often. Issued a few days after their invoice, before it is paid
 * or debited, they are set against it. The customer with a credit to use got theirs lately,
 * after paying everything: it waits for the next invoice.
 */
export function grantCreditNotes(set) {
    const { rng, today } = set;
    for (const customer of set.customers) {
        if (customer.creditNotes === 0)
            continue;
        const invoices = set.docs.filter((d) => d.customer === customer && d.kind === 'invoice').sort((a, b) => (a.issue < b.issue ? -1 : a.issue > b.issue ? 1 : 0));
        const credited = new Set();
        for (let n = 0; n < customer.creditNotes; n++) {
            let inv;
            let issue;
            let applied = true;
            if (n === 0 && customer.ending.kind === 'credit_to_use') {
                inv = invoices.filter((d) => d.issue <= addDays(today, -16)).at(-1);
                issue = addDays(today, -rng.int(1, 3));
                applied = false;
            }
            else if (n === 0 && customer.creditOnLatest) {
                inv = invoices.filter((d) => d.issue <= addDays(today, -5)).at(-1);
                issue = inv ? addDays(inv.issue, rng.int(2, 4)) : today;
            }
            else {
                const candidates = invoices.filter((d) => d.issue <= addDays(today, -40) && !credited.has(d));
                inv = candidates.length > 0 ? rng.pick(candidates) : undefined;
                issue = inv ? addDays(inv.issue, rng.int(2, 6)) : today;
            }
            if (!inv || credited.has(inv))
                continue;
            const c = inv.contract;
            const first = inv.lines[0];
            const line = c.spaces > 1 && first.quantity_milli === 1000 * c.spaces && n === 0
                ? { label: SPACE_BILLED_TWICE, quantity_milli: 1000, unit_price_ht_cents: c.unitHt }
                : gestureLine(set, c);
            const credit = {
                id: set.ids.uuid(),
                number: '',
                kind: 'credit_note',
                customer,
                contract: c,
                correctsId: inv.id,
                issue,
                periodStart: inv.periodStart,
                periodEnd: inv.periodEnd,
                due: null,
                periodMonth: inv.periodMonth,
                lines: [line],
                ttc: 0,
                credited: 0,
                applied,
            };
            credit.ttc = totalsOf(credit.lines).total_ttc_cents;
            if (credit.ttc >= inv.ttc)
                continue;
            credited.add(inv);
            if (applied)
                inv.credited = credit.ttc;
            set.docs.push(credit);
        }
    }
}
/** Some days of trouble, at the contract's daily rate for its spaces. */
function gestureLine(set, c) {
    const days = set.rng.int(3, 8);
    return gestureLineOf(set.rng.pick(CREDIT_REASONS), days, dailyRate(c) * c.spaces);
}
/** A commercial gesture for `days` days of trouble (`reason`, one of CREDIT_REASONS), at `dailyHt` a day. */
export function gestureLineOf(reason, days, dailyHt) {
    return { label: `${reason} (${days} jours)`, quantity_milli: 1000, unit_price_ht_cents: dailyHt * days };
}
// ---------------------------------------------------------------- numbers
/**
 * Document numbers: one series per year of issue and kind (`26FV00001`, `26AV00001`),
 * chronological, no gaps; the manual's invoice keeps its own number, 15FV25832, which no other
 * document takes. Returns the documents in that order.
 */
export function numberDocuments(set) {
    const orderKey = (d) => `${d.issue}|${d.kind}|${d.customer.row.number}|${d.contract?.number ?? ''}`;
    const ordered = [...set.docs].sort((a, b) => (orderKey(a) < orderKey(b) ? -1 : orderKey(a) > orderKey(b) ? 1 : 0));
    const seq = new Map();
    for (const d of ordered) {
        if (d.customer.isManual && d.kind === 'invoice' && d.periodStart === d.contract?.start) {
            d.number = '15FV25832';
            continue;
        }
        const series = documentSeries(d.kind, d.issue);
        let n = (seq.get(series) ?? 0) + 1;
        if (documentNumber(series, n) === '15FV25832')
            n++;
        seq.set(series, n);
        d.number = documentNumber(series, n);
    }
    return ordered;
}
/** The series a document is numbered in: its year of issue and kind (`26FV`, `26AV`). */
export const documentSeries = (kind, issue) => `${issue.slice(2, 4)}${kind === 'invoice' ? 'FV' : 'AV'}`;
/** The `n`th number of a series, from 1, without gaps: `26FV00001`. */
export const documentNumber = (series, n) => `${series}${pad(n, 5)}`;
/**
 * Payments and allocations, document by document in number order. An applied credit note
 * settles its part of its invoice; the rest is paid the way the customer paid at that moment:
 * debited on the due date when an active mandate covers the contract; else online, by card,
 * while paperless consent is in force (it comes with the login); else by the customer's own
 * way — cheque or cash at the counter, or transfer. Invoices of one customer paid at the same
 * moment are one payment (a company's monthly transfer, "Régler le solde", a debit). Then how
 * the account stands today: the late leave the invoices of their last weeks unpaid (a debit
 * rejected among them), the partial payers paid part of their latest, the manual's new
 * subscriber nothing; nothing is paid after now.
 */
export function settleInvoices(set, ordered) {
    const ledger = { set, payments: [], allocations: [], byMoment: new Map(), payDelay: new Map() };
    const latestIssue = new Map();
    for (const d of set.docs) {
        if (d.kind === 'invoice' && d.issue > (latestIssue.get(d.customer) ?? ''))
            latestIssue.set(d.customer, d.issue);
    }
    const creditFor = new Map();
    for (const d of set.docs)
        if (d.correctsId && d.applied)
            creditFor.set(d.correctsId, d);
    const partlyPaid = new Set();
    for (const d of ordered) {
        if (d.kind === 'credit_note') {
            if (d.applied)
                settleWithCreditNote(ledger, d);
            continue;
        }
        const customer = d.customer;
        const toPay = d.ttc - d.credited;
        if (toPay <= 0 || customer.ending.kind === 'new')
            continue;
        const mandate = debitingMandate(d);
        const ending = customer.ending;
        if (ending.kind === 'late' && daysBetween(d.issue, set.today) <= ending.lateDays) {
            // Unpaid; the debit presented on the due date was rejected.
            const presentedAt = mandate ? at(d.due, 6) : null;
            if (presentedAt && presentedAt <= set.nowTs) {
                ledger.payments.push({
                    id: set.ids.uuid(), customer_id: customer.row.id, method: 'direct_debit', provider: null, provider_reference: null,
                    status: 'failed', amount_cents: toPay, received_at: null, created_at: presentedAt,
                });
            }
            continue;
        }
        if (ending.kind === 'partial' && d.issue === latestIssue.get(customer) && !partlyPaid.has(customer)) {
            partlyPaid.add(customer);
            const amount = Math.max(1, Math.min(toPay - 1, roundCents(toPay * (0.3 + 0.4 * set.rng.float()))));
            const paidAt = at(addDays(d.issue, set.rng.int(1, 5)), 15, 5);
            if (paidAt <= set.nowTs)
                pay(ledger, d, customer.offline, amount, paidAt);
            continue;
        }
        const moment = mandate ? { method: 'direct_debit', at: at(d.due, 6) } : paymentMoment(ledger, d, creditFor.get(d.id));
        if (moment.at > set.nowTs)
            continue; // not paid yet: still due
        pay(ledger, d, moment.method, toPay, moment.at);
    }
    return { payments: ledger.payments, allocations: ledger.allocations };
}
function settleWithCreditNote(ledger, d) {
    ledger.allocations.push({
        id: ledger.set.ids.uuid(),
        invoice_id: d.correctsId,
        payment_id: null,
        credit_note_id: d.id,
        amount_cents: d.ttc,
        created_at: at(d.issue, 9),
    });
}
/**
 * When and how an invoice no mandate debits is paid: online within days while paperless,
 * else by cheque or cash some days after the issue, by transfer a little sooner; never before
 * its credit note. The invoices a customer got the same day are paid the same day.
 */
function paymentMoment(ledger, d, credit) {
    const { rng } = ledger.set;
    const customer = d.customer;
    const online = (ts) => customer.paysOnline && paperlessAt(customer, ts);
    const key = `${customer.row.id}|${d.issue}`;
    let delay = ledger.payDelay.get(key);
    const likely = online(at(addDays(d.issue, 2), 12)) ? 'card' : customer.offline;
    if (delay === undefined) {
        delay = likely === 'card' ? rng.int(0, 6) : likely === 'cheque' ? rng.int(4, 20) : likely === 'cash' ? rng.int(1, 15) : rng.int(2, 12);
        ledger.payDelay.set(key, delay);
    }
    let payDate = addDays(d.issue, delay);
    if (credit && payDate <= credit.issue)
        payDate = addDays(credit.issue, 1);
    const ts = at(payDate, 8 + (delay % 10), (delay * 7) % 60);
    return { method: online(ts) ? 'card' : customer.offline, at: ts };
}
/** A payment received at `ts`, allocated to one invoice; it joins the customer's payment of that moment and method, if any. */
function pay(ledger, d, method, amount, ts) {
    const { ids } = ledger.set;
    const key = `${d.customer.row.id}|${method}|${ts}`;
    let payment = ledger.byMoment.get(key);
    if (payment) {
        payment.amount_cents = payment.amount_cents + amount;
    }
    else {
        const id = ids.uuid();
        payment = {
            id, customer_id: d.customer.row.id, method,
            // Online payments went through the portal's provider (the sandbox, in the demo).
            provider: method === 'card' ? 'sandbox' : null,
            provider_reference: method === 'card' ? `sbx_${id.replace(/-/g, '')}` : null,
            status: 'succeeded', amount_cents: amount, received_at: ts, created_at: ts,
        };
        ledger.payments.push(payment);
        ledger.byMoment.set(key, payment);
    }
    ledger.allocations.push({ id: ids.uuid(), invoice_id: d.id, payment_id: payment.id, credit_note_id: null, amount_cents: amount, created_at: ts });
}
// ---------------------------------------------------------------- petit-rouleur statements
/**
 * Petit-rouleur statements of the STATEMENT_MONTHS months before this one, each pointing at the
 * invoice that carries its discount, most with the time of every exit.
 */
export function recordExitStatements(set) {
    const { rng, ids, curMi } = set;
    const statementRows = [];
    const exitRows = [];
    for (const c of set.contracts) {
        if (!c.exitCounts)
            continue;
        for (let k = 0; k < STATEMENT_MONTHS; k++) {
            const mi = curMi - STATEMENT_MONTHS + k;
            const count = c.exitCounts[k];
            const statementId = ids.uuid();
            statementRows.push({
                id: statementId,
                contract_id: c.id,
                month: yearMonth(mi),
                exit_count: count,
                document_id: set.invoiceByContractMonth.get(`${c.id}|${mi}`)?.id ?? null,
                discount_ht_cents: set.discountByContractMonth.get(`${c.id}|${mi}`) ?? null,
                created_at: clampTs(set, at(monthStart(mi + 1), 2)),
            });
            // Most months come with the detail of each exit; a few only with the count.
            if (count === 0 || rng.chance(0.15))
                continue;
            const firstDay = mi === monthIndexOf(c.start) ? Number(c.start.slice(8, 10)) : 1;
            const lastDay = Number(monthEnd(mi).slice(8, 10));
            const times = [];
            for (let e = 0; e < count; e++) {
                const day = monthStart(mi).slice(0, 8) + pad(rng.int(firstDay, lastDay));
                times.push(at(day, rng.int(6, 22), rng.int(0, 59)));
            }
            times.sort();
            for (const t of times)
                exitRows.push({ id: ids.uuid(), statement_id: statementId, exited_at: t });
        }
    }
    return { statements: statementRows, exits: exitRows };
}
/**
 * The rows of the portal accounts (but the manual's customer's, which `issueTemporaryPassword`
 * writes), their paperless consents and addresses. Not activated: a temporary password printed
 * on the latest invoice, still valid. Activated: the shared demo password, the addresses
 * verified at the first login — but an address added lately, whose link is still valid — the
 * consent given then (and withdrawn in Profil by some), a last login since.
 */
export function loginRows(set, passwords) {
    const { rng, ids, now } = set;
    const accounts = [];
    const consents = [];
    const verifications = [];
    set.customers.forEach((customer, i) => {
        if (customer.isManual)
            return;
        if (customer.state === 'not_activated') {
            const latest = set.docs.filter((d) => d.customer === customer && d.kind === 'invoice').map((d) => d.issue).sort().at(-1) ?? set.today;
            let issuedAt = clampTs(set, at(latest, 5));
            const oldest = addMs(set.nowTs, -(passwords.tempPasswordDays - 1) * DAY);
            if (issuedAt < oldest)
                issuedAt = oldest;
            accounts.push({
                customer_id: customer.row.id, state: 'not_activated', temp_password_hash: passwords.unknownTempHash,
                temp_password_issued_at: issuedAt, temp_password_expires_at: addMs(issuedAt, passwords.tempPasswordDays * DAY),
                password_hash: null, password_changed_at: null, activated_at: null, last_login_at: null, created_at: issuedAt,
            });
            return;
        }
        const activated = customer.activatedAt;
        const row = customer.row;
        row.email_primary_verified_at = addMs(activated, 4 * MINUTE);
        let lastChange = activated;
        if (row.email_secondary && customer.secondary === 'pending') {
            const addedAt = addMs(set.nowTs, -rng.int(3, 30) * HOUR);
            verifications.push({
                id: ids.uuid(), customer_id: row.id, address: row.email_secondary,
                // Nobody holds this link: the token behind the hash is thrown away.
                token_hash: hashToken(`demo-${ids.uuid()}`),
                expires_at: addMs(addedAt, VERIFICATION_TTL_MS), used_at: null, created_at: addedAt,
            });
            lastChange = addedAt;
        }
        else if (row.email_secondary) {
            row.email_secondary_verified_at = addMs(activated, 9 * MINUTE);
        }
        const ip = `192.0.2.${(i % 250) + 1}`;
        if (customer.paperlessFrom) {
            consents.push({ id: ids.uuid(), customer_id: row.id, given: 1, at: customer.paperlessFrom, source: 'first_login', ip });
            row.paperless = 1;
            row.paperless_changed_at = customer.paperlessFrom;
        }
        if (customer.paperlessUntil) {
            consents.push({ id: ids.uuid(), customer_id: row.id, given: 0, at: customer.paperlessUntil, source: 'profile', ip });
            row.paperless = 0;
            row.paperless_changed_at = customer.paperlessUntil;
            lastChange = maxTs(lastChange, customer.paperlessUntil);
        }
        row.updated_at = lastChange;
        const lastEnd = lastEndOf(customer);
        const recently = lastEnd
            ? clampTs(set, addMs(at(lastEnd, 20), rng.int(1, 40) * DAY))
            : new Date(now.getTime() - 2 * HOUR - Math.floor(rng.float() * 60 * DAY)).toISOString();
        accounts.push({
            customer_id: row.id, state: 'active', temp_password_hash: null, temp_password_issued_at: null,
            temp_password_expires_at: null, password_hash: passwords.activeHash, password_changed_at: activated,
            activated_at: activated, last_login_at: maxTs(activated, lastChange, recently),
            created_at: maxTs(row.created_at, addMs(activated, -rng.int(2, 40) * DAY)),
        });
    });
    return { accounts, consents, verifications };
}
/** The rows of the mandates and the contracts each covers; the IBAN sealed with the installation's key. */
export function mandateRows(set, seal) {
    const mandates = [];
    const covered = [];
    for (const m of set.mandates) {
        const c = m.customer.row;
        const validatedAt = m.status === 'active' ? clampTs(set, addMs(m.recordedAt, m.customer.mandate?.signed === 'at_start' ? HOUR : DAY)) : m.recordedAt;
        mandates.push({
            id: m.id,
            customer_id: c.id,
            rum: m.rum,
            holder_name: displayName({ kind: c.kind, last_name: c.last_name, first_name: c.first_name ?? null, company_name: c.company_name ?? null }),
            holder_address: [c.address_line1, `${c.postal_code} ${c.city}`, c.country].join('\n'),
            iban_encrypted: seal(m.iban),
            iban_last4: m.iban.slice(-4),
            iban_country: 'FR',
            bic: m.bic,
            status: m.status,
            signed_at: m.signedAt,
            signature_place: set.rng.pick(SIGNATURE_PLACES),
            // A paper mandate: the signed form is kept by customer service, not signed through the portal.
            signature_evidence: null,
            pdf_sha256: null,
            rejection_reason: null,
            revoked_at: null,
            source: 'paper',
            created_at: m.recordedAt,
            updated_at: validatedAt,
        });
        for (const k of m.contracts)
            covered.push({ mandate_id: m.id, contract_id: k.id });
    }
    return { mandates, covered };
}
//# sourceMappingURL=demo.history.js.map