import { addError } from '../../lib/forms.js';
import { CUSTOMER_MIN_LENGTH, MAX_LENGTH, checkPassword } from '../../lib/passwords.js';
import { emailAddress } from '../../lib/validation.js';
/* The rules of the account forms: login, first connection, reset, e-mail change. */
/** A customer number as typed: `clt 0001 ` is `CLT 0001`. */
export const normalizeIdentifier = (s) => s.trim().toUpperCase();
/** What is wrong with the two addresses typed (already trimmed and lower-cased): the main one required, the other optional and different. */
export function emailAddressErrors(values) {
    const errors = {};
    if (!values.email_primary)
        addError(errors, 'email_primary', 'error.email.required');
    else if (!emailAddress.safeParse(values.email_primary).success)
        addError(errors, 'email_primary', 'error.email.invalid');
    if (values.email_secondary) {
        if (!emailAddress.safeParse(values.email_secondary).success)
            addError(errors, 'email_secondary', 'error.email.invalid');
        else if (values.email_secondary === values.email_primary)
            addError(errors, 'email_secondary', 'error.email.same');
    }
    return errors;
}
/**
 * The password policy (A2) for a customer: their number, names and addresses, and the
 * operator's name, count against it. The error carries the policy's lengths.
 */
export function checkCustomerPassword(password, customer, addresses, operatorName) {
    const key = checkPassword(password, {
        minLength: CUSTOMER_MIN_LENGTH,
        contextWords: [
            customer.number,
            customer.last_name,
            customer.first_name ?? '',
            customer.company_name ?? '',
            addresses.email_primary ?? '',
            addresses.email_secondary ?? '',
            operatorName,
        ],
    });
    return key ? { key, params: { min: CUSTOMER_MIN_LENGTH, max: MAX_LENGTH } } : null;
}
//# sourceMappingURL=auth.rules.js.map