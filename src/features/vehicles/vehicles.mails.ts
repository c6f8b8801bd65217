import type { Config } from '../../config.ts';
import { formatDate, translator } from '../../lib/i18n.ts';
import { publicUrl } from '../../lib/links.ts';
import type { MailText } from '../../lib/mail/compose.ts';
import type { MailCustomer } from '../auth/auth.mails.ts';
import { displayName } from '../customers/customers.service.ts';

/*
 * What the customer is told of a change of vehicle: the request acknowledged, then accepted or
 * refused (with the reason). Content only, in the customer's language; the service queues them
 * in the transaction of the change.
 */

/** A request's facts, as every mail of it lists them. */
export interface VehicleChangeFacts {
  contractNumber: string;
  plate: string;
  make: string;
  model: string;
  validFrom: string;
  /** The plate replaced; null: a vehicle added. */
  replacedPlate: string | null;
}

export const vehiclesPath = (contractNumber: string): `/${string}` => `/contrats/${encodeURIComponent(contractNumber)}/vehicules`;

function facts(c: MailCustomer, f: VehicleChangeFacts): string[] {
  const t = translator(c.language);
  return [
    ...(f.replacedPlate ? [t('vehicles.mail.replaces', { plate: f.replacedPlate })] : []),
    t('vehicles.mail.vehicle', { plate: f.plate, car: `${f.make} ${f.model}` }),
    t('vehicles.mail.from', { date: formatDate(f.validFrom, c.language) }),
  ];
}

function vehicleMail(config: Config, c: MailCustomer, f: VehicleChangeFacts, subject: 'requested' | 'approved' | 'refused', paragraphs: string[]): MailText {
  const t = translator(c.language);
  return (o) => ({
    subject: t(`vehicles.mail.${subject}.subject`),
    greeting: t('mail.greeting', { name: displayName(c) }),
    paragraphs,
    list: facts(c, f),
    action: { label: t('vehicles.mail.action'), url: publicUrl(config, vehiclesPath(f.contractNumber)) },
    note: t('customerActions.mail.ifUnexpected', { phone: o.phone, email: o.email }),
  });
}

export const requestedMail = (config: Config, c: MailCustomer, f: VehicleChangeFacts): MailText =>
  vehicleMail(config, c, f, 'requested', [translator(c.language)('vehicles.mail.requested.p1', { contract: f.contractNumber })]);

export const approvedMail = (config: Config, c: MailCustomer, f: VehicleChangeFacts): MailText =>
  vehicleMail(config, c, f, 'approved', [translator(c.language)('vehicles.mail.approved.p1', { contract: f.contractNumber })]);

export function refusedMail(config: Config, c: MailCustomer, f: VehicleChangeFacts, reason: string): MailText {
  const t = translator(c.language);
  return vehicleMail(config, c, f, 'refused', [t('vehicles.mail.refused.p1', { contract: f.contractNumber }), t('vehicles.mail.refused.reason', { reason }), t('vehicles.mail.refused.p2')]);
}
