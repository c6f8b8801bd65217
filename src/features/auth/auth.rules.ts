import { type FormError, type FormErrors, addError } from '../../lib/forms.tsx';
import { CUSTOMER_MIN_LENGTH, MAX_LENGTH, checkPassword } from '../../lib/passwords.ts';
import { emailAddress, normalizeEmail } from '../../lib/validation.ts';

/* The rules of the account forms: login, first connection, reset, e-mail change. */

/** A customer number as typed: `clt 0001 ` is `CLT 0001`; a user's e-mail address (issue 14) as every address is kept (`normalizeEmail`). */
export const normalizeIdentifier = (s: string) => (s.includes('@') ? normalizeEmail(s) : s.trim().toUpperCase());

/** What is wrong with the two addresses typed (already trimmed and lower-cased): the main one required, the other optional and different. */
export function emailAddressErrors(values: { email_primary: string; email_secondary: string }): FormErrors {
  const errors: FormErrors = {};
  if (!values.email_primary) addError(errors, 'email_primary', 'error.email.required');
  else if (!emailAddress.safeParse(values.email_primary).success) addError(errors, 'email_primary', 'error.email.invalid');
  if (values.email_secondary) {
    if (!emailAddress.safeParse(values.email_secondary).success) addError(errors, 'email_secondary', 'error.email.invalid');
    else if (values.email_secondary === values.email_primary) addError(errors, 'email_secondary', 'error.email.same');
  }
  return errors;
}

/**
 * The password policy (A2) for a customer: their number, names and addresses, and the
 * operator's name, count against it. The error carries the policy's lengths.
 */
export function checkCustomerPassword(
  password: string,
  customer: { number: string; last_name: string; first_name: string | null; company_name: string | null },
  addresses: { email_primary: string | null; email_secondary: string | null },
  operatorName: string,
): FormError | null {
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
