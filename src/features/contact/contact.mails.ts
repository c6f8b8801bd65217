import type { Config } from '../../config.ts';
import type { Language } from '../../db/schema.ts';
import { type Translate, formatDate, formatTime, translator } from '../../lib/i18n.ts';
import type { MailContent } from '../../lib/mail/compose.ts';
import { type Addressee, displayName } from '../customers/customers.service.ts';
import type { AttachmentType, ValidRequest } from './contact.rules.ts';
import { publicUrl } from '../../lib/links.ts';

/*
 * The contact e-mails: the acknowledgement to the customer, in their language, and the notice
 * to the staff, in French (staff e-mails are French by design; their words are the French
 * catalogue's). Content only; `createContactRequest` queues both in the request's transaction.
 */

export const fileTypeKey = { 'application/pdf': 'contact.fileType.pdf', 'image/png': 'contact.fileType.png', 'image/jpeg': 'contact.fileType.jpeg' } as const;

/** `12 Ko` / `1,2 Mo` in French, `12 KB` / `1.2 MB` in English. */
export function formatSize(bytes: number, lang: Language): string {
  const t = translator(lang);
  const nf = (n: number, digits: number) => new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits }).format(n);
  if (bytes < 1024 * 1024) return t('contact.size.kb', { n: nf(Math.max(1, Math.ceil(bytes / 1024)), 0) });
  return t('contact.size.mb', { n: nf(Math.round((bytes / (1024 * 1024)) * 10) / 10, 1) });
}

/** `facture.pdf (PDF, 12 Ko)`: in the e-mails and on the request's page. */
export const describeFile = (t: Translate, lang: Language, f: { original_name: string; content_type: string; size_bytes: number }) =>
  t('contact.request.file', {
    name: f.original_name,
    type: t(fileTypeKey[f.content_type as AttachmentType] ?? 'contact.fileType.pdf'),
    size: formatSize(f.size_bytes, lang),
  });

/** The first words of a message, on one line, for the acknowledgement. */
export function summarise(message: string, max = 200): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}

/** What both e-mails tell about a request just recorded. */
export interface RecordedRequest extends Pick<ValidRequest, 'category' | 'message' | 'newPlate' | 'effectiveDate'> {
  reference: string;
  contractNumber: string | null;
  files: { original_name: string; content_type: string; size_bytes: number }[];
  /** When it was recorded. */
  at: string;
}

type MailCustomer = Addressee & { number: string };

/** The request's facts, one list item each, in `t`'s language. */
function details(t: Translate, lang: Language, r: RecordedRequest): string[] {
  return [
    t('contact.mail.reference', { reference: r.reference }),
    t('contact.mail.category', { category: t(`contact.category.${r.category}`) }),
    t('contact.mail.contract', { contract: r.contractNumber ?? t('contact.request.none') }),
    ...(r.newPlate && r.effectiveDate ? [t('contact.mail.plate', { plate: r.newPlate, date: formatDate(r.effectiveDate, lang) })] : []),
    t('contact.mail.files', { files: r.files.length ? r.files.map((f) => describeFile(t, lang, f)).join(', ') : t('contact.request.noFiles') }),
  ];
}

export function acknowledgementMail(config: Config, c: MailCustomer, r: RecordedRequest): MailContent {
  const lang = c.language;
  const t = translator(lang);
  return {
    subject: t('contact.mail.ack.subject', { reference: r.reference }),
    greeting: t('mail.greeting', { name: displayName(c) }),
    paragraphs: [t('contact.mail.ack.intro', { date: formatDate(r.at, lang) })],
    list: [...details(t, lang, r), t('contact.mail.summary', { summary: summarise(r.message) })],
    action: { label: t('contact.mail.ack.action'), url: publicUrl(config, `/contact/demandes/${r.reference}`) },
    note: t('contact.mail.ack.note', { reference: r.reference }),
  };
}

/** The staff's notice. Their inbox comes with the back office: the reference finds the request. */
export function staffNoticeMail(c: MailCustomer, r: RecordedRequest, acknowledged: boolean): MailContent {
  const t = translator('fr');
  return {
    subject: t('contact.mail.staff.subject', { reference: r.reference, category: t(`contact.category.${r.category}`), number: c.number }),
    paragraphs: [
      t('contact.mail.staff.intro', { date: formatDate(r.at, 'fr'), time: formatTime(r.at, 'fr') }),
      ...(acknowledged ? [] : [t('contact.mail.staff.noAck')]),
      t('contact.mail.staff.message'),
      ...r.message.split('\n').filter((l) => l.trim() !== ''),
    ],
    list: [t('contact.mail.staff.customer', { number: c.number, name: displayName(c) }), ...details(t, 'fr', r)],
    note: t('contact.mail.staff.note'),
  };
}
