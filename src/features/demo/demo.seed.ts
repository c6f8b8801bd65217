import type { Insertable, Transaction } from 'kysely';
import type { Db } from '../../db/database.ts';
import type {
  BillingPeriod,
  CustomerKind,
  Database,
  DocumentKind,
  Language,
  PaymentMethod,
  Product,
} from '../../db/schema.ts';
import { type Clock, DAY, HOUR, MINUTE, isoDate } from '../../lib/clock.ts';
import { documentTotals, lineAmounts, roundCents } from '../../lib/money.ts';
import { generateTemporaryPassword, hashPassword } from '../../lib/passwords.ts';
import { issueTemporaryPassword } from '../customers/customers.service.ts';

/*
 * Demo data: the customer of the French manual (CLT013261, DURAND FRANCOIS, invoice 15FV25832
 * of 212,80 € still due) and about sixty fictional customers around him, with several years of
 * invoices, payments, credit notes and petit-rouleur exit statements.
 *
 * Deterministic for a given clock: every choice comes from a seeded PRNG (ids included) and every
 * date is relative to "today". Only password hashes differ between runs (argon2 salts).
 * Portable: Kysely inserts only, in batches, inside one transaction.
 */

/** Temporary password of CLT013261 (not activated), as printed on his latest invoice. */
export const DEMO_TEMP_PASSWORD = 'Demo-7Q4K-9XWT';
/** Password of every active demo account (e.g. CLT013262, CLT013263). */
export const DEMO_ACTIVE_PASSWORD = 'tramway cerise violette';

const OTHER_CUSTOMERS = 60;
/** The portal shows 5 years; the seed goes back a little further, never more than 6 years. */
const HISTORY_MONTHS = 72;
const STATEMENT_MONTHS = 24;
const VAT_BP = 2000;
/** Rows per INSERT; also kept under ~30 000 bound parameters (SQLite's and PostgreSQL's limits). */
const MAX_ROWS = 500;
const MAX_PARAMS = 30_000;

// ---------------------------------------------------------------------------------------------
// PRNG and small helpers

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
  /** A version-4-shaped UUID drawn from the PRNG, so that a re-run gives the same ids. */
  uuid(): string {
    const hex = Array.from({ length: 4 }, () => ((this.next() * 2 ** 32) >>> 0).toString(16).padStart(8, '0')).join('');
    const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const dateOf = (y: number, m0: number, d: number) => isoDate(new Date(Date.UTC(y, m0, d)));
const parseDate = (s: string) => new Date(`${s}T00:00:00.000Z`);
const addDays = (s: string, n: number) => isoDate(new Date(parseDate(s).getTime() + n * DAY));
const daysBetween = (a: string, b: string) => Math.round((parseDate(b).getTime() - parseDate(a).getTime()) / DAY);
const monthIndexOf = (s: string) => Number(s.slice(0, 4)) * 12 + Number(s.slice(5, 7)) - 1;
const monthStart = (mi: number) => dateOf(Math.floor(mi / 12), mi % 12, 1);
const monthEnd = (mi: number) => dateOf(Math.floor(mi / 12), (mi % 12) + 1, 0);
const yearMonth = (mi: number) => `${Math.floor(mi / 12)}-${pad((mi % 12) + 1)}`;
/** `09/12` */
const dayMonthFr = (s: string) => `${s.slice(8, 10)}/${s.slice(5, 7)}`;
/** ISO timestamp of a date at a UTC time of day. */
const at = (date: string, h = 0, m = 0) => `${date}T${pad(h)}:${pad(m)}:00.000Z`;
const addMs = (ts: string, ms: number) => new Date(new Date(ts).getTime() + ms).toISOString();

const MONTHS_FR = [
  'janvier', 'février', 'mars', 'avril', 'mai', 'juin',
  'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre',
] as const;
const monthNameFr = (mi: number) => `${MONTHS_FR[mi % 12]} ${Math.floor(mi / 12)}`;

const PRODUCT_LABELS: Record<Product, string> = {
  resident: 'Abonnement résident',
  resident_petit_rouleur: 'Abonnement résident petit rouleur',
  non_resident: 'Abonnement non-résident',
  moto: 'Abonnement moto',
  business: 'Abonnement entreprise',
};

/** Petit-rouleur discount of a month, in basis points (domain.md). */
function petitRouleurDiscountBp(exits: number, thirtyPercentVariant: boolean): number {
  if (exits <= 3 && thirtyPercentVariant) return 3000;
  return Math.max(0, Math.min(2500, 2500 - 250 * (exits - 5)));
}

const formatRateFr = (bp: number) => `${(bp / 100).toLocaleString('fr-FR')} %`;

function luhnCheckDigit(base: string): number {
  let sum = 0;
  for (let i = 0; i < base.length; i++) {
    let d = Number(base[base.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

// ---------------------------------------------------------------------------------------------
// Reference data (fictional operator, Paris-like places)

interface ParkDef {
  code: string;
  prefix: string;
  name: string;
  address_line: string;
  postal_code: string;
  phone: string;
  opening_hours: string;
  services: string[];
  petit_rouleur_30: number;
  /** Monthly prices TTC, in cents. */
  residentTtc: number;
  nonResidentTtc: number;
  motoTtc: number;
}

const PARKS: ParkDef[] = [
  {
    code: 'CARDINET', prefix: 'CARD', name: 'CARDINET', address_line: '112 rue Cardinet', postal_code: '75017',
    phone: '01.44.82.99.99', opening_hours: '24h/24, 7j/7',
    services: ['Recharge électrique', 'Places moto', 'Vidéosurveillance'], petit_rouleur_30: 0,
    residentTtc: 26000, nonResidentTtc: 38000, motoTtc: 7500,
  },
  {
    code: 'WAGRAM', prefix: 'WAGR', name: 'WAGRAM', address_line: '38 avenue de Wagram', postal_code: '75008',
    phone: '01.45.63.21.40', opening_hours: '24h/24, 7j/7 ; accueil du lundi au vendredi de 8h à 19h',
    services: ['Recharge électrique', 'Accès PMR', 'Ascenseur', 'Vidéosurveillance', 'Station de lavage'],
    petit_rouleur_30: 0, residentTtc: 24000, nonResidentTtc: 36000, motoTtc: 7000,
  },
  {
    code: 'BATIGNOLLES', prefix: 'BATI', name: 'BATIGNOLLES', address_line: '24 boulevard des Batignolles',
    postal_code: '75017', phone: '01.43.87.52.16', opening_hours: '24h/24, 7j/7',
    services: ['Places moto', 'Places vélos', 'Accès PMR', 'Vidéosurveillance'], petit_rouleur_30: 0,
    residentTtc: 23000, nonResidentTtc: 34000, motoTtc: 7000,
  },
  {
    code: 'GAMBETTA', prefix: 'GAMB', name: 'GAMBETTA', address_line: '9 avenue Gambetta', postal_code: '75020',
    phone: '01.46.36.74.05', opening_hours: 'Du lundi au samedi de 7h à 22h ; abonnés 24h/24, 7j/7',
    services: ['Places moto', 'Recharge électrique', 'Places familles', 'Vidéosurveillance'], petit_rouleur_30: 1,
    residentTtc: 20000, nonResidentTtc: 30000, motoTtc: 6000,
  },
  {
    code: 'BERCY', prefix: 'BERC', name: 'BERCY', address_line: '52 rue de Bercy', postal_code: '75012',
    phone: '01.43.40.18.92', opening_hours: '24h/24, 7j/7',
    services: ['Recharge électrique', 'Places moto', 'Autopartage', 'Accès PMR', 'Gardiennage 24h/24'],
    petit_rouleur_30: 1, residentTtc: 21000, nonResidentTtc: 31000, motoTtc: 6000,
  },
  {
    code: 'MAINE', prefix: 'MAIN', name: 'MAINE', address_line: '31 avenue du Maine', postal_code: '75014',
    phone: '01.45.48.66.23', opening_hours: '24h/24, 7j/7 ; accueil de 7h à 21h',
    services: ['Places moto', 'Places vélos', 'Ascenseur', 'Vidéosurveillance'], petit_rouleur_30: 0,
    residentTtc: 22000, nonResidentTtc: 33000, motoTtc: 6500,
  },
  {
    code: 'REPUBLIQUE', prefix: 'REPU', name: 'RÉPUBLIQUE', address_line: '6 rue du Faubourg du Temple',
    postal_code: '75011', phone: '01.48.05.37.71', opening_hours: '24h/24, 7j/7',
    services: ['Recharge électrique', 'Places moto', 'Station de lavage', 'Vidéosurveillance'], petit_rouleur_30: 0,
    residentTtc: 19000, nonResidentTtc: 29000, motoTtc: 5500,
  },
];

const LAST_NAMES = [
  'MARTIN', 'BERNARD', 'THOMAS', 'PETIT', 'ROBERT', 'RICHARD', 'DUBOIS', 'MOREAU', 'LAURENT', 'SIMON',
  'MICHEL', 'LEFÈVRE', 'LEROY', 'ROUX', 'DAVID', 'BERTRAND', 'MOREL', 'FOURNIER', 'GIRARD', 'BONNET',
  'DUPONT', 'LAMBERT', 'FONTAINE', 'ROUSSEAU', 'VINCENT', 'MULLER', 'FAURE', 'ANDRÉ', 'MERCIER', 'BLANC',
  'GUÉRIN', 'BOYER', 'GARNIER', 'CHEVALIER', 'LEGRAND', 'GAUTHIER', 'GARCIA', 'PERRIN', 'CLÉMENT', 'MORIN',
  'NICOLAS', 'HENRY', 'MATHIEU', 'MASSON', 'MARCHAND', 'DUVAL', 'LEMAIRE', "D'ALMEIDA", 'LE GALL', 'NGUYEN',
  'BENALI', 'MARTIN-LEROY', 'DA SILVA', 'HADDAD', "N'DIAYE", 'KOWALSKI',
];
const FIRST_NAMES_F = [
  'Hélène', 'Camille', 'Sophie', 'Chloé', 'Léa', 'Nathalie', 'Isabelle', 'Émilie', 'Claire', 'Amélie',
  'Inès', 'Manon', 'Sarah', 'Zoé', 'Élodie', 'Aurélie', 'Fatima', 'Anne-Sophie', 'Marie', 'Céline',
];
const FIRST_NAMES_M = [
  'Jean', 'Pierre', 'Nicolas', 'Julien', 'Thomas', 'Antoine', 'François', 'Laurent', 'Olivier', 'Stéphane',
  'Mathieu', 'Hugo', 'Karim', 'Mehdi', 'Jean-Baptiste', 'Rémi', 'Grégoire', 'Théo', 'Paul', 'Yannick',
];
const ENGLISH_NAMES: [string, string, 'M.' | 'Mme'][] = [
  ['SMITH', 'Emily', 'Mme'], ['JOHNSON', 'Michael', 'M.'], ["O'BRIEN", 'Siobhan', 'Mme'],
  ['WILLIAMS', 'James', 'M.'], ['TAYLOR', 'Olivia', 'Mme'], ['MILLER', 'Daniel', 'M.'],
];
const COMPANIES = [
  'ATELIERS DES BATIGNOLLES SARL', 'CABINET MOREAU & ASSOCIÉS', 'LIVRAISONS EXPRESS PARIS SAS',
  'BOULANGERIE SAINT-HONORÉ', 'CLINIQUE VÉTÉRINAIRE DES TERNES', 'TECHNOVA CONSEIL SAS',
  'PHARMACIE DE LA PLACE CLICHY', 'AGENCE IMMOBILIÈRE WAGRAM', 'TRANSPORTS LEMAIRE ET FILS',
  "STUDIO GRAPHIQUE L'ATELIER", 'HÔTEL DU PARC MONCEAU', 'SOCIÉTÉ NOUVELLE DE PLOMBERIE',
  'FLEURS & JARDINS DE BERCY', 'MAINE ARCHITECTURE SELARL',
];
const STREETS: [string, string, string][] = [
  ['RUE DE LÉVIS', '75017', 'PARIS'], ['BOULEVARD MALESHERBES', '75017', 'PARIS'], ['RUE CARDINET', '75017', 'PARIS'],
  ['AVENUE DE VILLIERS', '75017', 'PARIS'], ['RUE DES DAMES', '75017', 'PARIS'], ['RUE DE ROME', '75008', 'PARIS'],
  ['RUE DU FAUBOURG SAINT-ANTOINE', '75012', 'PARIS'], ['AVENUE PARMENTIER', '75011', 'PARIS'],
  ['RUE OBERKAMPF', '75011', 'PARIS'], ['RUE DE CHARONNE', '75011', 'PARIS'], ['BOULEVARD VOLTAIRE', '75011', 'PARIS'],
  ['RUE DES PYRÉNÉES', '75020', 'PARIS'], ['AVENUE GAMBETTA', '75020', 'PARIS'], ['RUE DE MÉNILMONTANT', '75020', 'PARIS'],
  ['RUE DE BERCY', '75012', 'PARIS'], ['AVENUE DAUMESNIL', '75012', 'PARIS'], ['RUE DU COMMERCE', '75015', 'PARIS'],
  ['RUE DE VAUGIRARD', '75015', 'PARIS'], ["RUE D'ALÉSIA", '75014', 'PARIS'], ['AVENUE DU MAINE', '75014', 'PARIS'],
  ['RUE DE TOLBIAC', '75013', 'PARIS'], ['RUE MOUFFETARD', '75005', 'PARIS'], ['RUE DE BRETAGNE', '75003', 'PARIS'],
  ['RUE DU FAUBOURG SAINT-DENIS', '75010', 'PARIS'], ['RUE CAULAINCOURT', '75018', 'PARIS'], ['RUE LEPIC', '75018', 'PARIS'],
  ['AVENUE DE FLANDRE', '75019', 'PARIS'], ['RUE DE TURBIGO', '75003', 'PARIS'],
  ['RUE ANATOLE FRANCE', '92300', 'LEVALLOIS-PERRET'], ['AVENUE CHARLES DE GAULLE', '92200', 'NEUILLY-SUR-SEINE'],
  ['RUE DE PARIS', '93100', 'MONTREUIL'],
];
const ADDRESS_LINE2 = ['BÂTIMENT B', 'ESCALIER 3, 4E ÉTAGE', 'APPARTEMENT 12', 'RÉSIDENCE LES TILLEULS', 'CHEZ M. ET MME LEROY'];
const CARS = [
  'Peugeot 208 grise', 'Renault Clio bleue', 'Citroën C3 blanche', 'Tesla Model 3 noire', 'Toyota Yaris hybride rouge',
  'Renault Zoé blanche', 'Volkswagen Golf noire', 'Fiat 500 crème', 'Dacia Sandero grise', 'Peugeot 3008 noir',
];
const MOTOS = ['Yamaha MT-07 noire', 'Honda CB500F rouge', 'Piaggio MP3 gris', 'Vespa Primavera 125 bleue', 'BMW R 1250 GS'];
const VANS = ['Renault Kangoo blanc', 'Citroën Berlingo blanc', 'Peugeot Expert blanc', 'Renault Master blanc'];
const CREDIT_REASONS = [
  'Geste commercial : place indisponible pour travaux',
  "Geste commercial : panne de la porte d'accès",
  'Geste commercial : badge défectueux',
];
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTVWXYZ';

// ---------------------------------------------------------------------------------------------
// Plans built in memory before anything is written

type Row<T extends keyof Database> = Insertable<Database[T]>;
type Profile = 'good' | 'late' | 'very_late' | 'partial';

interface CustomerPlan {
  row: Row<'customers'>;
  isManual: boolean;
  state: 'active' | 'not_activated';
  profile: Profile;
  wantsCreditNote: boolean;
  contracts: ContractPlan[];
}

interface ContractPlan {
  id: string;
  number: string;
  customer: CustomerPlan;
  park: ParkDef;
  product: Product;
  billing: BillingPeriod;
  status: 'active' | 'ended';
  start: string;
  end: string | null;
  spaces: number;
  /** Price HT of one space for one billing period. */
  unitHt: number;
  directDebit: boolean;
  /** Petit rouleur: exit counts of the STATEMENT_MONTHS statement months. */
  exitCounts: number[] | null;
  badge: string;
  spaceLabel: string | null;
  vehicles: { plate: string; description: string }[];
}

interface LineDraft {
  label: string;
  quantity_milli: number;
  unit_price_ht_cents: number;
}

interface DocDraft {
  id: string;
  number: string;
  kind: DocumentKind;
  customer: CustomerPlan;
  contract: ContractPlan | null;
  correctsId: string | null;
  issue: string;
  periodStart: string | null;
  periodEnd: string | null;
  due: string | null;
  /** Month index of the billed period (petit-rouleur statements point at it). */
  periodMonth: number;
  lines: LineDraft[];
  ttc: number;
  /** Amount already settled by a credit note. */
  credited: number;
}

async function insertAll<T extends keyof Database & string>(trx: Transaction<Database>, table: T, rows: Row<T>[]) {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object).length;
  const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns)));
  for (let i = 0; i < rows.length; i += size) {
    // Kysely cannot relate a generic table name to its row type; the rows are typed by the caller.
    await trx.insertInto(table).values(rows.slice(i, i + size) as never).execute();
  }
}

/**
 * Start date of the manual's contract: the earliest 9 December that is at most five years before
 * today, so that the invoice 15FV25832 stays inside the portal's 5-year history (2021-12-09 for
 * 2026-11-27).
 */
export function manualContractStart(today: string): string {
  const y = Number(today.slice(0, 4)) - 5;
  const fiveYearsAgo = dateOf(y, Number(today.slice(5, 7)) - 1, Number(today.slice(8, 10)));
  const candidate = dateOf(y, 11, 9);
  return candidate >= fiveYearsAgo ? candidate : dateOf(y + 1, 11, 9);
}

export async function seedDemo(
  db: Db,
  clock: Clock,
  opts: { tempPasswordDays: number },
): Promise<{ customers: number; documents: number }> {
  const now = clock.now();
  const nowTs = now.toISOString();
  const today = isoDate(now);
  const curMi = monthIndexOf(today);
  const windowMi = curMi - HISTORY_MONTHS;
  const clampTs = (ts: string) => (ts > nowTs ? nowTs : ts);

  const rng = new Rng(0x5eed_2015);
  const ids = new Rng(0x1d5_c0de);

  // Hashing is the slow part: two argon2 hashes shared by every account, plus the manual's one.
  const activeHash = await hashPassword(DEMO_ACTIVE_PASSWORD);
  const unknownTempHash = await hashPassword(generateTemporaryPassword());

  // ---- car parks
  const parkIds = new Map<string, string>();
  const carParkRows: Row<'car_parks'>[] = PARKS.map((p) => {
    const id = ids.uuid();
    parkIds.set(p.code, id);
    return {
      id,
      code: p.code,
      name: p.name,
      address_line: p.address_line,
      postal_code: p.postal_code,
      city: 'Paris',
      phone: p.phone,
      email: `${p.code.toLowerCase()}@parkings-demo.example`,
      opening_hours: p.opening_hours,
      services: JSON.stringify(p.services),
      petit_rouleur_30: p.petit_rouleur_30,
      created_at: at(monthStart(windowMi - 48)),
    };
  });
  const park = (code: string) => PARKS.find((p) => p.code === code) as ParkDef;
  const motoParks = PARKS.filter((p) => p.services.includes('Places moto'));

  const monthlyHt = (p: ParkDef, product: Product) => {
    const ttc =
      product === 'resident' || product === 'resident_petit_rouleur'
        ? p.residentTtc
        : product === 'moto'
          ? p.motoTtc
          : p.nonResidentTtc;
    return roundCents((ttc * 10_000) / (10_000 + VAT_BP));
  };

  const plate = () => {
    const l = () => rng.pick([...PLATE_LETTERS]);
    return `${l()}${l()}-${pad(rng.int(1, 999), 3)}-${l()}${l()}`;
  };

  const customers: CustomerPlan[] = [];
  const contracts: ContractPlan[] = [];

  // ---- the manual's customer
  const manualStart = manualContractStart(today);
  const manual: CustomerPlan = {
    isManual: true,
    state: 'not_activated',
    profile: 'good',
    wantsCreditNote: false,
    contracts: [],
    row: {
      id: ids.uuid(),
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
      created_at: at(manualStart),
      updated_at: at(manualStart),
    },
  };
  const manualContract: ContractPlan = {
    id: ids.uuid(),
    number: '15CTCARD125',
    customer: manual,
    park: park('CARDINET'),
    product: 'resident',
    billing: 'monthly',
    status: 'active',
    start: manualStart,
    end: null,
    spaces: 1,
    unitHt: 21667,
    directDebit: false,
    exitCounts: null,
    badge: 'BDG004512',
    spaceLabel: 'Niveau -2, place 117',
    vehicles: [{ plate: 'AB-123-CD', description: 'Peugeot 308 grise' }],
  };
  manual.contracts.push(manualContract);
  customers.push(manual);
  contracts.push(manualContract);

  // ---- everybody else
  const exitCountsFor = () => {
    // Every value 0..20 once (so every discount bracket appears), plus a few low counts.
    const base = Array.from({ length: 21 }, (_, i) => i);
    for (let i = base.length; i < STATEMENT_MONTHS; i++) base.push(rng.int(0, 6));
    return rng.shuffle(base);
  };

  const startDateMonthsAgo = (monthsAgo: number) => {
    const mi = curMi - monthsAgo;
    const maxDay = monthsAgo === 0 ? Number(today.slice(8, 10)) : 28;
    return dateOf(Math.floor(mi / 12), mi % 12, rng.int(1, maxDay));
  };
  const randomStart = () => {
    const r = rng.float();
    if (r < 0.15) return startDateMonthsAgo(rng.int(0, 3));
    if (r < 0.45) return startDateMonthsAgo(rng.int(4, 36));
    return startDateMonthsAgo(rng.int(37, 110));
  };
  /** An end date (last day of a past month, or of a quarter) at least 6 months after the start. */
  const randomEnd = (start: string, billing: BillingPeriod) => {
    const startMi = monthIndexOf(start);
    const lo = Math.min(startMi + 6, curMi - 1);
    let endMi = rng.int(lo, curMi - 1);
    if (billing === 'quarterly') endMi = Math.floor(endMi / 3) * 3 - 1;
    if (endMi < startMi) endMi = billing === 'quarterly' ? Math.floor(startMi / 3) * 3 + 2 : startMi;
    return monthEnd(endMi);
  };

  let spaceCounter = 0;
  const newContract = (
    customer: CustomerPlan,
    p: ParkDef,
    product: Product,
    o: { billing?: BillingPeriod; start?: string; ended?: boolean; spaces?: number; directDebit?: boolean } = {},
  ): ContractPlan => {
    const billing = o.billing ?? 'monthly';
    let start = o.start ?? randomStart();
    let ended = o.ended ?? false;
    if (ended && monthIndexOf(start) > curMi - 8) start = startDateMonthsAgo(rng.int(12, 90));
    const end = ended ? randomEnd(start, billing) : null;
    if (end && end < start) ended = false;
    const spaces = o.spaces ?? 1;
    const perMonth = monthlyHt(p, product);
    spaceCounter++;
    const level = rng.int(1, 4);
    const firstSpace = rng.int(1, 240);
    const spaceLabel =
      product === 'moto'
        ? `Zone moto, emplacement M${rng.int(1, 40)}`
        : product === 'non_resident'
          ? null
          : spaces > 1
            ? `Niveau -${level}, places ${firstSpace} à ${firstSpace + spaces - 1}`
            : `Niveau -${level}, place ${firstSpace}`;
    const vehicles = Array.from({ length: product === 'business' ? rng.int(1, 3) : 1 }, () => ({
      plate: plate(),
      description:
        product === 'moto' ? rng.pick(MOTOS) : product === 'business' && rng.chance(0.6) ? rng.pick(VANS) : rng.pick(CARS),
    }));
    const c: ContractPlan = {
      id: ids.uuid(),
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
      directDebit: o.directDebit ?? rng.chance(0.5),
      exitCounts: product === 'resident_petit_rouleur' ? exitCountsFor() : null,
      badge: `BDG${pad(4512 + spaceCounter * 37, 6)}`,
      spaceLabel,
      vehicles,
    };
    customer.contracts.push(c);
    contracts.push(c);
    return c;
  };

  const individualProducts: Product[] = [
    'resident', 'non_resident', 'resident_petit_rouleur', 'moto', 'resident', 'non_resident', 'resident',
  ];
  let individualCount = 0;
  let companyCount = 0;
  const usedNames = new Set<string>(['DURAND FRANCOIS']);
  const usedEmails = new Set<string>();

  for (let i = 0; i < OTHER_CUSTOMERS; i++) {
    const number = `CLT${pad(13262 + i, 6)}`;
    const kind: CustomerKind = i === 1 || (i !== 0 && i % 5 === 1) ? 'business' : 'individual';
    const state: CustomerPlan['state'] = i > 1 && i % 3 === 2 ? 'not_activated' : 'active';
    const language: Language = state === 'active' && i % 8 === 5 ? 'en' : 'fr';
    const profile: Profile =
      i < 2 ? 'good' : i % 7 === 3 ? 'late' : i % 10 === 8 ? 'very_late' : i % 11 === 5 ? 'partial' : 'good';

    let civility: string;
    let last: string;
    let first: string;
    if (language === 'en') {
      [last, first, civility] = rng.pick(ENGLISH_NAMES);
    } else {
      do {
        civility = rng.chance(0.5) ? 'M.' : 'Mme';
        first = rng.pick(civility === 'M.' ? FIRST_NAMES_M : FIRST_NAMES_F);
        last = rng.pick(LAST_NAMES);
      } while (usedNames.has(`${last} ${first}`));
    }
    usedNames.add(`${last} ${first}`);
    const company = kind === 'business' ? (COMPANIES[companyCount++ % COMPANIES.length] as string) : null;
    const [street, postal, city] = rng.pick(STREETS);
    const sirenBase = String(rng.int(10_000_000, 99_999_999));
    let emailLocal = `${slug(first)}.${slug(last)}`.replace(/-/g, '.');
    if (usedEmails.has(emailLocal)) emailLocal = `${emailLocal}${i}`;
    usedEmails.add(emailLocal);

    const customer: CustomerPlan = {
      isManual: false,
      state,
      profile,
      wantsCreditNote: i % 9 === 4,
      contracts: [],
      row: {
        id: ids.uuid(),
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
      if (kind === 'business') customer.row.email_secondary = `comptabilite@${slug(company ?? 'societe')}.example.com`;
      else if (rng.chance(0.2)) customer.row.email_secondary = `${emailLocal}.perso@example.com`;
    }
    customers.push(customer);

    if (i === 0) {
      // The known active petit-rouleur login: a former resident who switched two years ago.
      const g = park('GAMBETTA');
      newContract(customer, g, 'resident', { start: startDateMonthsAgo(80), ended: false, directDebit: true });
      const old = customer.contracts[0] as ContractPlan;
      old.status = 'ended';
      old.end = monthEnd(curMi - STATEMENT_MONTHS - 1);
      newContract(customer, g, 'resident_petit_rouleur', { start: monthStart(curMi - STATEMENT_MONTHS), directDebit: true });
    } else if (i === 1) {
      // The known active business login: four contracts, monthly and quarterly, one ended.
      const parks = ['WAGRAM', 'CARDINET', 'BATIGNOLLES', 'MAINE'].map(park);
      newContract(customer, parks[0] as ParkDef, 'business', { start: startDateMonthsAgo(75), spaces: 3, directDebit: true });
      newContract(customer, parks[1] as ParkDef, 'business', { start: startDateMonthsAgo(40), directDebit: true });
      newContract(customer, parks[2] as ParkDef, 'business', { billing: 'quarterly', start: startDateMonthsAgo(30), spaces: 2, directDebit: false });
      newContract(customer, parks[3] as ParkDef, 'business', { billing: 'quarterly', start: startDateMonthsAgo(60), ended: true, directDebit: false });
    } else if (kind === 'business') {
      const n = rng.int(2, 5);
      const quarterly = companyCount % 3 === 0;
      const parks = rng.shuffle(PARKS);
      for (let k = 0; k < n; k++) {
        newContract(customer, parks[k] as ParkDef, 'business', {
          billing: quarterly ? 'quarterly' : 'monthly',
          spaces: rng.int(1, 3),
          ended: k > 0 && rng.chance(0.15),
          directDebit: rng.chance(0.7),
        });
      }
    } else {
      const product = individualProducts[individualCount++ % individualProducts.length] as Product;
      const p = product === 'moto' ? rng.pick(motoParks) : rng.pick(PARKS);
      if (product === 'resident_petit_rouleur') {
        newContract(customer, p, product, { start: startDateMonthsAgo(STATEMENT_MONTHS) });
      } else {
        newContract(customer, p, product, {
          billing: product === 'non_resident' && rng.chance(0.3) ? 'quarterly' : 'monthly',
          ended: i % 6 === 5,
        });
      }
      // Some also park a motorbike, or had an older contract elsewhere.
      if (product !== 'moto' && rng.chance(0.15)) newContract(customer, rng.pick(motoParks), 'moto');
      if (i % 4 === 0) newContract(customer, rng.pick(PARKS), rng.pick(['resident', 'non_resident'] as const), { ended: true });
    }
  }

  // ---- contract numbers: YY (start year) + CT + car park prefix + a global sequence, in start order
  const others = contracts.filter((c) => !c.customer.isManual).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  others.forEach((c, k) => {
    c.number = `${c.start.slice(2, 4)}CT${c.park.prefix}${126 + k}`;
  });

  // ---- invoices
  const docs: DocDraft[] = [];
  const invoiceByContractMonth = new Map<string, DocDraft>();
  const discountByContractMonth = new Map<string, number>();

  const addInvoice = (c: ContractPlan, d: Omit<DocDraft, 'id' | 'number' | 'kind' | 'customer' | 'contract' | 'correctsId' | 'ttc' | 'credited'>) => {
    const doc: DocDraft = {
      ...d,
      id: ids.uuid(),
      number: '',
      kind: 'invoice',
      customer: c.customer,
      contract: c,
      correctsId: null,
      ttc: 0,
      credited: 0,
    };
    doc.ttc = totalsOf(doc.lines).total_ttc_cents;
    docs.push(doc);
    invoiceByContractMonth.set(`${c.id}|${d.periodMonth}`, doc);
    return doc;
  };

  for (const c of contracts) {
    const startMi = monthIndexOf(c.start);
    const lastMi = c.end ? monthIndexOf(c.end) : curMi;
    const label = `${PRODUCT_LABELS[c.product]} ${c.park.name}`;
    const spacesNote = c.spaces > 1 ? ` (${c.spaces} places)` : '';
    const inArrears = c.product === 'resident_petit_rouleur';
    const step = c.billing === 'quarterly' ? 3 : 1;
    const firstPeriodMi = Math.floor(startMi / step) * step;

    for (let pmi = firstPeriodMi; pmi <= lastMi; pmi += step) {
      if (pmi < windowMi) continue;
      const isFirst = pmi === firstPeriodMi;
      const fullStart = monthStart(pmi);
      const pStart = isFirst ? c.start : fullStart;
      const pEnd = monthEnd(pmi + step - 1);
      const issue = inArrears ? monthStart(pmi + step) : isFirst ? c.start : fullStart;
      if (issue > today) continue;
      const due = isFirst && !inArrears ? addDays(issue, 30) : addDays(issue, 9);
      const periodDays = daysBetween(fullStart, pEnd) + 1;
      const days = daysBetween(pStart, pEnd) + 1;
      const lines: LineDraft[] = [];

      if (c.customer.isManual && isFirst) {
        // The manual's first invoice: 23/31 of 216,67 € HT plus the badge, 212,80 € TTC in all.
        lines.push({
          label: `${PRODUCT_LABELS[c.product]} du ${dayMonthFr(pStart)} au ${dayMonthFr(pEnd)} (prorata ${days}/${periodDays})`,
          quantity_milli: Math.round((1000 * days) / periodDays),
          unit_price_ht_cents: c.unitHt,
        });
        lines.push({ label: 'Frais de badge', quantity_milli: 1000, unit_price_ht_cents: 1656 });
      } else {
        const periodName =
          step === 3 ? `${pmi % 12 === 0 ? '1er' : `${(pmi % 12) / 3 + 1}e`} trimestre ${Math.floor(pmi / 12)}` : monthNameFr(pmi);
        if (days < periodDays) {
          lines.push({
            label: `${label} du ${dayMonthFr(pStart)} au ${dayMonthFr(pEnd)} (prorata ${days}/${periodDays})${spacesNote}`,
            quantity_milli: Math.round((1000 * c.spaces * days) / periodDays),
            unit_price_ht_cents: c.unitHt,
          });
        } else {
          lines.push({ label: `${label} — ${periodName}${spacesNote}`, quantity_milli: 1000 * c.spaces, unit_price_ht_cents: c.unitHt });
        }
        if (isFirst && pStart === c.start) {
          lines.push({ label: 'Frais de badge', quantity_milli: 1000 * c.spaces, unit_price_ht_cents: 1667 });
        } else if (rng.chance(0.01)) {
          lines.push({ label: 'Badge de remplacement', quantity_milli: 1000, unit_price_ht_cents: 1667 });
        }
        const k = pmi - (curMi - STATEMENT_MONTHS);
        if (c.exitCounts && k >= 0 && k < STATEMENT_MONTHS) {
          const exits = c.exitCounts[k] as number;
          const bp = petitRouleurDiscountBp(exits, c.park.petit_rouleur_30 === 1);
          const subscriptionHt = lineAmounts(c.unitHt, (lines[0] as LineDraft).quantity_milli, VAT_BP).total_ht_cents;
          const discount = roundCents((subscriptionHt * bp) / 10_000);
          discountByContractMonth.set(`${c.id}|${pmi}`, discount);
          if (discount > 0) {
            lines.push({
              label: `Remise petit rouleur ${monthNameFr(pmi)} : ${exits} sortie${exits > 1 ? 's' : ''}, ${formatRateFr(bp)}`,
              quantity_milli: 1000,
              unit_price_ht_cents: -discount,
            });
          }
        }
      }
      addInvoice(c, { issue, periodStart: pStart, periodEnd: pEnd, due, periodMonth: pmi, lines });
    }
  }

  // ---- a few credit notes (commercial gestures), each settling part of one invoice
  for (const customer of customers) {
    if (!customer.wantsCreditNote) continue;
    const candidates = docs.filter((d) => d.customer === customer && d.kind === 'invoice' && d.issue <= addDays(today, -40));
    if (candidates.length === 0) continue;
    const inv = rng.pick(candidates);
    const c = inv.contract as ContractPlan;
    const days = rng.int(3, 8);
    const amount = roundCents((c.unitHt * c.spaces * days) / (c.billing === 'quarterly' ? 90 : 30));
    const issue = addDays(inv.issue, rng.int(5, 20));
    const credit: DocDraft = {
      id: ids.uuid(),
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
      lines: [{ label: `${rng.pick(CREDIT_REASONS)} (${days} jours)`, quantity_milli: 1000, unit_price_ht_cents: amount }],
      ttc: 0,
      credited: 0,
    };
    credit.ttc = totalsOf(credit.lines).total_ttc_cents;
    if (credit.ttc >= inv.ttc) continue;
    inv.credited = credit.ttc;
    docs.push(credit);
  }

  // ---- document numbers: one series per year and kind, chronological, no gaps
  const orderKey = (d: DocDraft) => `${d.issue}|${d.kind}|${d.customer.row.number}|${d.contract?.number ?? ''}`;
  const ordered = [...docs].sort((a, b) => (orderKey(a) < orderKey(b) ? -1 : orderKey(a) > orderKey(b) ? 1 : 0));
  const seq = new Map<string, number>();
  for (const d of ordered) {
    if (d.customer.isManual && d.contract?.start === d.issue && d.kind === 'invoice') {
      d.number = '15FV25832';
      continue;
    }
    const series = `${d.issue.slice(2, 4)}${d.kind === 'invoice' ? 'FV' : 'AV'}`;
    let n = (seq.get(series) ?? 0) + 1;
    if (`${series}${pad(n, 5)}` === '15FV25832') n++;
    seq.set(series, n);
    d.number = `${series}${pad(n, 5)}`;
  }

  // ---- payments and allocations
  const paymentRows: Row<'payments'>[] = [];
  const allocationRows: Row<'allocations'>[] = [];
  const businessPayments = new Map<string, Row<'payments'>>();
  const payDelay = new Map<string, number>();

  const lastIssueOf = new Map<CustomerPlan, string>();
  for (const d of docs) {
    if (d.kind !== 'invoice') continue;
    const prev = lastIssueOf.get(d.customer);
    if (!prev || d.issue > prev) lastIssueOf.set(d.customer, d.issue);
  }
  const partialDone = new Set<CustomerPlan>();
  const creditFor = new Map<string, DocDraft>();
  for (const d of docs) if (d.correctsId) creditFor.set(d.correctsId, d);

  for (const d of ordered) {
    if (d.kind === 'credit_note') {
      allocationRows.push({
        id: ids.uuid(),
        invoice_id: d.correctsId as string,
        payment_id: null,
        credit_note_id: d.id,
        amount_cents: d.ttc,
        created_at: at(d.issue, 9),
      });
      continue;
    }
    const customer = d.customer;
    const c = d.contract as ContractPlan;
    const toPay = d.ttc - d.credited;
    if (toPay <= 0) continue;

    if (customer.isManual) {
      if (d.number === '15FV25832') continue; // the manual's invoice stays fully due
      const receivedAt = clampTs(at(addDays(d.issue, 3), 11, 20));
      const paymentId = ids.uuid();
      paymentRows.push({
        id: paymentId, customer_id: customer.row.id, method: 'card', provider: null, provider_reference: null,
        status: 'succeeded', amount_cents: toPay, received_at: receivedAt, created_at: receivedAt,
      });
      allocationRows.push({ id: ids.uuid(), invoice_id: d.id, payment_id: paymentId, credit_note_id: null, amount_cents: toPay, created_at: receivedAt });
      continue;
    }

    const method: PaymentMethod = c.directDebit
      ? 'direct_debit'
      : customer.row.kind === 'business'
        ? 'transfer'
        : customer.state === 'active' && customer.row.paperless
          ? 'card'
          : rng.pick(['cheque', 'transfer', 'card'] as const);
    const ageDays = daysBetween(d.issue, today);
    const unpaidWindow = customer.profile === 'late' ? 45 : customer.profile === 'very_late' ? 75 : -1;
    if (ageDays <= unpaidWindow) {
      // A rejected direct debit explains some of the unpaid invoices.
      if (method === 'direct_debit' && d.due && d.due <= today) {
        paymentRows.push({
          id: ids.uuid(), customer_id: customer.row.id, method, provider: null, provider_reference: null,
          status: 'failed', amount_cents: toPay, received_at: null, created_at: at(d.due, 6),
        });
      }
      continue;
    }

    if (customer.profile === 'partial' && !partialDone.has(customer) && d.issue === lastIssueOf.get(customer)) {
      partialDone.add(customer);
      const amount = Math.max(1, Math.min(toPay - 1, roundCents(toPay * (0.3 + 0.4 * rng.float()))));
      const receivedAt = clampTs(at(addDays(d.issue, 1), 15, 5));
      const paymentId = ids.uuid();
      paymentRows.push({
        id: paymentId, customer_id: customer.row.id, method: method === 'direct_debit' ? 'card' : method, provider: null,
        provider_reference: null, status: 'succeeded', amount_cents: amount, received_at: receivedAt, created_at: receivedAt,
      });
      allocationRows.push({ id: ids.uuid(), invoice_id: d.id, payment_id: paymentId, credit_note_id: null, amount_cents: amount, created_at: receivedAt });
      continue;
    }

    // Business customers settle a month's invoices in one payment per method.
    const delayKey = `${customer.row.id}|${d.issue}`;
    let delay = payDelay.get(delayKey);
    if (delay === undefined) {
      delay = method === 'cheque' ? rng.int(4, 20) : method === 'transfer' ? rng.int(2, 12) : rng.int(0, 6);
      payDelay.set(delayKey, delay);
    }
    let payDate = method === 'direct_debit' ? (d.due as string) : addDays(d.issue, delay);
    const credit = creditFor.get(d.id);
    if (credit && payDate < addDays(credit.issue, 2)) payDate = addDays(credit.issue, 2);
    const receivedAt = method === 'direct_debit' ? at(payDate, 6) : at(payDate, 8 + (delay % 10), (delay * 7) % 60);
    if (receivedAt > nowTs) continue; // not paid yet: still due

    let paymentId: string;
    const groupKey = `${customer.row.id}|${method}|${receivedAt}`;
    const grouped = customer.row.kind === 'business' ? businessPayments.get(groupKey) : undefined;
    if (grouped) {
      grouped.amount_cents = (grouped.amount_cents as number) + toPay;
      paymentId = grouped.id;
    } else {
      paymentId = ids.uuid();
      const row: Row<'payments'> = {
        id: paymentId, customer_id: customer.row.id, method, provider: null, provider_reference: null,
        status: 'succeeded', amount_cents: toPay, received_at: receivedAt, created_at: receivedAt,
      };
      paymentRows.push(row);
      if (customer.row.kind === 'business') businessPayments.set(groupKey, row);
    }
    allocationRows.push({ id: ids.uuid(), invoice_id: d.id, payment_id: paymentId, credit_note_id: null, amount_cents: toPay, created_at: receivedAt });
  }

  // ---- petit-rouleur statements and exits
  const statementRows: Row<'exit_statements'>[] = [];
  const exitRows: Row<'exits'>[] = [];
  for (const c of contracts) {
    if (!c.exitCounts) continue;
    for (let k = 0; k < STATEMENT_MONTHS; k++) {
      const mi = curMi - STATEMENT_MONTHS + k;
      const count = c.exitCounts[k] as number;
      const statementId = ids.uuid();
      statementRows.push({
        id: statementId,
        contract_id: c.id,
        month: yearMonth(mi),
        exit_count: count,
        document_id: invoiceByContractMonth.get(`${c.id}|${mi}`)?.id ?? null,
        discount_ht_cents: discountByContractMonth.get(`${c.id}|${mi}`) ?? null,
        created_at: clampTs(at(monthStart(mi + 1), 2)),
      });
      // Most months come with the detail of each exit; a few only with the count.
      if (count === 0 || rng.chance(0.15)) continue;
      const firstDay = mi === monthIndexOf(c.start) ? Number(c.start.slice(8, 10)) : 1;
      const lastDay = Number(monthEnd(mi).slice(8, 10));
      const times: string[] = [];
      for (let e = 0; e < count; e++) {
        const day = monthStart(mi).slice(0, 8) + pad(rng.int(firstDay, lastDay));
        times.push(at(day, rng.int(6, 22), rng.int(0, 59)));
      }
      times.sort();
      for (const t of times) exitRows.push({ id: ids.uuid(), statement_id: statementId, exited_at: t });
    }
  }

  // ---- customers, portal accounts, paperless consents
  const accountRows: Row<'portal_accounts'>[] = [];
  const consentRows: Row<'paperless_consents'>[] = [];
  customers.forEach((customer, i) => {
    const firstStart = customer.contracts.map((c) => c.start).sort()[0] as string;
    const createdAt = at(firstStart);
    customer.row.created_at = createdAt;
    customer.row.updated_at = createdAt;
    if (customer.isManual) return; // his account comes from issueTemporaryPassword below
    if (customer.state === 'not_activated') {
      const daysAgo = Math.min(rng.int(0, 30), Math.max(0, opts.tempPasswordDays - 1));
      const issuedAt = clampTs(addMs(at(today, 5), -daysAgo * DAY));
      accountRows.push({
        customer_id: customer.row.id, state: 'not_activated', temp_password_hash: unknownTempHash,
        temp_password_issued_at: issuedAt, temp_password_expires_at: addMs(issuedAt, opts.tempPasswordDays * DAY),
        password_hash: null, password_changed_at: null, activated_at: null, last_login_at: null, created_at: issuedAt,
      });
      return;
    }
    const lo = Math.max(new Date(createdAt).getTime() + DAY, now.getTime() - 3 * 365 * DAY);
    const hi = now.getTime() - 2 * HOUR;
    const activated = new Date(lo < hi ? lo + Math.floor(rng.float() * (hi - lo)) : hi).toISOString();
    const lastLogin = new Date(Math.max(new Date(activated).getTime(), hi - Math.floor(rng.float() * 60 * DAY))).toISOString();
    accountRows.push({
      customer_id: customer.row.id, state: 'active', temp_password_hash: null, temp_password_issued_at: null,
      temp_password_expires_at: null, password_hash: activeHash, password_changed_at: activated,
      activated_at: activated, last_login_at: lastLogin,
      created_at: new Date(Math.max(new Date(createdAt).getTime(), new Date(activated).getTime() - rng.int(2, 40) * DAY)).toISOString(),
    });
    customer.row.email_primary_verified_at = addMs(activated, 4 * MINUTE);
    customer.row.updated_at = activated;
    const paperless = customer.row.number === 'CLT013262' || rng.chance(0.6);
    if (paperless) {
      const ip = `192.0.2.${(i % 250) + 1}`;
      consentRows.push({ id: ids.uuid(), customer_id: customer.row.id, given: 1, at: activated, source: 'first_login', ip });
      customer.row.paperless = 1;
      customer.row.paperless_changed_at = activated;
      // A couple of customers went back to paper later on.
      if (i % 13 === 7) {
        const from = new Date(activated).getTime();
        const withdrawn = new Date(from + Math.floor((0.3 + 0.6 * rng.float()) * (hi - from))).toISOString();
        consentRows.push({ id: ids.uuid(), customer_id: customer.row.id, given: 0, at: withdrawn, source: 'profile', ip });
        customer.row.paperless = 0;
        customer.row.paperless_changed_at = withdrawn;
        customer.row.updated_at = withdrawn;
      }
    }
  });

  // ---- rows of contracts, vehicles, documents, lines
  const contractRows: Row<'contracts'>[] = [];
  const vehicleRows: Row<'contract_vehicles'>[] = [];
  for (const c of contracts) {
    let renewal: string | null = null;
    if (c.status === 'active') {
      renewal = `${today.slice(0, 4)}${c.start.slice(4)}`;
      if (renewal.endsWith('02-29')) renewal = renewal.replace(/02-29$/, '02-28');
      if (renewal <= today) renewal = `${Number(renewal.slice(0, 4)) + 1}${renewal.slice(4)}`;
    }
    contractRows.push({
      id: c.id, number: c.number, customer_id: c.customer.row.id, car_park_id: parkIds.get(c.park.code) as string,
      product: c.product, status: c.status, start_date: c.start, end_date: c.end, renewal_date: renewal,
      billing_period: c.billing, price_ht_cents: c.unitHt * c.spaces, vat_rate_bp: VAT_BP, direct_debit: c.directDebit ? 1 : 0,
      badge_number: c.badge, space_label: c.spaceLabel, created_at: at(c.start),
    });
    for (const v of c.vehicles) vehicleRows.push({ id: ids.uuid(), contract_id: c.id, plate: v.plate, description: v.description });
  }

  const documentRows: Row<'financial_documents'>[] = [];
  const lineRows: Row<'document_lines'>[] = [];
  // Invoices first: credit notes reference them.
  for (const d of [...ordered.filter((x) => x.kind === 'invoice'), ...ordered.filter((x) => x.kind === 'credit_note')]) {
    const totals = totalsOf(d.lines);
    documentRows.push({
      id: d.id, number: d.number, kind: d.kind, customer_id: d.customer.row.id, contract_id: d.contract?.id ?? null,
      corrects_document_id: d.correctsId, issue_date: d.issue, period_start: d.periodStart, period_end: d.periodEnd,
      due_date: d.due, total_ht_cents: totals.total_ht_cents, total_vat_cents: totals.total_vat_cents,
      total_ttc_cents: totals.total_ttc_cents, pdf_sha256: null, published_at: at(d.issue), notified_at: at(d.issue), created_at: at(d.issue),
    });
    d.lines.forEach((l, position) => {
      lineRows.push({
        id: ids.uuid(), document_id: d.id, position: position + 1, label: l.label, quantity_milli: l.quantity_milli,
        unit_price_ht_cents: l.unit_price_ht_cents, vat_rate_bp: VAT_BP,
        ...lineAmounts(l.unit_price_ht_cents, l.quantity_milli, VAT_BP),
      });
    });
  }

  await db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('customers').select('id').where('number', '=', 'CLT013261').executeTakeFirst();
    if (existing) throw new Error('The demo data is already in this database (customer CLT013261 exists).');
    await insertAll(trx, 'car_parks', carParkRows);
    await insertAll(trx, 'customers', customers.map((c) => c.row));
    await insertAll(trx, 'portal_accounts', accountRows);
    await insertAll(trx, 'paperless_consents', consentRows);
    await insertAll(trx, 'contracts', contractRows);
    await insertAll(trx, 'contract_vehicles', vehicleRows);
    await insertAll(trx, 'financial_documents', documentRows);
    await insertAll(trx, 'document_lines', lineRows);
    await insertAll(trx, 'payments', paymentRows);
    await insertAll(trx, 'allocations', allocationRows);
    await insertAll(trx, 'exit_statements', statementRows);
    await insertAll(trx, 'exits', exitRows);
    await issueTemporaryPassword(trx, clock, manual.row.id, opts.tempPasswordDays, DEMO_TEMP_PASSWORD);
  });

  return { customers: customers.length, documents: documentRows.length };
}

function totalsOf(lines: LineDraft[]) {
  return documentTotals(
    lines.map((l) => ({ ...lineAmounts(l.unit_price_ht_cents, l.quantity_milli, VAT_BP), vat_rate_bp: VAT_BP })),
  );
}
