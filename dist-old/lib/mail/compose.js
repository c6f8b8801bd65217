import { darker, legalMention } from '../../features/settings/settings.rules.js';
import { translator } from '../i18n.js';
/** The operator's identity under every e-mail: the same lines in text and HTML. */
function signature(o, t) {
    return [
        `${o.name} — ${t('site.title')}`,
        t('mail.signature.identity', { operator: o.name, legalForm: legalMention(o, t), address: o.address, siren: o.siren }),
        t('mail.signature.service', { phone: o.phone, email: o.email }),
        t('mail.signature.automatic'),
    ];
}
export function escapeHtml(s) {
    return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]);
}
export function composeMail(operator, lang, content) {
    const m = typeof content === 'function' ? content(operator) : content;
    const t = translator(lang);
    const sig = signature(operator, t);
    const brand = escapeHtml(operator.brand_colour);
    const text = [
        ...(m.greeting ? [m.greeting, ''] : []),
        ...m.paragraphs.flatMap((p) => [p, '']),
        ...(m.list?.length ? [...m.list.map((i) => `  - ${i}`), ''] : []),
        ...(m.action ? [t('format.label', { label: m.action.label }), m.action.url, ''] : []),
        ...(m.note ? [m.note, ''] : []),
        ...(m.unsubscribe ? [t('format.labelValue', { label: m.unsubscribe.label, value: m.unsubscribe.url }), ''] : []),
        '-- ',
        ...sig,
    ].join('\n');
    const p = (s) => `<p style="margin:0 0 16px">${escapeHtml(s)}</p>`;
    const html = `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(m.subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f6f9;color:#1d2433;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5">
<div style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff">
<p style="margin:0 0 24px;font-weight:bold;color:${escapeHtml(darker(operator.brand_colour))}">${escapeHtml(operator.name)} — ${escapeHtml(t('site.title'))}</p>
${m.greeting ? p(m.greeting) : ''}${m.paragraphs.map(p).join('')}${m.list?.length ? `<ul style="margin:0 0 16px;padding-left:24px">${m.list.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>` : ''}${m.action
        ? `<p style="margin:24px 0"><a href="${escapeHtml(m.action.url)}" style="display:inline-block;background:${brand};color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;font-weight:bold">${escapeHtml(m.action.label)}</a></p><p style="margin:0 0 16px;font-size:14px;color:#4f5869">${escapeHtml(m.action.url)}</p>`
        : ''}${m.note ? `<p style="margin:0 0 16px;font-size:14px;color:#4f5869">${escapeHtml(m.note)}</p>` : ''}${m.unsubscribe
        ? `<p style="margin:0 0 16px;font-size:14px"><a href="${escapeHtml(m.unsubscribe.url)}" style="color:${brand}">${escapeHtml(m.unsubscribe.label)}</a></p>`
        : ''}
<hr style="border:0;border-top:1px solid #c9d1dc;margin:24px 0">
${sig.map((l) => `<p style="margin:0 0 4px;font-size:13px;color:#4f5869">${escapeHtml(l)}</p>`).join('\n')}
</div></body></html>`;
    return { subject: m.subject, text, html };
}
//# sourceMappingURL=compose.js.map