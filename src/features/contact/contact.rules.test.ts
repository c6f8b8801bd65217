import { describe, expect, it } from 'vitest';
import { answerForm, ageInDays, closedAtAfter, contactForm, displayFileName, nextState, normalisePlate, parseDate, sniffType, validateAnswer, validateRequest } from './contact.rules.ts';

const PDF = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n%%EOF\n', 'latin1');

describe('contact request rules', () => {
  it('normalises SIV plates and accepts older FNI ones', () => {
    expect(normalisePlate('ab-123-cd')).toBe('AB-123-CD');
    expect(normalisePlate(' AB 123 CD ')).toBe('AB-123-CD');
    expect(normalisePlate('ab123cd')).toBe('AB-123-CD');
    expect(normalisePlate('123 abc 75')).toBe('123 ABC 75');
    expect(normalisePlate('1234-AB-2A')).toBe('1234 AB 2A');
    expect(normalisePlate('12ABC971')).toBe('12 ABC 971');
    for (const bad of ['', 'AB-12-CD', 'ABC-123-DE', 'AB-123-C', '12-345-67', 'AB-123-CD-EF', '<script>']) expect(normalisePlate(bad), bad).toBeNull();
  });

  it('reads a file’s type from its first bytes only', () => {
    expect(sniffType(PDF)).toBe('application/pdf');
    expect(sniffType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(sniffType(Buffer.from('MZ\x90\x00\x03', 'latin1'))).toBeNull(); // a Windows executable
    expect(sniffType(Buffer.from('%PD'))).toBeNull();
    expect(sniffType(Buffer.alloc(0))).toBeNull();
    expect(sniffType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });

  it('makes a display label of any file name, never a path', () => {
    expect(displayFileName('../../etc/passwd.pdf')).toBe('passwd.pdf');
    expect(displayFileName('C:\\Users\\me\\carte grise.pdf')).toBe('carte grise.pdf');
    expect(displayFileName('..')).toBe('fichier');
    expect(displayFileName('.htaccess')).toBe('htaccess');
    expect(displayFileName('facture\u202Efdp.exe')).toBe('facturefdp.exe');
    expect(displayFileName('a\r\nb\t.pdf')).toBe('ab.pdf');
    const long = displayFileName(`${'x'.repeat(300)}.pdf`);
    expect(long).toHaveLength(120);
    expect(long.endsWith('….pdf')).toBe(true);
  });

  it('reads dates as a date field sends them, or as typed in French', () => {
    expect(parseDate('2026-12-15')).toBe('2026-12-15');
    expect(parseDate('15/12/2026')).toBe('2026-12-15');
    expect(parseDate('1/2/2027')).toBe('2027-02-01');
    for (const bad of ['2026-02-30', '31/04/2026', '2026-13-01', 'demain', '', '2026-1-1']) expect(parseDate(bad), bad).toBeNull();
  });

  it('asks for the plate and its date only for a change of plate', () => {
    const today = '2026-11-27';
    const base = { category: 'plate', contract: '', message: 'Nouvelle voiture', new_plate: '', effective_date: '', submission: '' };
    const r = validateRequest(base, [], false, [], today);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.new_plate?.[0]?.key).toBe('contact.error.plate.required');
      expect(r.errors.effective_date?.[0]?.key).toBe('contact.error.date.required');
    }
    const far = validateRequest({ ...base, new_plate: 'AB123CD', effective_date: '2030-01-01' }, [], false, [], today);
    expect(!far.ok && far.errors.effective_date?.[0]?.key).toBe('contact.error.date.range');
    const ok = validateRequest({ ...base, new_plate: 'ab 123 cd', effective_date: '01/12/2026' }, [], false, [], today);
    expect(ok).toMatchObject({ ok: true, request: { newPlate: 'AB-123-CD', effectiveDate: '2026-12-01' } });
    const other = validateRequest({ ...base, category: 'address', new_plate: 'whatever', effective_date: 'x' }, [], false, [], today);
    expect(other).toMatchObject({ ok: true, request: { newPlate: null, effectiveDate: null } });
  });

  it('refuses an unknown category, someone else’s contract, an empty or too long message', () => {
    const today = '2026-11-27';
    const r = validateRequest({ category: 'refund', contract: '26CTOTHER', message: ' \n ', new_plate: '', effective_date: '', submission: '' }, [], false, ['26CTMINE'], today);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.fromEntries(Object.entries(r.errors).map(([k, v]) => [k, v?.[0]?.key]))).toEqual({
      category: 'contact.error.category',
      contract: 'contact.error.contract',
      message: 'contact.error.message.required',
    });
    const long = validateRequest({ category: 'other', contract: '', message: 'x'.repeat(5001), new_plate: '', effective_date: '', submission: '' }, [], false, [], today);
    expect(!long.ok && long.errors.message?.[0]).toEqual({ key: 'contact.error.message.tooLong', params: { max: '5 000', count: 5001 } });
    // Line breaks count once, as in the text area.
    const crlf = contactForm.parse({ message: `${'x\r\n'.repeat(2500)}`, category: 'other' });
    expect(validateRequest(crlf, [], false, [], today).ok).toBe(true);
  });

  it('checks every attachment and names the wrong ones', () => {
    const today = '2026-11-27';
    const v = { category: 'other', contract: '', message: 'Voir pièces jointes', new_plate: '', effective_date: '', submission: '' };
    const r = validateRequest(
      v,
      [
        { filename: 'ok.pdf', bytes: PDF, truncated: false },
        { filename: 'virus.pdf', bytes: Buffer.from('MZ\x90\x00', 'latin1'), truncated: false },
        { filename: 'big.pdf', bytes: Buffer.alloc(0), truncated: true },
      ],
      false,
      [],
      today,
    );
    expect(!r.ok && r.errors.attachments).toEqual([
      { key: 'contact.error.file.type', params: { name: 'virus.pdf' } },
      { key: 'contact.error.file.size', params: { name: 'big.pdf' } },
    ]);
    const many = validateRequest(v, [], true, [], today);
    expect(!many.ok && many.errors.attachments).toEqual([{ key: 'contact.error.files.count', params: { max: 3 } }]);
  });

  it('checks an answer as a request: a message, and files by their bytes under the same limits', () => {
    const ok = validateAnswer(answerForm.parse({ message: ' Voici.\r\nMerci ', submission: '0b8f5f4e-1f7e-4d3a-9a43-1c2b3d4e5f60' }), [{ filename: 'a.pdf', bytes: PDF, truncated: false }], false);
    expect(ok).toEqual({ ok: true, answer: { submissionId: '0b8f5f4e-1f7e-4d3a-9a43-1c2b3d4e5f60', message: 'Voici.\nMerci', attachments: [{ originalName: 'a.pdf', contentType: 'application/pdf', bytes: PDF }] } });
    const bad = validateAnswer(answerForm.parse({ message: '' }), [{ filename: 'x.pdf', bytes: Buffer.from('MZ'), truncated: false }, { filename: 'big.pdf', bytes: Buffer.alloc(0), truncated: true }], false);
    expect(bad).toEqual({
      ok: false,
      errors: {
        message: [{ key: 'contact.error.message.required' }],
        attachments: [
          { key: 'contact.error.file.type', params: { name: 'x.pdf' } },
          { key: 'contact.error.file.size', params: { name: 'big.pdf' } },
        ],
      },
    });
    expect(validateAnswer(answerForm.parse({ message: 'x'.repeat(5001) }), [], true)).toMatchObject({
      ok: false,
      errors: { message: [{ key: 'contact.error.message.tooLong' }], attachments: [{ key: 'contact.error.files.count' }] },
    });
  });

  it('moves a request through its states as it is handled', () => {
    expect(nextState('received', { kind: 'assigned' })).toBe('in_progress');
    expect(nextState('waiting_customer', { kind: 'assigned' })).toBe('waiting_customer');
    expect(nextState('received', { kind: 'unassigned' })).toBe('received');
    expect(nextState('received', { kind: 'note' })).toBe('received');
    expect(nextState('in_progress', { kind: 'reply', close: false })).toBe('waiting_customer');
    expect(nextState('received', { kind: 'reply', close: true })).toBe('closed');
    for (const from of ['received', 'in_progress', 'waiting_customer', 'closed'] as const) expect(nextState(from, { kind: 'customer_answer' })).toBe('in_progress');
    expect(nextState('closed', { kind: 'set', state: 'waiting_customer' })).toBe('waiting_customer');
    // The closing date: set when it closes, kept while it stays closed, gone when reopened.
    expect(closedAtAfter({ status: 'in_progress', closed_at: null }, 'closed', 'T2')).toBe('T2');
    expect(closedAtAfter({ status: 'closed', closed_at: 'T1' }, 'closed', 'T2')).toBe('T1');
    expect(closedAtAfter({ status: 'closed', closed_at: 'T1' }, 'in_progress', 'T2')).toBeNull();
  });

  it('counts a request’s age in whole days', () => {
    const now = new Date('2026-11-27T10:00:00Z');
    expect(ageInDays('2026-11-27T09:00:00.000Z', now)).toBe(0);
    expect(ageInDays('2026-11-26T10:00:00.000Z', now)).toBe(1);
    expect(ageInDays('2026-11-26T10:00:01.000Z', now)).toBe(0);
    expect(ageInDays('2026-10-28T10:00:00.000Z', now)).toBe(30);
    expect(ageInDays('2026-11-28T10:00:00.000Z', now)).toBe(0);
  });
});
