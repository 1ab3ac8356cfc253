import { describe, expect, it } from 'vitest';
import { htmlUnescape } from './html-unescape';

// Expected values are what Python's html.unescape returns (CLIP's clean-up step).
describe('htmlUnescape', () => {
  it.each([
    ['&amp;', '&'],
    ['&AMP;', '&'],
    ['&Eacute;', 'É'],
    ['&hellip;', '…'],
    ['&notin;', '∉'],
    ['&#39;', "'"],
    ['&#x27;', "'"],
    ['&#65', 'A'],
    ['&#x1F600;', '😀'],
  ])('decodes %j', (input, expected) => expect(htmlUnescape(input)).toBe(expected));

  it.each([
    ['&ampx', '&x'],
    ['&copy2024', '©2024'],
    ['&lt3', '<3'],
    ['&eacute', 'é'],
    ['&notit;', '¬it;'],
  ])('decodes the legacy name that prefixes %j', (input, expected) => expect(htmlUnescape(input)).toBe(expected));

  it.each([
    ['&#150;', '–'], // Windows-1252 reinterpretation
    ['&#0;', '\ufffd'],
    ['&#xD800;', '\ufffd'],
    ['&#x110000;', '\ufffd'],
    ['&#1;', ''], // forbidden control character
  ])('handles the invalid numeric reference %j', (input, expected) => expect(htmlUnescape(input)).toBe(expected));

  it('leaves unknown names and bare ampersands alone', () => {
    expect(htmlUnescape('&unknown; & amp; R&D')).toBe('&unknown; & amp; R&D');
  });

  it('decodes once per call (CLIP calls it twice)', () => {
    expect(htmlUnescape('&amp;quot;')).toBe('&quot;');
    expect(htmlUnescape(htmlUnescape('&amp;quot;'))).toBe('"');
  });
});
