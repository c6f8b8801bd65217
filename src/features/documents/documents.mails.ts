import type { Config } from '../../config.ts';
import type { DocumentKind } from '../../db/schema.ts';
import { translator } from '../../lib/i18n.ts';
import type { MailContent } from '../../lib/mail/compose.ts';
import { formatMoneyPlain } from '../../lib/money.ts';
import { type Addressee, displayName } from '../customers/customers.service.ts';
import { publicUrl } from '../../lib/links.ts';

/*
 * The documents' e-mail: the notice of documents newly published, in the customer's language.
 * Content only; `documents.notify.ts` queues it. It names the documents and links to "Mon
 * compte" (a login is needed), never to the PDF itself.
 */

export interface NoticeDocument {
  kind: DocumentKind;
  number: string;
  total_ttc_cents: number;
}

export function newDocumentsMail(config: Config, c: Addressee, docs: NoticeDocument[]): MailContent {
  const lang = c.language;
  const t = translator(lang);
  const one = docs.length === 1;
  return {
    subject: one ? t('documents.mail.subject.one') : t('documents.mail.subject.many', { count: docs.length }),
    greeting: t('mail.greeting', { name: displayName(c) }),
    paragraphs: [t(one ? 'documents.mail.intro.one' : 'documents.mail.intro.many')],
    list: docs.map((d) =>
      t('documents.mail.item', { kind: t(`account.kind.${d.kind}`), number: d.number, amount: formatMoneyPlain(d.total_ttc_cents, lang) }),
    ),
    action: { label: t('documents.mail.action'), url: publicUrl(config, '/mon-compte') },
    note: t('documents.mail.note'),
  };
}
