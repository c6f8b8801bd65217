import type { CustomerUserRole } from '../../db/schema.ts';
import { DAY } from '../../lib/clock.ts';
import { type FormError, type FormErrors, addError } from '../../lib/forms.tsx';
import { CUSTOMER_MIN_LENGTH, MAX_LENGTH, checkPassword } from '../../lib/passwords.ts';
import { emailAddress } from '../../lib/validation.ts';

/*
 * Who may do what in a business account (issue 14): the owner (the account's own login), a
 * manager (all the owner does but managing users) and an accountant (documents, payments,
 * statements, requests: no contract changes, no change of the account's details). Each is
 * allowed what the roles under it are: a route of the customer area names the least role it is
 * for (`config: { customerRole }`, `manager` when it says nothing), and the area's guard checks it.
 */

export type CustomerRole = 'owner' | CustomerUserRole;

export const USER_ROLES: readonly CustomerUserRole[] = ['manager', 'accountant'];

const RANK: Record<CustomerRole, number> = { accountant: 1, manager: 2, owner: 3 };

/** The least role of a customer-area route that declares none: what an accountant may do is said route by route. */
export const DEFAULT_CUSTOMER_ROLE: CustomerRole = 'manager';

/** Whether `role` may reach what is for `least` and the roles above it. */
export const roleReaches = (role: CustomerRole, least: CustomerRole) => RANK[role] >= RANK[least];

export const isUserRole = (s: unknown): s is CustomerUserRole => USER_ROLES.includes(s as CustomerUserRole);

/** What the invitation form holds, as typed (the address normalised). */
export interface InviteValues {
  email: string;
  name: string;
  role: string;
}

/** What is wrong with an invitation typed; the address already taken is the service's to say. */
export function inviteErrors(values: InviteValues): FormErrors {
  const errors: FormErrors = {};
  if (!values.email) addError(errors, 'email', 'error.email.required');
  else if (!emailAddress.safeParse(values.email).success) addError(errors, 'email', 'error.email.invalid');
  if (!values.name.trim()) addError(errors, 'name', 'users.error.name.required');
  if (!isUserRole(values.role)) addError(errors, 'role', 'users.error.role.required');
  return errors;
}

/**
 * The password policy (A2) for a user: the customers' (`checkPassword`, the customers' minimum
 * length), their address, their name, the account's number and names and the operator's name
 * counting against it.
 */
export function checkUserPassword(
  password: string,
  user: { email: string; name: string },
  account: { number: string; last_name: string; first_name: string | null; company_name: string | null },
  operatorName: string,
): FormError | null {
  const key = checkPassword(password, {
    minLength: CUSTOMER_MIN_LENGTH,
    contextWords: [user.email, user.name, account.number, account.last_name, account.first_name ?? '', account.company_name ?? '', operatorName],
  });
  return key ? { key, params: { min: CUSTOMER_MIN_LENGTH, max: MAX_LENGTH } } : null;
}

/** An identifier typed at the login (or the reset) that names a user by e-mail rather than an account by number. */
export const isEmailIdentifier = (identifier: string) => identifier.includes('@');

/**
 * The route option of a customer-area page an accountant may use too (documents, payments,
 * direct debit, statements, requests, and reading the profile and contracts): `app.get(url,
 * forAccountants, handler)`. A route without it is for managers and the owner.
 */
export const forAccountants = { config: { customerRole: 'accountant' } } as const;

/** How long an invitation's link is valid. */
export const INVITATION_TTL_MS = 7 * DAY;

/** How many times a day the owner may send one user's invitation again (`countInWindow`, per user). */
export const INVITATION_RESENDS_PER_DAY = 3;
export const INVITATION_RESEND_WINDOW_MS = DAY;

/** Where an invited user's invitation stands: its link still valid, or past its date (to be sent again). */
export type InvitationState = { state: 'pending' | 'expired'; expiresAt: string };

/** The invitation of a user not yet active, as of `now`; null for anyone else (or a user whose link was spent). */
export function invitationState(user: { state: string; token_expires_at: string | null }, now: Date): InvitationState | null {
  if (user.state !== 'invited' || !user.token_expires_at) return null;
  return { state: Date.parse(user.token_expires_at) > now.getTime() ? 'pending' : 'expired', expiresAt: user.token_expires_at };
}
