import type { Product } from '../../db/schema.ts';
import { STATEMENT_MONTHS, at, dateOf, monthEnd, monthStart } from './demo.kit.ts';
import {
  type ContractPlan,
  type CustomerPlan,
  type CustomerTraits,
  type DemoSet,
  type Profile,
  type Row,
  addContract,
  addCustomer,
  startDateMonthsAgo,
} from './demo.plans.ts';
import { MOTO_PARKS, PARKS, type ParkDef, parkByCode } from './demo.reference.ts';
import { storedHours } from '../public/public.rules.ts';

/*
 * The people of the demo, one builder per scenario. They run in the order `seedDemo` lists
 * them, each drawing its random choices after the previous one's.
 */

/** Customers after the two known logins, CLT013264 to CLT013321. */
const ORDINARY_SUBSCRIBERS = 58;

/** The operator's car parks, each given an id. */
export function carParksOfTheOperator(set: DemoSet): Row<'car_parks'>[] {
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

/**
 * The customer of the French manual, CLT013261 DURAND FRANCOIS: a resident at CARDINET since
 * `manualContractStart`, not activated yet, whose first invoice 15FV25832 (212,80 €) is still
 * due and every later one paid by card. His temporary password is issued when the data is
 * written; the invoices and payments steps know him by `isManual`.
 */
export function newSubscriberOfTheManual(set: DemoSet): CustomerPlan {
  const start = manualContractStart(set.today);
  const manual: CustomerPlan = {
    isManual: true,
    state: 'not_activated',
    profile: 'good',
    wantsCreditNote: false,
    contracts: [],
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
  const contract: ContractPlan = {
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

/**
 * The known active petit-rouleur login, CLT013262: a resident at GAMBETTA who switched to the
 * petit-rouleur subscription there two years ago (STATEMENT_MONTHS of statements), paying by
 * direct debit and paperless.
 */
export function petitRouleurFormerResident(set: DemoSet): void {
  const customer = addCustomer(set, 0, { kind: 'individual', state: 'active', language: 'fr', profile: 'good', wantsCreditNote: false });
  const g = parkByCode('GAMBETTA');
  const old = addContract(set, customer, g, 'resident', { start: startDateMonthsAgo(set, 80), ended: false, directDebit: true });
  old.status = 'ended';
  old.end = monthEnd(set.curMi - STATEMENT_MONTHS - 1);
  addContract(set, customer, g, 'resident_petit_rouleur', { start: monthStart(set.curMi - STATEMENT_MONTHS), directDebit: true });
}

/**
 * The known active business login, CLT013263: four contracts in four car parks, two monthly
 * by direct debit (one for three spaces), two quarterly (one for two spaces, one ended).
 */
export function businessWithSeveralContracts(set: DemoSet): void {
  const customer = addCustomer(set, 1, { kind: 'business', state: 'active', language: 'fr', profile: 'good', wantsCreditNote: false });
  const parks = ['WAGRAM', 'CARDINET', 'BATIGNOLLES', 'MAINE'].map(parkByCode);
  addContract(set, customer, parks[0] as ParkDef, 'business', { start: startDateMonthsAgo(set, 75), spaces: 3, directDebit: true });
  addContract(set, customer, parks[1] as ParkDef, 'business', { start: startDateMonthsAgo(set, 40), directDebit: true });
  addContract(set, customer, parks[2] as ParkDef, 'business', { billing: 'quarterly', start: startDateMonthsAgo(set, 30), spaces: 2, directDebit: false });
  addContract(set, customer, parks[3] as ParkDef, 'business', { billing: 'quarterly', start: startDateMonthsAgo(set, 60), ended: true, directDebit: false });
}

/** Products of the individuals among the ordinary subscribers, taken in turn. */
const INDIVIDUAL_PRODUCTS: Product[] = [
  'resident', 'non_resident', 'resident_petit_rouleur', 'moto', 'resident', 'non_resident', 'resident',
];

/**
 * Everybody else: individuals (resident, non-resident, petit rouleur, moto, in turn) and every
 * fifth a company, some not activated, some in English, some paying late or in part, a few
 * with a credit note. Who is what follows from the position, so the mix stays the same.
 */
export function ordinarySubscribers(set: DemoSet): void {
  let individualCount = 0;
  for (let i = 2; i < 2 + ORDINARY_SUBSCRIBERS; i++) {
    const customer = addCustomer(set, i, ordinaryTraits(i));
    if (customer.row.kind === 'business') companyContracts(set, customer);
    else individualContracts(set, customer, i, INDIVIDUAL_PRODUCTS[individualCount++ % INDIVIDUAL_PRODUCTS.length] as Product);
  }
}

function ordinaryTraits(i: number): CustomerTraits {
  const state = i % 3 === 2 ? 'not_activated' : 'active';
  const profile: Profile = i % 7 === 3 ? 'late' : i % 10 === 8 ? 'very_late' : i % 11 === 5 ? 'partial' : 'good';
  return {
    kind: i % 5 === 1 ? 'business' : 'individual',
    state,
    language: state === 'active' && i % 8 === 5 ? 'en' : 'fr',
    profile,
    wantsCreditNote: i % 9 === 4,
  };
}

/** A company with two to five contracts in different car parks, all monthly or all quarterly. */
function companyContracts(set: DemoSet, customer: CustomerPlan): void {
  const { rng } = set;
  const n = rng.int(2, 5);
  const quarterly = set.companyCount % 3 === 0;
  const parks = rng.shuffle(PARKS);
  for (let k = 0; k < n; k++) {
    addContract(set, customer, parks[k] as ParkDef, 'business', {
      billing: quarterly ? 'quarterly' : 'monthly',
      spaces: rng.int(1, 3),
      ended: k > 0 && rng.chance(0.15),
      directDebit: rng.chance(0.7),
    });
  }
}

/** An individual's contract; some also park a motorbike, or had an older contract elsewhere. */
function individualContracts(set: DemoSet, customer: CustomerPlan, i: number, product: Product): void {
  const { rng } = set;
  const p = product === 'moto' ? rng.pick(MOTO_PARKS) : rng.pick(PARKS);
  if (product === 'resident_petit_rouleur') {
    addContract(set, customer, p, product, { start: startDateMonthsAgo(set, STATEMENT_MONTHS) });
  } else {
    addContract(set, customer, p, product, {
      billing: product === 'non_resident' && rng.chance(0.3) ? 'quarterly' : 'monthly',
      ended: i % 6 === 5,
    });
  }
  if (product !== 'moto' && rng.chance(0.15)) addContract(set, customer, rng.pick(MOTO_PARKS), 'moto');
  if (i % 4 === 0) addContract(set, customer, rng.pick(PARKS), rng.pick(['resident', 'non_resident'] as const), { ended: true });
}
