import { describe, expect, it } from 'vitest';
import { databaseKinds } from '../../../tests/support/app.ts';
import { insertDocument } from '../../../tests/support/documents.ts';
import { createCustomer } from '../../../tests/support/factories.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';
import { MINUTE } from '../../lib/clock.ts';
import { NOTIFY_GRACE_MS, queueDocumentNotifications } from './documents.notify.ts';

describe.each(databaseKinds())('"new document" notices (%s)', (kind) => {
  const { t, mb } = useMailTestApp(kind);

  let n = 0;
  async function customer(o: { paperless: boolean; primary?: string; primaryVerified?: boolean; secondary?: string; language?: 'fr' | 'en' }) {
    const c = await createCustomer(t.db, t.clock, { language: o.language ?? 'fr' });
    await t.db
      .updateTable('customers')
      .set({
        paperless: o.paperless ? 1 : 0,
        paperless_changed_at: '2026-01-01T00:00:00.000Z',
        email_primary: o.primary ?? null,
        email_primary_verified_at: o.primaryVerified === false ? null : '2026-01-01T00:00:00.000Z',
        email_secondary: o.secondary ?? null,
        email_secondary_verified_at: o.secondary ? '2026-01-01T00:00:00.000Z' : null,
      })
      .where('id', '=', c.id)
      .execute();
    return c;
  }
  async function published(customerId: string, ttcHt: number) {
    const d = await insertDocument(t.db, { customerId, number: `NOTIF${++n}`, issueDate: '2026-11-27', htCents: ttcHt, pdfSha256: 'b'.repeat(64) });
    await t.db.updateTable('financial_documents').set({ published_at: t.clock.now().toISOString(), notified_at: null }).where('id', '=', d.id).execute();
    return d;
  }

  it('sends one e-mail per verified address for documents published together, naming them and linking to Mon compte', async () => {
    const c = await customer({ paperless: true, primary: 'grouped@example.fr', secondary: 'grouped2@example.fr' });
    await published(c.id, 21667);
    await published(c.id, 1000);
    // Still within the grace period of the batch: nothing yet.
    expect(await queueDocumentNotifications(t.db, t.clock, t.config)).toBe(0);
    t.clock.advance(NOTIFY_GRACE_MS + 1000);
    expect(await queueDocumentNotifications(t.db, t.clock, t.config)).toBeGreaterThanOrEqual(1);
    await mb.deliver();
    for (const address of ['grouped@example.fr', 'grouped2@example.fr']) {
      const mails = mb.smtp.to(address);
      expect(mails, address).toHaveLength(1);
      expect(mails[0]!.subject).toBe('2 nouveaux documents sont disponibles dans votre espace client');
      const text = mails[0]!.text.replace(/\u00a0/g, ' ');
      expect(text).toContain(`Facture NOTIF${n - 1} — 260,00 € TTC`);
      expect(text).toContain(`Facture NOTIF${n} — 12,00 € TTC`);
      expect(text).toContain(`${t.config.PUBLIC_URL}/mon-compte`);
      expect(text).not.toMatch(/\.pdf|documents\//);
      expect(mails[0]!.raw).not.toMatch(/Content-Disposition: attachment/i);
    }
    // Notified once: another round sends nothing more.
    t.clock.advance(5 * MINUTE);
    expect(await queueDocumentNotifications(t.db, t.clock, t.config)).toBe(0);
  });

  it('writes nothing to customers on paper, and waits for an address to be verified', async () => {
    const paper = await customer({ paperless: false, primary: 'paper@example.fr' });
    const unverified = await customer({ paperless: true, primary: 'later@example.fr', primaryVerified: false, language: 'en' });
    await published(paper.id, 1000);
    await published(unverified.id, 1000);
    t.clock.advance(NOTIFY_GRACE_MS + 1000);
    await queueDocumentNotifications(t.db, t.clock, t.config);
    await mb.deliver();
    expect(mb.smtp.to('paper@example.fr')).toHaveLength(0);
    expect(mb.smtp.to('later@example.fr')).toHaveLength(0);

    await t.db.updateTable('customers').set({ email_primary_verified_at: t.clock.now().toISOString() }).where('id', '=', unverified.id).execute();
    await queueDocumentNotifications(t.db, t.clock, t.config);
    await mb.deliver();
    const mails = mb.smtp.to('later@example.fr');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('A new document is available in your customer area');
  });

  it('sends a business’s notices to its billing e-mail instead of its verified addresses', async () => {
    const c = await customer({ paperless: true, primary: 'boss@leroy.example' });
    await t.db.updateTable('customers').set({ kind: 'business', company_name: 'LEROY', billing_email: 'compta@leroy.example' }).where('id', '=', c.id).execute();
    await published(c.id, 1000);
    t.clock.advance(NOTIFY_GRACE_MS + 1000);
    await queueDocumentNotifications(t.db, t.clock, t.config);
    await mb.deliver();
    expect(mb.smtp.to('compta@leroy.example')).toHaveLength(1);
    expect(mb.smtp.to('boss@leroy.example')).toHaveLength(0);
  });
});
