import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldErrorsOf, safeParseReported } from './api.ts';

describe('safeParseReported', () => {
  const schema = z.strictObject({ name: z.string().trim().min(1), count: z.int().default(1) });

  it('gives what the schema makes of a value that passes', () => {
    expect(safeParseReported(schema, { name: '  Claire ' })).toEqual({ success: true, data: { name: 'Claire', count: 1 } });
  });

  it('keeps with each issue the value it was about: a field left out is told from a wrong one', () => {
    const result = safeParseReported(schema, { count: 'two' });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues.map((i) => [i.path.join('.'), 'input' in i, i.input])).toEqual([
      ['name', true, undefined],
      ['count', true, 'two'],
    ]);
    expect(fieldErrorsOf(result.error).map((e) => [e.field, e.key])).toEqual([
      ['name', 'api.field.required'],
      ['count', 'api.field.type'],
    ]);
  });
});
