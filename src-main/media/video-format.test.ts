import { describe, expect, it } from 'vitest';
import { MediaError } from './errors';
import { evenUp, formatFromPath } from './video-format';

describe('formatFromPath', () => {
  it('maps the known extensions, case-insensitively', () => {
    expect(formatFromPath('/videos/out.mp4')).toBe('mp4');
    expect(formatFromPath('clip.M4V')).toBe('mp4');
    expect(formatFromPath('C:\\exports\\loop.WebM')).toBe('webm');
    expect(formatFromPath('anim.gif')).toBe('gif');
    expect(formatFromPath('frames.png')).toBe('png');
  });

  it('rejects an unknown extension, naming it and the known ones', () => {
    const error = (() => {
      try {
        formatFromPath('movie.avi');
      } catch (e) {
        return e as MediaError;
      }
    })();
    expect(error).toBeInstanceOf(MediaError);
    expect(error?.code).toBe('BAD_FORMAT');
    expect(error?.message).toContain('".avi"');
    expect(error?.message).toContain('.webm');
  });

  it('rejects a path without an extension and says to pass the format', () => {
    expect(() => formatFromPath('/tmp/frames')).toThrow(/no extension/);
  });
});

describe('evenUp', () => {
  it('rounds odd sizes up to the next even number and keeps even ones', () => {
    expect([1, 2, 63, 64, 47].map(evenUp)).toEqual([2, 2, 64, 64, 48]);
  });
});
