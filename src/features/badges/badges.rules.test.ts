import { describe, expect, it } from 'vitest';
import { completed, feeCents, mustReturnOldBadge, newBadgeNumber, orderable } from './badges.rules.ts';

describe('badges’ rules', () => {
  it('reads a fee typed in euros, 0 to 500 €, and nothing else', () => {
    expect(feeCents('15')).toBe(1500);
    expect(feeCents('15,5')).toBe(1550);
    expect(feeCents(' 22.50 € ')).toBe(2250);
    expect(feeCents('0')).toBe(0);
    expect(feeCents('500')).toBe(50_000);
    expect(feeCents('500,01')).toBeNull();
    expect(feeCents('1000')).toBeNull();
    expect(feeCents('-1')).toBeNull();
    expect(feeCents('15,555')).toBeNull();
    expect(feeCents('')).toBeNull();
    expect(feeCents('douze')).toBeNull();
  });

  it('reads a new badge number: trimmed, upper case, 1 to 40 letters, digits, - or .', () => {
    expect(newBadgeNumber(' b-777 ')).toBe('B-777');
    expect(newBadgeNumber('A')).toBe('A');
    expect(newBadgeNumber('A'.repeat(40))).toBe('A'.repeat(40));
    expect(newBadgeNumber('A'.repeat(41))).toBeNull();
    expect(newBadgeNumber('')).toBeNull();
    expect(newBadgeNumber('-12')).toBeNull();
    expect(newBadgeNumber('no good!')).toBeNull();
  });

  it('orders while blocked or awaiting payment; settled once handed over or posted; a broken badge comes back', () => {
    expect(['blocked', 'awaiting_payment', 'paid', 'handed_over', 'posted'].map((s) => [orderable(s as never), completed(s as never)])).toEqual([
      [true, false],
      [true, false],
      [false, false],
      [false, true],
      [false, true],
    ]);
    expect([mustReturnOldBadge('broken'), mustReturnOldBadge('lost'), mustReturnOldBadge('stolen')]).toEqual([true, false, false]);
  });
});
