import { describe, expect, it } from 'vitest';
import { durationWords, progressLine } from './progress.ts';

/* The command line's progress: rows done, rate and time left, on a terminal only. */

const terminal = (isTTY: boolean) => {
  const written: string[] = [];
  return { out: { isTTY, write: (s: string) => written.push(s) > 0 }, written };
};

describe('progress line', () => {
  it('shows the count, the rate and the time left on a terminal, at most ten times a second, and clears itself', () => {
    let now = 1000;
    const { out, written } = terminal(true);
    const p = progressLine('customers:', out, () => now);
    now += 5000; // reading the file: not counted in the rate
    p.update({ done: 0, total: 1000 });
    now += 2000;
    p.update({ done: 400, total: 1000 });
    now += 50;
    p.update({ done: 410, total: 1000 }); // within 100 ms: not shown
    now += 3000;
    p.update({ done: 1000, total: 1000 }); // the last is always shown, without time left
    p.end();
    expect(written).toEqual(['\rcustomers: 0/1000 (0/s)\x1b[K', '\rcustomers: 400/1000 (200/s, 3 s left)\x1b[K', '\rcustomers: 1000/1000 (198/s)\x1b[K', '\r\x1b[2K']);
    expect(p.rate(1000)).toBe(198);
  });

  it('says nothing in a log or a pipe', () => {
    const { out, written } = terminal(false);
    const p = progressLine('customers:', out);
    p.update({ done: 1, total: 2 });
    p.end();
    expect(written).toEqual([]);
  });

  it('says a duration in seconds, minutes, hours', () => {
    expect(durationWords(0.2)).toBe('1 s');
    expect(durationWords(59)).toBe('59 s');
    expect(durationWords(125)).toBe('2 min 05 s');
    expect(durationWords(3840)).toBe('1 h 04 min');
  });
});
