import { describe, expect, it } from 'vitest';
import { formatBytes, formatEta } from './format';

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
