/*
 * `npm run bench:data`: the data of a large operator, for the benchmarks (issue 12), in a fresh
 * database — SQLite by default (`<out>/portal.sqlite`), PostgreSQL with DATABASE_URL=postgres://…
 * At the default size: 100,000 customers (10 % businesses with a SIREN and 2 to 8 contracts,
 * individuals mostly one), about 150,000 contracts over 60 car parks, five years of monthly
 * invoices (about 9 million, with their lines) and some credit notes, payments and what they
 * settle (debited monthly under a mandate, paid online by card, or by transfer, cheque or cash;
 * about 2 % of the latest invoices left unpaid), SEPA mandates, 24 months of petit-rouleur
 * statements, contact requests, logins (70 % activated, all with ONE hash of a known password),
 * paperless consents, vehicles and what the back office searches by.
 *
 * Two customers are for the benchmarks: a business with four contracts (more than 130
 * documents in the five years Mon compte shows, more than 90 payments) and an individual, both
 * activated with the known password; their PDFs are rendered and stored (`<out>/documents`,
 * the portal's store for DATA_DIR=<out>) so that a PDF download can be measured — everyone
 * else's documents are metadata only. Plus the demo's staff (admin and agent, known password
 * and TOTP secrets) and API client. `<out>/manifest.json` says where everything is, for
 * `bench/run.ts --data <out>`.
 *
 * What is derived is derived by the portal's own rules: amounts and VAT (`lib/money.ts`), the
 * petit-rouleur discount (`statements.rules.ts`), search keys (`customers.rules.ts`), and the
 * demo's numbering, labels and prices of a badge or a commercial gesture (`features/demo/`).
 * Deterministic for a given size and instant (a seeded PRNG); password hashes and sealed IBANs aside.
 *
 * Fast: rows go straight to the database (`data.sink.ts`), in the order they happened, so that
 * most indexes grow at their end. On SQLite two processes share the work — this one writes the
 * customers, payments and the rest while a second one (this file, `--part`) draws the same plan
 * and writes the documents' tables into a copy of the empty schema; SQLite then moves those in
 * without decoding a row. On PostgreSQL, one process, rows sent by thousands.
 *
 * Usage: npm run bench:data -- [--customers 100000] [--years 5] [--out bench/.data] [--reset]
 */
import { fork } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { type Config, loadConfig } from '../src/config.ts';
import { type Db, migrateToLatest, openDatabase } from '../src/db/database.ts';
import { resumeKeptAmounts, suspendKeptAmounts } from '../src/db/migrations/020_settled_amounts.ts';
import { resumeAccountVersions, suspendAccountVersions } from '../src/db/migrations/023_account_versions.ts';
import { dialectOf } from '../src/db/dialect.ts';
import type { ContactCategory, ContactStatus, PaymentMethod, Product } from '../src/db/schema.ts';
import { requestReference } from '../src/features/contact/contact.rules.ts';
import { DEMO_API_KEY, demoApiRows } from '../src/features/demo/demo.api.ts';
import { BADGE_HT, dailyRateHt, discountLine, documentNumber, documentSeries, gestureLineOf } from '../src/features/demo/demo.history.ts';
import {
  type LineDraft,
  Rng,
  VAT_BP,
  addDays,
  at,
  dateOf,
  frenchIban,
  luhnCheckDigit,
  monthEnd,
  monthIndexOf,
  monthNameFr,
  monthStart,
  pad,
  slug,
  totalsOf,
  yearMonth,
} from '../src/features/demo/demo.kit.ts';
import { contractNumber } from '../src/features/demo/demo.plans.ts';
import {
  BANKS,
  CARS,
  COMPANIES,
  CREDIT_REASONS,
  ENGLISH_NAMES,
  FIRST_NAMES_F,
  FIRST_NAMES_M,
  LAST_NAMES,
  MOTOS,
  PARKS,
  PLATE_LETTERS,
  PRODUCT_LABELS,
  SIGNATURE_PLACES,
  STREETS,
  VANS,
} from '../src/features/demo/demo.reference.ts';
import { DEMO_ACTIVE_PASSWORD } from '../src/features/demo/demo.seed.ts';
import { DEMO_STAFF, DEMO_STAFF_PASSWORD, demoStaffRows } from '../src/features/demo/demo.staff.ts';
import { sealIban } from '../src/features/direct-debit/direct-debit.secrets.ts';
import { paperRum } from '../src/features/direct-debit/direct-debit.rules.ts';
import { renderPublishedPdfs } from '../src/features/documents/documents.service.ts';
import { storedHours } from '../src/features/public/public.rules.ts';
import { seedOperatorSettings } from '../src/features/settings/settings.service.ts';
import { discountRateBp, monthlyDiscount } from '../src/features/statements/statements.rules.ts';
import { type Clock, DAY, isoDate, systemClock } from '../src/lib/clock.ts';
import { lineAmounts } from '../src/lib/money.ts';
import { generateTemporaryPassword, hashPassword } from '../src/lib/passwords.ts';
import { contentStore } from '../src/lib/content-store.ts';
import { progressLine } from '../src/lib/progress.ts';
import {
  type ContractPlan,
  type CustomerPlan,
  type Hashes,
  Ids,
  type ParkPlan,
  writeAllocation,
  writeCarPark,
  writeConsent,
  writeContactMessage,
  writeContactRequest,
  writeContract,
  writeCustomer,
  writeDocument,
  writeExit,
  writeLine,
  writeLogin,
  writeMandate,
  writePayment,
  writeStatement,
  writeVehicle,
} from './data.rows.ts';
import { DOCUMENT_TABLES, type Sink, TABLE_ORDER, mergeSqlite, postgresSink, sqliteSink } from './data.sink.ts';

const HELP = `npm run bench:data -- [options]

Generates a large operator's data into a fresh database, for the benchmarks:
SQLite <out>/portal.sqlite by default, PostgreSQL when DATABASE_URL=postgres://… is set.
Writes <out>/manifest.json (where the data is, the benchmark customers and staff, counts).

Options:
  --customers N   customers (default 100000; 10 % businesses; about 1.5 contracts each)
  --years N       years of monthly documents (default 5)
  --out DIR       output folder: the SQLite file, the benchmark customers' PDFs, the
                  manifest (default bench/.data)
  --reset         empty the database first (delete the SQLite file; drop and recreate
                  the PostgreSQL schema); without it, a database with customers is refused
  -h, --help      show this help
`;

export interface Manifest {
  databaseUrl: string;
  dataDir: string;
  customer: { number: string; password: string };
  consumer: { number: string; password: string };
  staff: { email: string; password: string; totpSecret: string };
  /** A name, a plate, a customer number, an e-mail prefix: what the back office's search is measured with. */
  searchTerms: [string, string, string, string];
  counts: Record<string, number>;
  seconds: number;
  databaseBytes: number;
  /** The demo API client's key (every scope), for the API's benchmark. */
  apiKey: string;
}

export interface DatasetOptions {
  /** DATA_DIR: the output folder; `databaseUrl`: where the rows go (DATABASE_URL, else `<DATA_DIR>/portal.sqlite`). */
  config: Config;
  customers: number;
  years: number;
  /** Empty the database first. */
  reset?: boolean;
  clock?: Clock;
  /** Where the progress and the summary go. */
  out?: Pick<NodeJS.WriteStream, 'isTTY' | 'write'>;
}

export interface Dataset {
  manifest: Manifest;
  /** What each customer (by number) owes today as the history booked it, in cents. */
  unpaid: Map<string, number>;
}

/** Share of businesses among customers, of activated logins, of paperless consent among them. */
const BUSINESS_SHARE = 0.1;
const ACTIVATED_SHARE = 0.7;
const PAPERLESS_SHARE = 0.85;
/** Share of contracts begun before the history written and still running, and of those begun during it (the rest ended during it). */
const RUNNING_SHARE = 0.94;
const NEW_SHARE = 0.03;
/** Share of customers paying under a direct-debit mandate, by kind. */
const MANDATE_SHARE = { business: 0.5, individual: 0.3 } as const;
/** Share of customers who leave the invoices of their last weeks unpaid, and how many weeks. */
const LATE_SHARE = 0.02;
const LATE_DAYS = 45;
/** Share of invoices corrected by a credit note (a commercial gesture), set against them. */
const CREDIT_NOTE_SHARE = 0.015;
/** Share of customers with a contact request in the last two months. */
const CONTACT_SHARE = 0.01;
/** Months of petit-rouleur statements (before the current month), and the latest ones listing every exit. */
const STATEMENT_MONTHS = 24;
const EXIT_DETAIL_MONTHS = 3;
const CAR_PARKS = 60;
/** Days from an invoice to its due date (a direct debit's day). */
const DUE_DAYS = 9;
/** Days from an invoice to the credit note correcting it. */
const CREDIT_NOTE_DAYS = 3;

/** The words of the companies' names, beyond the demo's fourteen. */
const ACTIVITIES = ['TRANSPORTS', 'CABINET', 'BOULANGERIE', 'PHARMACIE', 'AGENCE', 'ATELIERS', 'GARAGE', 'STUDIO', 'HÔTEL', 'LIVRAISONS', 'CLINIQUE', 'PLOMBERIE'];
const LEGAL_FORMS = ['SAS', 'SARL', 'SA', 'EURL', 'SELARL', 'ET FILS'];
const REQUESTS: { category: ContactCategory; fr: string; en: string }[] = [
  { category: 'invoice', fr: 'Bonjour, pourriez-vous m’expliquer le montant de ma dernière facture ?', en: 'Hello, could you explain the amount of my latest invoice?' },
  { category: 'address', fr: 'Bonjour, je déménage le mois prochain : merci de noter ma nouvelle adresse.', en: 'Hello, I am moving next month: please note my new address.' },
  { category: 'phone', fr: 'Bonjour, mon numéro de portable a changé.', en: 'Hello, my mobile number has changed.' },
  { category: 'plate', fr: 'Bonjour, je change de véhicule à la fin du mois. Merci de mettre à jour mon badge.', en: 'Hello, I am changing my car at the end of the month. Please update my badge.' },
  { category: 'contract', fr: 'Bonjour, est-il possible de changer de place dans le parking ?', en: 'Hello, may I change my parking space?' },
  { category: 'other', fr: 'Bonjour, la porte d’accès du niveau -2 ferme mal depuis quelques jours.', en: 'Hello, the access door on level -2 has not been closing properly for a few days.' },
];
const STATES: ContactStatus[] = ['received', 'in_progress', 'received', 'waiting_customer', 'closed'];
const REPLY = 'Bonjour, merci pour votre message : nous nous en occupons et revenons vers vous rapidement.';

/** Every plate once: a bijection of the counter over the SIV plates (`AB-123-CD`), scrambled so that neighbours differ. */
const PLATE_SPACE = PLATE_LETTERS.length ** 4 * 999;
function plateOf(n: number): string {
  const x = (n * 1_000_003) % PLATE_SPACE;
  let r = Math.floor(x / 999);
  const letter = () => {
    const l = PLATE_LETTERS[r % PLATE_LETTERS.length] as string;
    r = Math.floor(r / PLATE_LETTERS.length);
    return l;
  };
  return `${letter()}${letter()}-${pad((x % 999) + 1, 3)}-${letter()}${letter()}`;
}

/** The operator's 60 car parks: the demo's seven, then more named after the streets of the demo's addresses. */
function plannedCarParks(rng: Rng, ids: Ids): ParkPlan[] {
  const sites = PARKS.map((p) => ({ name: p.name, addressLine: p.address_line, postalCode: p.postal_code, city: 'Paris' }));
  const names = new Set(sites.map((s) => s.name));
  for (const [street, postalCode, city] of STREETS) {
    const name = street.split(' ').at(-1) as string;
    if (names.has(name)) continue;
    names.add(name);
    sites.push({ name, addressLine: `${rng.int(1, 120)} ${street}`, postalCode, city: city === 'PARIS' ? 'Paris' : city });
  }
  const base = [...sites];
  const quarters = ['NORD', 'SUD', 'EST', 'OUEST'];
  for (let i = 0; sites.length < CAR_PARKS; i++) {
    const s = base[i % base.length]!;
    sites.push({ ...s, name: `${s.name} ${quarters[Math.floor(i / base.length) % quarters.length]}` });
  }
  return sites.slice(0, CAR_PARKS).map((s, i) => {
    const code = slug(s.name).toUpperCase().replace(/-/g, '_');
    const like = PARKS[i % PARKS.length]!;
    const resident = 15_000 + (i % 8) * 1_000;
    return {
      id: ids.next(),
      code,
      prefix: code.replace(/_/g, '').slice(0, 4),
      name: s.name,
      addressLine: s.addressLine,
      postalCode: s.postalCode,
      city: s.city,
      phone: i < PARKS.length ? like.phone : `01 4${i % 10} ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))}`,
      openingHours: storedHours(like.opening_hours),
      services: like.services,
      variant30: i % 3 === 1,
      priceHt: { resident, resident_petit_rouleur: resident, non_resident: resident + 8_000, moto: 4_500 + (i % 4) * 500, business: resident + 4_000 },
    };
  });
}

/** Today's dates, as the history needs them. */
interface Calendar {
  now: Date;
  nowTs: string;
  today: string;
  curMi: number;
  /** The first month whose documents are written. */
  firstMi: number;
}

const randomTs = (rng: Rng, from: number, to: number) => new Date(from + Math.floor(rng.float() * Math.max(0, to - from))).toISOString();

/**
 * The customers and their contracts, drawn; customer 0 is the benchmark business, customer 1 the
 * benchmark individual. Contracts are numbered in the order they started.
 */
function plannedCustomers(rng: Rng, ids: Ids, cal: Calendar, parks: ParkPlan[], count: number): CustomerPlan[] {
  const { firstMi, curMi, now } = cal;
  const customers: CustomerPlan[] = [];
  const contracts: ContractPlan[] = [];
  let vehicles = 0;
  for (let i = 0; i < count; i++) {
    const bench = i < 2;
    const kind = i === 0 ? 'business' : i === 1 ? 'individual' : rng.chance(BUSINESS_SHARE) ? 'business' : 'individual';
    const english = !bench && rng.chance(0.02);
    let civility: string;
    let lastName: string;
    let firstName: string;
    if (english) [lastName, firstName, civility] = rng.pick(ENGLISH_NAMES);
    else {
      civility = rng.chance(0.5) ? 'M.' : 'Mme';
      firstName = rng.pick(civility === 'M.' ? FIRST_NAMES_M : FIRST_NAMES_F);
      lastName = rng.pick(LAST_NAMES);
    }
    const companyName =
      kind !== 'business' ? null : i < COMPANIES.length ? (COMPANIES[i] as string) : `${rng.pick(ACTIVITIES)} ${rng.pick(LAST_NAMES)} ${rng.pick(LEGAL_FORMS)}`;
    const [street, postalCode, city] = rng.pick(STREETS);
    const sirenBase = String(rng.int(10_000_000, 99_999_999));
    const local = `${slug(firstName)}.${slug(lastName)}.${i}`.replace(/-/g, '.');
    const domain = companyName ? `${slug(companyName)}.example.com` : english ? 'example.com' : 'example.fr';
    const phone = () => `0${rng.pick([6, 7])} ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))}`;
    const c: CustomerPlan = {
      index: i,
      id: ids.next(),
      number: `CLT${100_000 + i}`,
      kind,
      language: english ? 'en' : 'fr',
      civility,
      lastName,
      firstName,
      companyName,
      siren: kind === 'business' ? `${sirenBase}${luhnCheckDigit(sirenBase)}` : null,
      addressLine1: `${rng.int(1, 180)} ${street}`,
      addressLine2: rng.chance(0.1) ? 'BÂTIMENT B' : null,
      postalCode,
      city,
      phone: kind === 'business' || rng.chance(0.3) ? `01 4${rng.int(0, 9)} ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))} ${pad(rng.int(0, 99))}` : null,
      mobilePhone: rng.chance(0.8) ? phone() : null,
      emailPrimary: `${local}@${domain}`,
      emailSecondary: companyName && rng.chance(0.5) ? `comptabilite@${domain}` : null,
      createdAt: '',
      activatedAt: null,
      lastLoginAt: null,
      paperlessFrom: null,
      mandate: null,
      offline: rng.pick(['transfer', 'transfer', 'cheque', 'cash'] as const),
      late: !bench && rng.chance(LATE_SHARE),
      contracts: [],
      unpaid: 0,
    };

    // Contracts: most began before the history written, some during it, some ended during it.
    const contractCount = i === 0 ? 4 : i === 1 ? 1 : kind === 'business' ? rng.int(2, 8) : rng.chance(0.88) ? 1 : 2;
    const park = rng.pick(parks);
    for (let n = 0; n < contractCount; n++) {
      const product: Product =
        kind === 'business' ? 'business' : i === 1 ? 'resident' : rng.pick(['resident', 'resident', 'resident', 'resident_petit_rouleur', 'non_resident', 'non_resident', 'moto'] as const);
      const r = bench ? (i === 0 && n >= 2 ? RUNNING_SHARE : 0) : rng.float();
      let startMi: number;
      let endMi: number | null = null;
      if (r < RUNNING_SHARE) startMi = firstMi - rng.int(2, 96);
      else if (r < RUNNING_SHARE + NEW_SHARE) startMi = i === 0 ? Math.max(firstMi + 1, curMi - 29) : rng.int(Math.min(firstMi + 1, curMi), curMi);
      else {
        startMi = rng.chance(0.5) ? firstMi - rng.int(2, 60) : rng.int(Math.min(firstMi + 1, curMi - 1), curMi - 1);
        endMi = rng.int(Math.max(startMi, firstMi), curMi - 1);
      }
      // A contract begun during the history began on the 1st: its first month is billed whole, with its badge.
      const start = startMi < firstMi ? dateOf(Math.floor(startMi / 12), startMi % 12, rng.int(1, 28)) : monthStart(startMi);
      const where = kind === 'business' ? park : rng.pick(parks);
      const priceHt = where.priceHt[product];
      const k: ContractPlan = {
        id: ids.next(),
        number: '',
        customer: c,
        park: where,
        product,
        start,
        startMi,
        endMi,
        end: endMi === null ? null : monthEnd(endMi),
        priceHt,
        directDebit: false,
        badge: `BDG${pad(contracts.length + 1, 7)}`,
        spaceLabel: product === 'moto' ? `Zone moto, emplacement M${rng.int(1, 40)}` : product === 'non_resident' ? null : `Niveau -${rng.int(1, 4)}, place ${rng.int(1, 240)}`,
        vehicles: Array.from({ length: kind === 'business' ? (bench ? 2 : rng.int(1, 3)) : 1 }, () => ({
          plate: plateOf(++vehicles),
          description: product === 'moto' ? rng.pick(MOTOS) : kind === 'business' && rng.chance(0.6) ? rng.pick(VANS) : rng.pick(CARS),
        })),
        monthAmounts: lineAmounts(priceHt, 1000, VAT_BP),
        monthTotals: totalsOf([{ label: '', quantity_milli: 1000, unit_price_ht_cents: priceHt }]),
        label: `${PRODUCT_LABELS[product]} ${where.name}`,
      };
      c.contracts.push(k);
      contracts.push(k);
    }
    const firstStart = c.contracts.map((k) => k.start).sort()[0] as string;
    c.createdAt = at(firstStart, 9);

    // The login: activated (with paperless consent, for most) at some time since the first contract, or never.
    if (bench || rng.chance(ACTIVATED_SHARE)) {
      const from = Math.max(Date.parse(at(firstStart)) + DAY, now.getTime() - 7 * 365 * DAY);
      c.activatedAt = bench ? at(monthStart(firstMi - 3), 18, 12) : randomTs(rng, from, now.getTime() - DAY);
      c.lastLoginAt = randomTs(rng, Math.max(Date.parse(c.activatedAt), now.getTime() - 60 * DAY), now.getTime() - 3_600_000);
      if (bench || rng.chance(PAPERLESS_SHARE)) c.paperlessFrom = c.activatedAt;
    }

    // A paper mandate, signed before the history or during it; it debits every contract not ended by then.
    if (!bench && rng.chance(MANDATE_SHARE[kind])) {
      const signed = rng.chance(0.7)
        ? addDays(monthStart(firstMi), -rng.int(10, 700))
        : addDays(monthStart(firstMi), rng.int(0, Math.max(0, (curMi - firstMi) * 30 - 20)));
      const signedAt = at(signed, 10, rng.int(0, 59));
      const [bank, bic] = rng.pick(BANKS);
      c.mandate = {
        id: ids.next(),
        rum: paperRum(c.number, new Date(at(addDays(signed, -3), 9))),
        iban: frenchIban(bank, pad(rng.int(1, 99_999), 5), pad(rng.int(0, 99_999_999_999), 11)),
        bic,
        signedAt,
        place: rng.pick(SIGNATURE_PLACES),
        recordedAt: at(addDays(signed, 3), 15, rng.int(0, 59)),
        firstDue: addDays(signed, 7),
      };
      for (const k of c.contracts) k.directDebit = k.end === null || k.end >= signed;
    }
    customers.push(c);
  }
  contracts
    .map((k, order) => ({ k, order }))
    .sort((a, b) => (a.k.start < b.k.start ? -1 : a.k.start > b.k.start ? 1 : a.order - b.order))
    .forEach(({ k }, n) => {
      k.number = contractNumber(k.start, k.park.prefix, 1_000 + n);
    });
  return customers;
}

const isPetitRouleur = (k: ContractPlan) => k.product === 'resident_petit_rouleur';

/** Invoices a contract gets in the months written: in advance, each month; a petit rouleur's in arrears, on the 1st of the next. */
function invoiceCount(k: ContractPlan, cal: Calendar): number {
  const lag = isPetitRouleur(k) ? 1 : 0;
  const from = Math.max(cal.firstMi, k.startMi + lag);
  const to = Math.min(cal.curMi, (k.endMi ?? cal.curMi) + lag);
  return Math.max(0, to - from + 1);
}

interface Billed {
  id: string;
  contract: ContractPlan;
  /** What remains to pay once its credit note, if any, is set against it. */
  toPay: number;
  credited: boolean;
}

/**
 * The history, month by month in the order it happened — every table then grows at the end of
 * its indexes of ids, numbers and dates: each month's invoices (numbered in their year's
 * series), their lines and credit notes, the petit rouleurs' statements, then how each customer
 * paid them.
 */
async function writeHistory(sink: Sink, rng: Rng, ids: Ids, cal: Calendar, customers: CustomerPlan[], progress: (documents: number) => void) {
  const { today, nowTs, curMi, firstMi } = cal;
  const sequence = new Map<string, number>();
  const next = (series: string) => {
    const n = (sequence.get(series) ?? 0) + 1;
    sequence.set(series, n);
    return documentNumber(series, n);
  };
  const lateFrom = addDays(today, -LATE_DAYS);
  let documents = 0;
  for (let mi = firstMi; mi <= curMi; mi++) {
    const issue = monthStart(mi);
    const publishedAt = at(issue, 5);
    const notifiedAt = at(issue, 6);
    const printedAt = issue <= addDays(today, -2) ? at(addDays(issue, 1), 10) : null;
    const due = addDays(issue, DUE_DAYS);
    const debitAt = at(due, 6);
    const creditIssue = addDays(issue, CREDIT_NOTE_DAYS);
    const creditsAllowed = creditIssue <= today;
    const invoiceSeries = documentSeries('invoice', issue);
    const creditSeries = documentSeries('credit_note', creditIssue);
    const later = Array.from({ length: 16 }, (_, d) => addDays(issue, d));
    const periods = [mi - 1, mi].map((p) => ({ mi: p, start: monthStart(p), end: monthEnd(p), name: monthNameFr(p), month: yearMonth(p) }));
    for (const c of customers) {
      const billed: Billed[] = [];
      const paperless = c.paperlessFrom !== null && c.paperlessFrom <= publishedAt;
      for (const k of c.contracts) {
        const period = periods[isPetitRouleur(k) ? 0 : 1]!;
        if (period.mi < k.startMi || (k.endMi !== null && period.mi > k.endMi)) continue;
        const id = ids.next();
        const lines: LineDraft[] = [{ label: `${k.label} — ${period.name}`, quantity_milli: 1000, unit_price_ht_cents: k.priceHt }];
        if (period.mi === k.startMi) lines.push({ label: 'Frais de badge', quantity_milli: 1000, unit_price_ht_cents: BADGE_HT });
        let statement: { exits: number; discountHt: number } | null = null;
        if (isPetitRouleur(k) && period.mi >= curMi - STATEMENT_MONTHS) {
          // Few exits, mostly: the discount (the operator's rule) billed on the month's invoice.
          const exits = Math.floor(rng.float() ** 2 * 21);
          const bp = discountRateBp(exits, k.park.variant30);
          const discountHt = monthlyDiscount({ price_ht_cents: k.priceHt, vat_rate_bp: VAT_BP, billing_period: 'monthly' }, bp).ht;
          if (discountHt > 0) lines.push(discountLine(period.mi, exits, bp, discountHt));
          statement = { exits, discountHt };
        }
        const totals = lines.length === 1 ? k.monthTotals : totalsOf(lines);
        writeDocument(sink, {
          id, number: next(invoiceSeries), kind: 'invoice', contract: k, correctsId: null, issue, periodStart: period.start, periodEnd: period.end,
          due, totals, publishedAt, notifiedAt: paperless ? notifiedAt : null, printedAt: paperless ? null : printedAt,
        });
        lines.forEach((l, n) => writeLine(sink, ids.next(), id, n + 1, l, n === 0 ? k.monthAmounts : undefined));
        documents++;
        if (statement) {
          const statementId = ids.next();
          writeStatement(sink, { id: statementId, contractId: k.id, month: period.month, exits: statement.exits, documentId: id, discountHt: statement.discountHt, at: at(issue, 2) });
          if (period.mi >= curMi - EXIT_DETAIL_MONTHS) {
            const days = Number(period.end.slice(8, 10));
            const times = Array.from({ length: statement.exits }, () => at(`${period.start.slice(0, 8)}${pad(rng.int(1, days))}`, rng.int(6, 22), rng.int(0, 59))).sort();
            for (const t of times) writeExit(sink, ids.next(), statementId, t);
          }
        }
        // Now and then a commercial gesture, a few days later, set against the invoice before it is paid.
        let credit = 0;
        if (creditsAllowed && rng.chance(CREDIT_NOTE_SHARE)) {
          const line = gestureLineOf(rng.pick(CREDIT_REASONS), rng.int(3, 8), dailyRateHt(k.priceHt));
          const creditTotals = totalsOf([line]);
          if (creditTotals.total_ttc_cents < totals.total_ttc_cents) {
            const creditId = ids.next();
            const creditAt = at(creditIssue, 5);
            writeDocument(sink, {
              id: creditId, number: next(creditSeries), kind: 'credit_note', contract: k, correctsId: id, issue: creditIssue, periodStart: period.start, periodEnd: period.end,
              due: null, totals: creditTotals, publishedAt: creditAt, notifiedAt: paperless ? at(creditIssue, 6) : null, printedAt: paperless || creditIssue > addDays(today, -2) ? null : at(addDays(creditIssue, 1), 10),
            });
            writeLine(sink, ids.next(), creditId, 1, line);
            writeAllocation(sink, { id: ids.next(), invoiceId: id, paymentId: null, creditNoteId: creditId, amount: creditTotals.total_ttc_cents, at: creditAt });
            credit = creditTotals.total_ttc_cents;
            documents++;
          }
        }
        billed.push({ id, contract: k, toPay: totals.total_ttc_cents - credit, credited: credit > 0 });
      }
      if (billed.length > 0) settle(sink, rng, ids, c, billed, { issue, publishedAt, due, debitAt, later, lateFrom, nowTs });
      if (sink.full) await sink.flush();
      progress(documents);
    }
  }
  await sink.commit();
}

/**
 * How a customer paid the month's invoices: debited together on the due date when a mandate
 * covers them; else each online by card within the week while paperless; else each by the
 * customer's own way (transfer, cheque, cash) within a fortnight. The late leave the last weeks'
 * unpaid (their debit rejected); nothing is paid after now. What stays unpaid is booked.
 */
function settle(
  sink: Sink,
  rng: Rng,
  ids: Ids,
  c: CustomerPlan,
  billed: Billed[],
  when: { issue: string; publishedAt: string; due: string; debitAt: string; later: string[]; lateFrom: string; nowTs: string },
) {
  const debited: Billed[] = [];
  let rejected = 0;
  const late = c.late && when.issue >= when.lateFrom;
  const online = c.paperlessFrom !== null && c.paperlessFrom <= when.publishedAt;
  for (const b of billed) {
    const underMandate = c.mandate !== null && b.contract.directDebit && when.due >= c.mandate.firstDue;
    if (late) {
      c.unpaid += b.toPay;
      if (underMandate) rejected += b.toPay;
      continue;
    }
    if (underMandate) {
      if (when.debitAt <= when.nowTs) debited.push(b);
      else c.unpaid += b.toPay;
      continue;
    }
    // Never before the credit note is set against it.
    const days = online ? rng.int(b.credited ? CREDIT_NOTE_DAYS + 1 : 0, 6) : rng.int(CREDIT_NOTE_DAYS + 1, 15);
    const paidAt = at(when.later[days] as string, 8 + (days % 10), (days * 7) % 60);
    if (paidAt > when.nowTs) {
      c.unpaid += b.toPay;
      continue;
    }
    const method: PaymentMethod = online ? 'card' : c.offline;
    const paymentId = ids.next();
    writePayment(sink, { id: paymentId, customerId: c.id, method, status: 'succeeded', amount: b.toPay, at: paidAt });
    writeAllocation(sink, { id: ids.next(), invoiceId: b.id, paymentId, creditNoteId: null, amount: b.toPay, at: paidAt });
  }
  if (debited.length > 0) {
    const paymentId = ids.next();
    writePayment(sink, { id: paymentId, customerId: c.id, method: 'direct_debit', status: 'succeeded', amount: debited.reduce((s, b) => s + b.toPay, 0), at: when.debitAt });
    for (const b of debited) writeAllocation(sink, { id: ids.next(), invoiceId: b.id, paymentId, creditNoteId: null, amount: b.toPay, at: when.debitAt });
  }
  if (rejected > 0 && when.debitAt <= when.nowTs) {
    writePayment(sink, { id: ids.next(), customerId: c.id, method: 'direct_debit', status: 'failed', amount: rejected, at: when.debitAt });
  }
}

/** Contact requests of the last two months, some answered by the demo's agent, some closed. */
function writeContactRequests(sink: Sink, rng: Rng, ids: Ids, cal: Calendar, customers: CustomerPlan[]) {
  const agent = DEMO_STAFF.find((m) => m.role === 'agent')!.id;
  const perYear = new Map<string, number>();
  // Every state in the inbox whatever the size: one customer in a hundred, ten at least, spread over all of them.
  const others = customers.slice(2);
  const count = Math.min(others.length, Math.max(10, Math.round(customers.length * CONTACT_SHARE)));
  const chosen = Array.from({ length: count }, (_, j) => others[Math.floor((j * others.length) / count)]!);
  const dated = chosen
    .map((c, j) => ({ c, status: STATES[j % STATES.length]!, createdAt: randomTs(rng, cal.now.getTime() - 60 * DAY, cal.now.getTime() - 3_600_000) }))
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  for (const { c, status, createdAt } of dated) {
    const story = rng.pick(REQUESTS);
    const year = createdAt.slice(0, 4);
    const n = (perYear.get(year) ?? 0) + 1;
    perYear.set(year, n);
    const repliedAt = new Date(Math.min(Date.parse(createdAt) + DAY, cal.now.getTime())).toISOString();
    const id = ids.next();
    writeContactRequest(sink, {
      id,
      reference: requestReference(year, n),
      customerId: c.id,
      contractId: ['invoice', 'plate', 'contract'].includes(story.category) ? (c.contracts[0]?.id ?? null) : null,
      category: story.category,
      message: c.language === 'en' ? story.en : story.fr,
      status,
      assignedTo: status === 'received' ? null : agent,
      createdAt,
      updatedAt: status === 'received' ? createdAt : repliedAt,
    });
    if (status !== 'received') writeContactMessage(sink, { id: ids.next(), requestId: id, staffId: agent, body: REPLY, at: repliedAt });
  }
}

/** Every table the dataset fills, and those the portal's first start fills. */
const COUNTED_TABLES = [...TABLE_ORDER, 'staff_members', 'operator_settings', 'api_clients', 'api_keys'] as const;

async function countRows(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of COUNTED_TABLES) {
    const r = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(r.n);
  }
  return counts;
}

/** Empties the database when asked, migrates it, and refuses one that already has customers. */
async function freshDatabase(url: string, reset: boolean): Promise<void> {
  if (reset && dialectOf(url) === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}.documents`]) rmSync(f, { force: true });
  } else if (reset) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ schema: string }>('select current_schema() as schema');
    const schema = `"${rows[0]!.schema}"`;
    await client.query(`drop schema ${schema} cascade; create schema ${schema}`);
    await client.end();
  }
  const db = openDatabase(url);
  try {
    await migrateToLatest(db);
    const r = await db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(r.n) > 0) throw new Error(`The database already has ${r.n} customers: the dataset goes into a fresh one (--reset empties it first).`);
    // Millions of rows without a trigger each (decision 014): the amounts are computed once all are in.
    await suspendKeptAmounts(db);
    await suspendAccountVersions(db);
  } finally {
    await db.destroy();
  }
}

/** The dataset planned: the calendar, the car parks, the customers and their contracts, and the streams that go on drawing. */
interface Plan {
  cal: Calendar;
  rng: Rng;
  ids: Ids;
  parks: ParkPlan[];
  customers: CustomerPlan[];
}

/** The same plan for the same size and instant, in every process that writes part of it. */
function planDataset(customers: number, years: number, now: Date): Plan {
  const today = isoDate(now);
  const curMi = monthIndexOf(today);
  const cal: Calendar = { now, nowTs: now.toISOString(), today, curMi, firstMi: curMi - years * 12 + 1 };
  const rng = new Rng(0xda7a_5e7);
  const ids = new Ids();
  const parks = plannedCarParks(rng, ids);
  return { cal, rng, ids, parks, customers: plannedCustomers(rng, ids, cal, parks, customers) };
}

interface WriteContext {
  hashes: Hashes;
  seal: (iban: string) => string;
  out: Pick<NodeJS.WriteStream, 'isTTY' | 'write'>;
  /** After the customers and contracts are written. */
  written?: () => void;
}

/** Every row of the plan, in table order: car parks, customers and all they hold, then the history month by month, then the contact requests. */
async function writeAll(sink: Sink, plan: Plan, ctx: WriteContext): Promise<void> {
  const { cal, rng, ids, parks, customers } = plan;
  try {
    const people = progressLine('Customers', ctx.out);
    for (const p of parks) writeCarPark(sink, p, at(monthStart(cal.firstMi - 120)));
    for (const c of customers) {
      writeCustomer(sink, c);
      writeLogin(sink, c, ctx.hashes);
      if (c.paperlessFrom) writeConsent(sink, ids.next(), c, c.paperlessFrom);
      for (const k of c.contracts) {
        writeContract(sink, k, cal.today);
        for (const v of k.vehicles) writeVehicle(sink, ids.next(), k, v);
      }
      if (c.mandate && sink.accepts('sepa_mandates')) writeMandate(sink, c, c.mandate, ctx.seal(c.mandate.iban));
      if (sink.full) await sink.flush();
      people.update({ done: c.index + 1, total: customers.length });
    }
    await sink.commit();
    people.end();
    ctx.written?.();

    const expected = customers.reduce((s, c) => s + c.contracts.reduce((t, k) => t + invoiceCount(k, cal), 0), 0);
    const docs = progressLine('Documents', ctx.out);
    await writeHistory(sink, rng, ids, cal, customers, (done) => docs.update({ done, total: Math.max(done, expected) }));
    writeContactRequests(sink, rng, ids, cal, customers);
    docs.end();
  } finally {
    await sink.close();
  }
}

const silent = { isTTY: false, write: () => true };

/**
 * The other SQLite writer: this same file in a process of its own (`--part`), writing the
 * documents' tables of the same plan into `part`, while this process writes the others. Two
 * cores, two writers; `mergeSqlite` puts the halves together.
 */
function writeDocumentsAside(part: string, customers: number, years: number, now: Date): { finished: Promise<void>; stop(): void } {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const child = fork(fileURLToPath(import.meta.url), ['--part', part, '--customers', String(customers), '--years', String(years), '--now', now.toISOString()], {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const finished = new Promise<void>((done, fail) => {
    child.on('error', fail);
    child.on('exit', (code, signal) => (code === 0 ? done() : fail(new Error(`The documents' writer stopped (${signal ?? `exit ${code}`})`))));
  });
  // A failure is reported when the writer is awaited.
  finished.catch(() => {});
  return { finished, stop: () => child.kill() };
}

/** `--part`: the documents' tables of the plan, into `part` (see `writeDocumentsAside`). */
async function writePart(part: string, customers: number, years: number, now: Date): Promise<void> {
  const unused: Hashes = { active: '', temporary: '', temporaryIssuedAt: '', temporaryExpiresAt: '' };
  await writeAll(sqliteSink(part, (t) => DOCUMENT_TABLES.has(t)), planDataset(customers, years, now), { hashes: unused, seal: () => '', out: silent });
}

/** Generates the dataset; see the top of this file. */
export async function generateDataset(opts: DatasetOptions): Promise<Dataset> {
  const { config, customers: customerCount, years } = opts;
  if (!Number.isInteger(customerCount) || customerCount < 2) throw new Error('--customers: at least 2 (the two benchmark customers)');
  if (!Number.isInteger(years) || years < 1 || years > 10) throw new Error('--years: from 1 to 10');
  const clock = opts.clock ?? systemClock;
  const out = opts.out ?? process.stdout;
  const started = performance.now();
  const say = (line: string) => out.write(`${line} (${Math.round(performance.now() - started) / 1000} s)\n`);
  const url = config.databaseUrl;
  const sqliteFile = dialectOf(url) === 'sqlite' ? url.slice('sqlite:'.length) : null;
  const dataDir = resolve(config.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  say(`Dataset: ${customerCount} customers, ${years} year${years > 1 ? 's' : ''} of documents, into ${sqliteFile ?? 'PostgreSQL'}`);

  await freshDatabase(url, opts.reset ?? false);
  // The documents' writer starts from a copy of the empty schema.
  const part = sqliteFile ? `${sqliteFile}.documents` : null;
  if (sqliteFile && part) copyFileSync(sqliteFile, part);

  // What the portal's first start writes, the demo's staff and API client, and the two hashes every login shares (argon2: never once per login).
  const [activeHash, temporaryHash, staff] = await Promise.all([
    hashPassword(DEMO_ACTIVE_PASSWORD),
    hashPassword(generateTemporaryPassword()),
    demoStaffRows(clock, config),
  ]);
  const kysely = openDatabase(url);
  try {
    await seedOperatorSettings(kysely, clock, config);
    const api = demoApiRows(clock);
    await kysely.transaction().execute(async (trx) => {
      await trx.insertInto('staff_members').values(staff).execute();
      await trx.insertInto('api_clients').values(api.client).execute();
      await trx.insertInto('api_keys').values(api.key).execute();
    });
  } finally {
    await kysely.destroy();
  }

  const now = clock.now();
  const aside = part ? writeDocumentsAside(part, customerCount, years, now) : null;
  const plan = planDataset(customerCount, years, now);
  const { cal, customers } = plan;
  const temporaryIssuedAt = new Date(Math.max(Date.parse(at(monthStart(cal.curMi), 5)), now.getTime() - (config.TEMP_PASSWORD_DAYS - 1) * DAY)).toISOString();
  const hashes: Hashes = {
    active: activeHash,
    temporary: temporaryHash,
    temporaryIssuedAt,
    temporaryExpiresAt: new Date(Date.parse(temporaryIssuedAt) + config.TEMP_PASSWORD_DAYS * DAY).toISOString(),
  };
  const sink = sqliteFile ? sqliteSink(sqliteFile, (t) => !DOCUMENT_TABLES.has(t)) : await postgresSink(url);
  const contracts = customers.reduce((s, c) => s + c.contracts.length, 0);
  try {
    await writeAll(sink, plan, {
      hashes,
      seal: (iban) => sealIban(config, iban),
      out,
      written: () => say(`Customers: ${customers.length}, contracts: ${contracts}, car parks: ${plan.parks.length}`),
    });
  } catch (e) {
    aside?.stop();
    throw e;
  }
  if (sqliteFile) {
    say('Customers and payments written; waiting for the documents’ writer');
    await aside?.finished;
    say('Documents written; merging');
    mergeSqlite(sqliteFile, part, DOCUMENT_TABLES);
    if (part) rmSync(part);
  }
  say('History written; rendering the benchmark customers’ PDFs');

  // The benchmark customers' PDFs, rendered and stored by the portal's own publication (`<DATA_DIR>/documents`).
  const db = openDatabase(url);
  const [business, individual] = customers as [CustomerPlan, CustomerPlan];
  let counts: Record<string, number>;
  let databaseBytes: number;
  try {
    say('Settled amounts and balances computed from the rows; their triggers back');
    await resumeKeptAmounts(db);
    await resumeAccountVersions(db);
    const benchDocuments = await db.selectFrom('financial_documents').select('id').where('customer_id', 'in', [business.id, individual.id]).orderBy('issue_date').orderBy('number').execute();
    await db.transaction().execute((trx) => renderPublishedPdfs(trx, contentStore(config, 'documents'), clock, config, benchDocuments.map((d) => d.id)));
    say(`PDFs: ${benchDocuments.length}; ANALYZE`);
    await sql`analyze`.execute(db);
    counts = await countRows(db);
    databaseBytes = sqliteFile ? 0 : Number((await sql<{ n: number }>`select pg_database_size(current_database()) as n`.execute(db)).rows[0]!.n);
  } finally {
    await db.destroy();
  }
  // Closed: the write-ahead log is back in the file.
  if (sqliteFile) databaseBytes = statSync(sqliteFile).size;

  const seconds = Math.round(performance.now() - started) / 1000;
  const admin = DEMO_STAFF.find((m) => m.role === 'admin')!;
  const manifest: Manifest = {
    databaseUrl: url,
    dataDir,
    customer: { number: business.number, password: DEMO_ACTIVE_PASSWORD },
    consumer: { number: individual.number, password: DEMO_ACTIVE_PASSWORD },
    staff: { email: admin.email, password: DEMO_STAFF_PASSWORD, totpSecret: admin.totpSecret },
    searchTerms: [`${individual.lastName} ${individual.firstName}`, business.contracts[0]!.vehicles[0]!.plate, business.number, individual.emailPrimary.slice(0, 8)],
    counts,
    seconds,
    databaseBytes,
    apiKey: DEMO_API_KEY,
  };
  writeFileSync(join(dataDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const width = Math.max(...Object.keys(counts).map((t) => t.length));
  out.write(`${Object.entries(counts).map(([t, n]) => `  ${t.padEnd(width)} ${String(n).padStart(11)}`).join('\n')}\n`);
  out.write(`Done in ${seconds} s: ${(databaseBytes / 1e9).toFixed(2)} GB of database; ${join(dataDir, 'manifest.json')}\n`);
  return { manifest, unpaid: new Map(customers.map((c) => [c.number, c.unpaid])) };
}

async function cli(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      customers: { type: 'string', default: '100000' },
      years: { type: 'string', default: '5' },
      out: { type: 'string', default: 'bench/.data' },
      reset: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      // The documents' writer's own (`writeDocumentsAside`).
      part: { type: 'string' },
      now: { type: 'string' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.part) {
    await writePart(values.part, Number(values.customers), Number(values.years), new Date(values.now ?? ''));
    return 0;
  }
  const out = resolve(values.out);
  // The portal's configuration, as `serve` would read it with DATA_DIR=<out>: its database, keys and settings.
  const config = loadConfig({ ...process.env, DATA_DIR: out });
  await generateDataset({ config, customers: Number(values.customers), years: Number(values.years), reset: values.reset });
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  cli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
