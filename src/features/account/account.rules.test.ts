import { describe, expect, it } from 'vitest';
import { checkStatementPeriod, documentStatus, statementOf } from './account.rules.ts';

const fr = (d: string) => d.split('-').reverse().join('/');

describe('the account statement', () => {
  const docs = [
    { kind: 'invoice' as const, number: 'F1', issue_date: '2026-01-01', total_ttc_cents: 12000, contract_number: 'C1' },
    { kind: 'invoice' as const, number: 'F2', issue_date: '2026-02-01', total_ttc_cents: 12000, contract_number: 'C1' },
    { kind: 'credit_note' as const, number: 'A1', issue_date: '2026-02-01', total_ttc_cents: 2000, contract_number: 'C1' },
    { kind: 'invoice' as const, number: 'F3', issue_date: '2026-03-01', total_ttc_cents: 12000, contract_number: null },
  ];
  const payments = [
    { method: 'card' as const, amount_cents: 12000, day: '2026-01-10', provider_reference: 'P1' },
    { method: 'transfer' as const, amount_cents: 5000, day: '2026-02-01', provider_reference: null },
  ];

  it('sums what came before into the opening balance, lists the period in date order with the balance after each line', () => {
    const s = statementOf(docs, payments, '2026-01-15', '2026-02-28');
    expect(s.opening).toBe(0);
    // On one day: the documents (by number) before the payments.
    expect(s.lines.map((l) => [l.day, l.movement.kind === 'payment' ? l.movement.method : l.movement.number, l.debit, l.credit, l.balance])).toEqual([
      ['2026-02-01', 'A1', 0, 2000, -2000],
      ['2026-02-01', 'F2', 12000, 0, 10000],
      ['2026-02-01', 'transfer', 0, 5000, 5000],
    ]);
    expect(s).toMatchObject({ totalDebit: 12000, totalCredit: 7000, closing: 5000 });
    expect(s.opening + s.totalDebit - s.totalCredit).toBe(s.closing);
  });

  it('closes, over everything, on the balance’s definition: invoices − credit notes − payments', () => {
    const s = statementOf(docs, payments, '2000-01-01', '2026-12-31');
    expect(s.closing).toBe(12000 + 12000 - 2000 + 12000 - 12000 - 5000);
    const later = statementOf(docs, payments, '2026-03-01', '2026-03-31');
    expect(later.opening).toBe(12000 + 12000 - 2000 - 12000 - 5000);
    expect(later.closing).toBe(s.closing);
    expect(statementOf(docs, payments, '2026-04-01', '2026-04-30')).toMatchObject({ lines: [], opening: s.closing, closing: s.closing });
  });

  it('checks its two days: required, real dates, from 2000 to today, in order', () => {
    const today = '2026-11-27';
    expect(checkStatementPeriod({ du: '01/01/2026', au: '2026-11-27' }, today, fr)).toEqual({ ok: true, from: '2026-01-01', to: '2026-11-27' });
    const keys = (v: { du: string; au: string }) => {
      const r = checkStatementPeriod(v, today, fr);
      return r.ok ? null : Object.fromEntries(Object.entries(r.errors).map(([f, e]) => [f, e!.map((x) => x.key)]));
    };
    expect(keys({ du: '', au: ' ' })).toEqual({ du: ['account.statement.error.fromRequired'], au: ['account.statement.error.toRequired'] });
    expect(keys({ du: '31/02/2026', au: '2026-11-28' })).toEqual({ du: ['contact.error.date.invalid'], au: ['contact.error.date.range'] });
    expect(keys({ du: '1999-12-31', au: '2026-01-01' })).toEqual({ du: ['contact.error.date.range'] });
    expect(keys({ du: '2026-06-30', au: '2026-06-29' })).toEqual({ au: ['account.statement.error.order'] });
  });
});

describe('a document’s status in the CSV', () => {
  const today = '2026-11-27';
  it('says an invoice paid, partly paid, to pay or late, and a credit note used, partly used or to use', () => {
    const inv = (settled: number, due: string | null) => documentStatus({ kind: 'invoice', total_ttc_cents: 100, settled_cents: settled, due_date: due }, today);
    expect([inv(100, '2026-01-01'), inv(40, '2026-12-01'), inv(0, '2026-12-01'), inv(40, '2026-11-26'), inv(0, null)]).toEqual(['paid', 'partly_paid', 'to_pay', 'late', 'to_pay']);
    const credit = (settled: number) => documentStatus({ kind: 'credit_note', total_ttc_cents: 100, settled_cents: settled, due_date: null }, today);
    expect([credit(100), credit(1), credit(0)]).toEqual(['used', 'partly_used', 'to_use']);
  });
});
