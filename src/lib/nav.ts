import type { StaffRole } from '../db/schema.ts';
import { type CustomerRole, roleReaches } from '../features/users/users.rules.ts';
import type { MessageKey } from './i18n.ts';

/** Who is acting for the account: a user of a business account, or the owner (`id` null, role `owner`). */
export interface CurrentUser {
  id: string | null;
  name: string;
  role: CustomerRole;
}

/** What the layout knows of the logged-in customer. */
export interface CurrentCustomer {
  id: string;
  number: string;
  displayName: string;
  hasPetitRouleur: boolean;
  /** Who is acting: the owner, or a user of the account with their role. */
  user: CurrentUser;
}

export interface NavItem {
  href: string;
  key: MessageKey;
  visible?: (c: CurrentCustomer) => boolean;
  /** The least role the entry's page is for (`customerRole` of its route); every role when absent. */
  role?: CustomerRole;
}

/**
 * Whether the one acting for this customer may use what is for `least` and the roles above it:
 * what a page shows of the actions its role allows (the customer area's guard refuses the rest).
 */
export const customerMay = (c: CurrentCustomer | null, least: CustomerRole) => roleReaches(c?.user.role ?? 'owner', least);

/** The entries of the navigation this customer (and the role acting) sees. */
export const visibleNavItems = (c: CurrentCustomer) => navItems.filter((i) => (!i.visible || i.visible(c)) && (!i.role || customerMay(c, i.role)));

/**
 * The portal's main navigation, in the manual's order. An entry is listed here when its
 * page exists; `visible` hides it from customers it does not concern.
 */
export const navItems: NavItem[] = [
  { href: '/profil', key: 'nav.profile' },
  { href: '/contrats', key: 'nav.contracts' },
  { href: '/mon-compte', key: 'nav.account' },
  { href: '/decomptes', key: 'nav.statements', visible: (c) => c.hasPetitRouleur },
];

export interface StaffNavItem {
  href: string;
  key: MessageKey;
  /** `admin`: shown to admins only (the staff area refuses those pages to agents anyway). */
  role?: StaffRole;
}

/** The back office's navigation: an entry is listed here when its page exists. */
export const staffNavItems: StaffNavItem[] = [
  { href: '/gestion/clients', key: 'customers.nav' },
  { href: '/gestion/demandes', key: 'contact.inbox.nav' },
  { href: '/gestion/mandats', key: 'directDebit.bo.nav' },
  { href: '/gestion/badges', key: 'badges.bo.nav' },
  { href: '/gestion/vehicules', key: 'vehicles.bo.nav' },
  { href: '/gestion/resiliations', key: 'terminations.bo.nav' },
  { href: '/gestion/courriers', key: 'letters.nav' },
  { href: '/gestion/papier', key: 'documents.paper.nav' },
  { href: '/gestion/renouvellements', key: 'renewals.bo.nav' },
  { href: '/gestion/emails', key: 'mail.bo.nav' },
  { href: '/gestion/equipe', key: 'staff.nav.team', role: 'admin' },
  { href: '/gestion/parametres', key: 'settings.nav', role: 'admin' },
  { href: '/gestion/journal', key: 'audit.nav', role: 'admin' },
  { href: '/gestion/api', key: 'api.bo.nav', role: 'admin' },
];
