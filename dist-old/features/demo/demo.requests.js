import { sha256Hex } from '../../lib/content-store.js';
import { BOLD, LEFT, WIDTH, paragraph, put, renderPdf } from '../../lib/pdf.js';
import { addDays, at } from './demo.kit.js';
import { requestReference } from '../contact/contact.rules.js';
import { DEMO_STAFF } from './demo.staff.js';
const DEMO_AGENT_ID = DEMO_STAFF.find((m) => m.role === 'agent').id;
const byNumber = (set, number) => {
    const c = set.customers.find((x) => x.row.number === number);
    if (!c)
        throw new Error(`demo customer ${number} is missing`);
    return c;
};
/** Who asks what: the stories, oldest first. */
function stories(set) {
    const active = set.customers.filter((c) => c.state === 'active' && c.row.kind === 'individual' && !c.isManual);
    const english = active.find((c) => c.row.language === 'en');
    const someoneElse = active.find((c) => c.row.language === 'fr' && !['CLT013262', 'CLT013272'].includes(c.row.number));
    if (!english || !someoneElse)
        throw new Error('the demo has no customers for its contact requests');
    return [
        {
            customer: someoneElse,
            category: 'plate',
            status: 'closed',
            daysAgo: 45,
            message: 'Bonjour, je change de voiture à la fin du mois. Merci de mettre à jour mon badge.',
            contract: 'current',
            plate: { plate: 'GH-482-KL', effectiveInDays: 14 },
            reply: { body: 'Bonjour, la nouvelle immatriculation est enregistrée sur votre contrat à partir de la date indiquée. Bonne journée.', daysAfter: 2 },
        },
        {
            customer: byNumber(set, 'CLT013272'),
            category: 'invoice',
            status: 'received',
            daysAgo: 20,
            message: 'Bonjour, je ne comprends pas le montant de ma dernière facture : l’avoir pour les travaux a-t-il bien été déduit ?',
            contract: 'current',
        },
        {
            customer: byNumber(set, 'CLT013262'),
            category: 'contract',
            status: 'waiting_customer',
            daysAgo: 12,
            message: 'Bonjour, est-il possible d’ajouter le véhicule de ma compagne à mon abonnement petit rouleur ?',
            contract: 'current',
            reply: {
                body: 'Bonjour, c’est possible : un second véhicule peut être rattaché au contrat.\nMerci de nous envoyer la carte grise de ce véhicule en répondant à cette demande depuis « Mes demandes ».',
                daysAfter: 1,
            },
        },
        {
            customer: byNumber(set, 'CLT013263'),
            category: 'address',
            status: 'in_progress',
            daysAgo: 8,
            message: 'Bonjour, notre siège social déménage le mois prochain. Merci d’adresser les prochaines factures au 12 avenue de la Grande Armée, 75017 Paris.',
            contract: null,
        },
        {
            customer: english,
            category: 'phone',
            status: 'received',
            daysAgo: 5,
            message: 'Hello, my mobile number has changed: it is now 06 12 34 56 78. Thank you.',
            contract: null,
        },
        {
            customer: byNumber(set, 'CLT013262'),
            category: 'invoice',
            status: 'received',
            daysAgo: 2,
            message: 'Bonjour, la remise petit rouleur du mois dernier ne figure pas sur ma facture. Je joins le relevé de mes sorties.',
            contract: 'current',
            attachment: {
                name: 'releve-sorties.pdf',
                title: 'Relevé de mes sorties',
                lines: ['Relevé tenu par le client (document de démonstration).', '3 sorties le mois dernier : le 4, le 12 et le 25.'],
            },
        },
    ];
}
/** A small one-page PDF, as a customer would attach it. */
function attachmentPdf(title, lines, createdAt) {
    return renderPdf({ title, subject: title, author: 'Demo', lang: 'fr', createdAt: new Date(createdAt) }, (doc) => {
        let y = put(doc, title, LEFT, 60, { font: BOLD, size: 14 }) + 12;
        for (const line of lines)
            y = paragraph(doc, line, LEFT, y, WIDTH, { size: 11 }) + 6;
    });
}
/** The rows of the demo's contact requests, their conversation and attachment, and the attachment's bytes. */
export async function contactRequestsOfTheDemo(set) {
    const out = { requests: [], messages: [], attachments: [], files: [] };
    const perYear = new Map();
    for (const s of stories(set)) {
        const day = addDays(set.today, -s.daysAgo);
        const createdAt = at(day, 8, 30);
        const year = day.slice(0, 4);
        const n = (perYear.get(year) ?? 0) + 1;
        perYear.set(year, n);
        const contract = s.contract === 'current' ? (s.customer.contracts.find((k) => k.status === 'active') ?? null) : null;
        const id = set.ids.uuid();
        const replyAt = s.reply ? at(addDays(day, s.reply.daysAfter), 14, 0) : null;
        out.requests.push({
            id,
            reference: requestReference(year, n),
            customer_id: s.customer.row.id,
            contract_id: contract?.id ?? null,
            category: s.category,
            message: s.message,
            new_plate: s.plate?.plate ?? null,
            effective_date: s.plate ? addDays(day, s.plate.effectiveInDays) : null,
            status: s.status,
            submission_id: null,
            assigned_staff_id: null,
            closed_at: s.status === 'closed' ? replyAt : null,
            created_at: createdAt,
            updated_at: replyAt ?? createdAt,
        });
        if (s.reply && replyAt) {
            out.messages.push({ id: set.ids.uuid(), request_id: id, author_type: 'staff', staff_id: DEMO_AGENT_ID, body: s.reply.body, internal: 0, submission_id: null, created_at: replyAt });
        }
        if (s.attachment) {
            const bytes = await attachmentPdf(s.attachment.title, s.attachment.lines, createdAt);
            out.files.push(bytes);
            out.attachments.push({
                id: set.ids.uuid(),
                request_id: id,
                message_id: null,
                original_name: s.attachment.name,
                content_type: 'application/pdf',
                size_bytes: bytes.length,
                sha256: sha256Hex(bytes),
                created_at: createdAt,
            });
        }
    }
    return out;
}
//# sourceMappingURL=demo.requests.js.map