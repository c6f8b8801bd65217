import { addError } from '../../lib/forms.js';
import { form, typedText } from '../../lib/validation.js';
import { emailAddressErrors } from '../auth/auth.rules.js';
import { checkNewPlate } from '../contact/contact.rules.js';
/*
 * What customer service may write on a customer's record, checked on the server: contact
 * details corrected (with the reason, always), a change of plate with its effective date.
 */
// ---------------------------------------------------------------- contact details
/** A line of a postal address: at most 38 characters, as La Poste's standard (NF Z 10-011) asks. */
export const ADDRESS_LINE_MAX = 38;
export const REASON_MAX = 500;
/** The columns a correction of contact details may change, in the form's order. */
export const CONTACT_COLUMNS = [
    'address_line1',
    'address_line2',
    'postal_code',
    'city',
    'country',
    'phone',
    'mobile_phone',
    'email_primary',
    'email_secondary',
];
/** What the staff member typed, kept to fill the form again after an error. */
export const contactDetailsForm = form({
    address_line1: typedText(200),
    address_line2: typedText(200),
    postal_code: typedText(40),
    city: typedText(200),
    country: typedText(200),
    phone: typedText(60),
    mobile_phone: typedText(60),
    email_primary: typedText(300),
    email_secondary: typedText(300),
    reason: typedText(REASON_MAX + 100),
});
/** The customer's contact details as the form shows them first. */
export function contactDetailsValues(c) {
    const values = { reason: '' };
    for (const column of CONTACT_COLUMNS)
        values[column] = c[column] ?? '';
    return values;
}
export const isFrance = (country) => country.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase() === 'FRANCE';
/** A phone number: digits with spaces, dots, dashes, brackets and a leading +; 6 to 15 digits. */
export const phoneOk = (phone) => /^\+?[0-9 ().-]+$/.test(phone) && /^\d{6,15}$/.test(phone.replace(/\D/g, ''));
/**
 * Checks a correction. `hadPrimary`: the customer had a main e-mail address, which may then
 * be changed but not removed (it is where their reset links go). Returns the details to store
 * (trimmed; e-mails lower-cased; empty optional fields null) and the reason.
 */
export function checkContactDetails(values, hadPrimary) {
    const v = Object.fromEntries(Object.entries(values).map(([k, s]) => [k, s.trim().replace(/\s+/g, ' ')]));
    v.email_primary = v.email_primary.toLowerCase();
    v.email_secondary = v.email_secondary.toLowerCase();
    const errors = {};
    for (const [field, required] of [
        ['address_line1', 'customerActions.details.error.address.required'],
        ['address_line2', null],
        ['city', 'customerActions.details.error.city.required'],
        ['country', 'customerActions.details.error.country.required'],
    ]) {
        if (required && !v[field])
            addError(errors, field, required);
        else if (v[field].length > ADDRESS_LINE_MAX)
            addError(errors, field, 'customerActions.details.error.tooLong', { max: ADDRESS_LINE_MAX });
    }
    if (!v.postal_code)
        addError(errors, 'postal_code', 'customerActions.details.error.postalCode.required');
    else if (isFrance(v.country) ? !/^\d{5}$/.test(v.postal_code) : v.postal_code.length > 10)
        addError(errors, 'postal_code', 'customerActions.details.error.postalCode.invalid');
    for (const field of ['phone', 'mobile_phone']) {
        if (v[field] && !phoneOk(v[field]))
            addError(errors, field, 'customerActions.details.error.phone');
    }
    // The profile's rules for the addresses (main one required, the other different), once
    // there is an address at all: a customer without one may stay without one.
    if (hadPrimary || v.email_primary || v.email_secondary)
        Object.assign(errors, emailAddressErrors(v));
    if (!v.reason)
        addError(errors, 'reason', 'customerActions.details.error.reason.required');
    else if (v.reason.length > REASON_MAX)
        addError(errors, 'reason', 'customerActions.details.error.reason.tooLong', { max: REASON_MAX });
    if (Object.keys(errors).length > 0)
        return { ok: false, errors };
    const details = {};
    for (const column of CONTACT_COLUMNS)
        details[column] = v[column] || null;
    return { ok: true, details, reason: v.reason };
}
/** What a correction changes: each column whose value differs, from → to. */
export function contactChanges(before, after) {
    const changes = {};
    for (const column of CONTACT_COLUMNS) {
        const from = before[column] ?? null;
        if (from !== after[column])
            changes[column] = { from, to: after[column] };
    }
    return changes;
}
export const plateChangeForm = form({
    vehicle: typedText(64),
    new_plate: typedText(40),
    effective_date: typedText(20),
    description: typedText(200),
});
export const VEHICLE_DESCRIPTION_MAX = 80;
/**
 * Checks a change of plate: one of `vehicles`, a plate in a French format (the contact form's
 * rule) other than the current one, a date within the contact form's range of `today` and
 * after the day the current plate started. `formatDay` writes a date for the messages.
 */
export function checkPlateChange(values, vehicles, today, formatDay) {
    const errors = {};
    const vehicle = vehicles.find((x) => x.id === values.vehicle.trim());
    if (!vehicle)
        addError(errors, 'vehicle', 'customerActions.plate.error.vehicle');
    const { newPlate, effectiveDate } = checkNewPlate(errors, values, today, formatDay);
    if (vehicle && newPlate === vehicle.plate)
        addError(errors, 'new_plate', 'customerActions.plate.error.same');
    if (vehicle && effectiveDate && effectiveDate <= vehicle.since)
        addError(errors, 'effective_date', 'customerActions.plate.error.dateBefore', { date: formatDay(vehicle.since) });
    const description = values.description.trim().replace(/\s+/g, ' ');
    if (description.length > VEHICLE_DESCRIPTION_MAX)
        addError(errors, 'description', 'customerActions.details.error.tooLong', { max: VEHICLE_DESCRIPTION_MAX });
    if (Object.keys(errors).length > 0 || !vehicle || !newPlate || !effectiveDate)
        return { ok: false, errors };
    return { ok: true, change: { vehicle, newPlate, effectiveDate, description: description || null } };
}
//# sourceMappingURL=customers.actions.rules.js.map