import { describe, expect, it } from 'vitest';
import { excerpt, formatBytes, formatEta, formatWhen } from './format';

describe('formatEta', () => {
  it('says it is estimating before the first measurement', () => {
    expect(formatEta(null)).toBe('estimating…');
  });
  it('reads as seconds, minutes or hours', () => {
    expect(formatEta(400)).toBe('almost done');
    expect(formatEta(42_000)).toBe('42 s left');
    expect(formatEta(80_000)).toBe('1 min 20 s left');
    expect(formatEta(3_725_000)).toBe('1 h 02 min left');
  });
});

describe('formatBytes', () => {
  it('uses binary units with one decimal below ten', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
  });
});

describe('formatWhen', () => {
  const now = new Date(2026, 11, 1, 9, 30).getTime();
  it('says the time today, "yesterday" the day before, else the date', () => {
    expect(formatWhen(new Date(2026, 11, 1, 7, 5).getTime(), now)).toBe('07:05');
    expect(formatWhen(new Date(2026, 10, 30, 23, 59).getTime(), now)).toBe('yesterday 23:59');
    expect(formatWhen(new Date(2026, 2, 3, 14, 5).getTime(), now)).toBe('3 Mar 14:05');
    expect(formatWhen(new Date(2025, 2, 3, 14, 5).getTime(), now)).toBe('3 Mar 2025 14:05');
  });
});

describe('excerpt', () => {
  it('keeps short text and cuts long text at a word', () => {
    expect(excerpt('  a   misty forest ')).toBe('a misty forest');
    expect(excerpt('a misty pine forest at dawn with fog rolling over the hills', 30)).toBe('a misty pine forest at dawn…');
  });
});
