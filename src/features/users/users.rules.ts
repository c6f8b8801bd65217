import type { CustomerUserRole } from '../../db/schema.ts';

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
