import type { z } from 'zod';
import { addDays } from '../../lib/clock.ts';
import { type FormErrors, addError } from '../../lib/forms.tsx';
import { form, typedText } from '../../lib/validation.ts';
import { MAX_DATE_DISTANCE_DAYS, type UploadedFile, type ValidAttachment, checkAttachments, parseDate } from '../contact/contact.rules.ts';
import { FRENCH, vehiclePlate } from '../contracts/contracts.rules.ts';
import { plateKey } from '../customers/customers.rules.ts';

/*
 * A customer's request to replace a vehicle of a contract, or to add one (issue 13), checked on
 * the server: the vehicle replaced is one of the contract's, in force or to come, without a
 * request pending; an added one fits in what the contract allows (`contracts.max_vehicles`,
 * counting the requests pending); the plate is read as the ERP's are (`vehiclePlate`: French in
 * the SIV format `AB-123-CD` — or the older FNI one — foreign with its country); make and model;
 * the date from which it applies, from today on (never in the past) and within the contact
 * form's range; the registration certificate, one file under the contact form's rules
 * (`checkAttachments`: PDF, PNG or JPEG by its bytes, 5 MB at most).
 */

export const MAKE_MAX = 40;
export const MODEL_MAX = 40;
/** One file: the registration certificate (certificat d'immatriculation). */
export const MAX_CERTIFICATES = 1;

/** The countries a plate may come from, France first (the others: the neighbours, then the rest of Europe). */
export const PLATE_COUNTRIES = ['FR', 'BE', 'LU', 'DE', 'CH', 'IT', 'MC', 'ES', 'AD', 'PT', 'NL', 'GB', 'IE', 'AT', 'PL', 'CZ', 'DK', 'SE', 'NO', 'FI', 'RO'] as const;

export const vehicleForm = form({
  /** The vehicle replaced (its id); empty: a vehicle added. */
  replaces: typedText(64),
  plate: typedText(40),
  country: typedText(8),
  make: typedText(200),
  model: typedText(200),
  valid_from: typedText(20),
});
export type VehicleValues = z.output<typeof vehicleForm>;
export type VehicleField = keyof VehicleValues | 'certificate';
export type VehicleErrors = FormErrors<VehicleField>;

/** A vehicle of the contract in force on `today` or to come. */
export interface ContractVehicle {
  id: string;
  plate: string;
  country: string;
  /** Its first day (null: since the contract began). */
  validFrom: string | null;
  validTo: string | null;
}

/** What the contract holds when the customer asks. */
export interface VehicleSituation {
  /** How many vehicles the contract allows at once. */
  max: number;
  /** Its vehicles in force or to come. */
  vehicles: readonly ContractVehicle[];
  /** The requests still pending: what each replaces (null: an addition). */
  pending: readonly { replacesId: string | null }[];
}

export interface ValidVehicleRequest {
  replaces: ContractVehicle | null;
  plate: string;
  country: string;
  make: string;
  model: string;
  validFrom: string;
  certificate: ValidAttachment;
}

/** Whether one more vehicle may be asked for: those held and the additions pending, under the contract's number. */
export const canAdd = (s: VehicleSituation) => s.vehicles.length + s.pending.filter((p) => p.replacesId === null).length < s.max;

/** Whether a vehicle may be replaced: no request pending for it already. */
export const canReplace = (s: VehicleSituation, vehicleId: string) => !s.pending.some((p) => p.replacesId === vehicleId);

const clean = (s: string) => s.trim().replace(/\s+/g, ' ');

/**
 * Checks a request against the contract's situation on `today` (`YYYY-MM-DD`, Paris).
 * `formatDay` writes a date for the messages. The errors name the fields; what was typed stays
 * with the caller, to fill the form again.
 */
export function checkVehicleRequest(
  values: VehicleValues,
  files: UploadedFile[],
  tooManyFiles: boolean,
  situation: VehicleSituation,
  today: string,
  formatDay: (isoDay: string) => string,
): { ok: true; request: ValidVehicleRequest } | { ok: false; errors: VehicleErrors } {
  const errors: VehicleErrors = {};

  let replaces: ContractVehicle | null = null;
  const replacesId = values.replaces.trim();
  if (replacesId !== '') {
    replaces = situation.vehicles.find((v) => v.id === replacesId) ?? null;
    if (!replaces) addError(errors, 'replaces', 'vehicles.error.replaces.unknown');
    else if (!canReplace(situation, replaces.id)) addError(errors, 'replaces', 'vehicles.error.replaces.pending', { plate: replaces.plate });
  } else if (!canAdd(situation)) {
    addError(errors, 'replaces', 'vehicles.error.tooMany', { max: situation.max });
  }

  const country = values.country.trim().toUpperCase() || FRENCH;
  if (!(PLATE_COUNTRIES as readonly string[]).includes(country)) addError(errors, 'country', 'vehicles.error.country');

  let plate: string | null = null;
  if (values.plate.trim() === '') addError(errors, 'plate', 'vehicles.error.plate.required');
  else {
    plate = vehiclePlate(values.plate, country);
    if (!plate) addError(errors, 'plate', country === FRENCH ? 'vehicles.error.plate.french' : 'vehicles.error.plate.foreign');
    else if (situation.vehicles.some((v) => v.country === country && plateKey(v.plate) === plateKey(plate!))) addError(errors, 'plate', 'vehicles.error.plate.held', { plate });
  }

  const make = clean(values.make);
  const model = clean(values.model);
  if (make === '') addError(errors, 'make', 'vehicles.error.make.required');
  else if (make.length > MAKE_MAX) addError(errors, 'make', 'vehicles.error.tooLong', { max: MAKE_MAX });
  if (model === '') addError(errors, 'model', 'vehicles.error.model.required');
  else if (model.length > MODEL_MAX) addError(errors, 'model', 'vehicles.error.tooLong', { max: MODEL_MAX });

  let validFrom: string | null = null;
  if (values.valid_from.trim() === '') addError(errors, 'valid_from', 'vehicles.error.date.required');
  else {
    const date = parseDate(values.valid_from);
    const max = addDays(today, MAX_DATE_DISTANCE_DAYS);
    if (!date) addError(errors, 'valid_from', 'contact.error.date.invalid');
    else if (date < today) addError(errors, 'valid_from', 'vehicles.error.date.past', { min: formatDay(today) });
    else if (date > max) addError(errors, 'valid_from', 'contact.error.date.range', { min: formatDay(today), max: formatDay(max) });
    else if (replaces?.validFrom && date <= replaces.validFrom) addError(errors, 'valid_from', 'vehicles.error.date.beforeReplaced', { date: formatDay(replaces.validFrom) });
    else validFrom = date;
  }

  // The certificate: required, one file, under the contact form's rules (its errors moved to this field).
  let certificate: ValidAttachment | undefined;
  if (tooManyFiles || files.length > MAX_CERTIFICATES) addError(errors, 'certificate', 'vehicles.error.certificate.one');
  else if (files.length === 0) addError(errors, 'certificate', 'vehicles.error.certificate.required');
  else {
    const fileErrors: FormErrors<'attachments'> = {};
    [certificate] = checkAttachments(fileErrors, files, false);
    if (fileErrors.attachments) errors.certificate = fileErrors.attachments;
  }

  if (Object.keys(errors).length > 0 || !plate || !validFrom || !certificate) return { ok: false, errors };
  return { ok: true, request: { replaces, plate, country, make, model, validFrom, certificate } };
}

/** The reason customer service gives for refusing a request: required, at most REFUSAL_REASON_MAX characters. */
export const REFUSAL_REASON_MAX = 500;
export function refusalReason(input: string): { ok: true; reason: string } | { ok: false; errors: FormErrors<'reason'> } {
  const reason = clean(input);
  const errors: FormErrors<'reason'> = {};
  if (reason === '') addError(errors, 'reason', 'vehicles.bo.error.reason.required');
  else if (reason.length > REFUSAL_REASON_MAX) addError(errors, 'reason', 'vehicles.error.tooLong', { max: REFUSAL_REASON_MAX });
  return errors.reason ? { ok: false, errors } : { ok: true, reason };
}
