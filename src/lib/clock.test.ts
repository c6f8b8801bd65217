import { describe, expect, it } from 'vitest';
import { newId } from './clock.ts';

describe('newId', () => {
  it('is a UUID version 7 (RFC 9562) whose first 48 bits are the instant in milliseconds', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
  });

  it('sorts ids made in later milliseconds after earlier ones, and never makes the same id twice', async () => {
    const first = newId();
    await new Promise((r) => setTimeout(r, 5));
    const second = newId();
    expect(second > first).toBe(true);
    // Within a millisecond the random part decides: many ids, all different (past the 4 kB of entropy drawn at once).
    const many = Array.from({ length: 20_000 }, () => newId());
    expect(new Set(many).size).toBe(many.length);
    // Their random parts are not all alike (the entropy is drawn again when used up).
    expect(new Set(many.map((id) => id.slice(-12))).size).toBe(many.length);
  });
});
