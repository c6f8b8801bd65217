/* The back office's frame and its staff: login, second factor, enrolment, the team. */
export const staffFr = {
  'staff.site.title': 'Gestion',
  'staff.nav.label': 'Navigation de la gestion',
  'staff.nav.team': 'Équipe',
  'staff.header.who': '{name} ({role})',
  'staff.role.agent': 'conseiller',
  'staff.role.admin': 'administrateur',
  'staff.footer': '{operator} — gestion de l’espace client, réservée au personnel',
};

export const staffEn: Record<keyof typeof staffFr, string> = {
  'staff.site.title': 'Back office',
  'staff.nav.label': 'Back-office navigation',
  'staff.nav.team': 'Team',
  'staff.header.who': '{name} ({role})',
  'staff.role.agent': 'agent',
  'staff.role.admin': 'administrator',
  'staff.footer': '{operator} — customer portal back office, staff only',
};
