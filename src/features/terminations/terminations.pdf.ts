import type { Language } from '../../db/schema.ts';
import { formatDate, formatDateLong, translator } from '../../lib/i18n.ts';
import { BOLD, GREY, LEFT, WIDTH, drawFooters, paragraph, put, renderPdf } from '../../lib/pdf.ts';
import { displayName } from '../customers/customers.service.ts';
import type { OperatorSettings } from '../settings/settings.rules.ts';
import { terminationFacts } from './terminations.mails.ts';
import type { TerminationRecord } from './terminations.queries.ts';

/*
 * The acknowledgement of a termination as a PDF, for the customer's documents (Contrats): what
 * the e-mail said — the contract, the date it takes effect, the request's date and reference —
 * drawn from the stored termination whenever it is asked for; the same bytes for the same
 * termination (its date is the request's, never the clock's).
 */
export function acknowledgementPdf(r: TerminationRecord, operator: OperatorSettings, lang: Language): Promise<Buffer> {
  const t = translator(lang);
  return renderPdf(
    { title: t('terminations.pdf.title', { reference: r.reference }), subject: t('terminations.pdf.heading'), author: operator.name, lang, createdAt: new Date(r.requested_at) },
    (doc) => {
      let y = put(doc, operator.name, LEFT, 60, { font: BOLD, size: 14 });
      y = put(doc, operator.address, LEFT, y, { size: 9, color: GREY });
      y = put(doc, `${operator.phone} — ${operator.email}`, LEFT, y, { size: 9, color: GREY }) + 30;
      y = put(doc, displayName(r), LEFT, y, { font: BOLD, size: 11 });
      y = put(doc, formatDateLong(r.requested_at, lang), LEFT, y + 4, { size: 10 }) + 24;
      y = put(doc, t('terminations.pdf.heading'), LEFT, y, { font: BOLD, size: 13 }) + 12;
      y = paragraph(doc, t('terminations.pdf.p1', { operator: operator.name, date: formatDate(r.effective_date, lang) }), LEFT, y, WIDTH, { size: 10.5 }) + 10;
      for (const line of terminationFacts(r, lang)) y = paragraph(doc, `• ${line}`, LEFT + 8, y, WIDTH - 8, { size: 10.5 }) + 4;
      y += 8;
      y = paragraph(doc, t('terminations.mail.ack.effects'), LEFT, y, WIDTH, { size: 10.5 }) + 8;
      if (r.withdrawn_at) paragraph(doc, t('terminations.pdf.withdrawn', { date: formatDate(r.withdrawn_at, lang) }), LEFT, y, WIDTH, { size: 10.5, font: BOLD });
      drawFooters(doc, 800, [t('terminations.pdf.footer', { operator: operator.name, reference: r.reference })], (page, pages) => t('terminations.pdf.page', { page, pages }), 10);
    },
  );
}
