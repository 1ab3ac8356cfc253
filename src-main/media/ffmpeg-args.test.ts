import { describe, expect, it } from 'vitest';
import { buildFfmpegArgs, type EncodeSettings } from './ffmpeg-args';

const base: EncodeSettings = { format: 'mp4', width: 64, height: 48, fps: 12, totalFrames: 24, output: '/out/.v.partial-1.mp4' };

/** The value following a flag, e.g. valueOf(args, '-crf'). */
function valueOf(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

describe('buildFfmpegArgs', () => {
  it('reads raw rgb24 frames of the export size and rate from stdin', () => {
    const args = buildFfmpegArgs(base);
    expect(args.join(' ')).toContain('-f rawvideo -pix_fmt rgb24 -s 64x48 -r 12 -i pipe:0');
  });

  it('mp4: libx264, yuv420p, CRF 18 and preset medium by default, faststart, output last', () => {
    const args = buildFfmpegArgs(base);
    expect(valueOf(args, '-c:v')).toBe('libx264');
    expect(valueOf(args, '-pix_fmt')).toBe('rgb24'); // the input's
    expect(args.lastIndexOf('yuv420p')).toBeGreaterThan(args.indexOf('pipe:0'));
    expect(valueOf(args, '-crf')).toBe('18');
    expect(valueOf(args, '-preset')).toBe('medium');
    expect(valueOf(args, '-movflags')).toBe('+faststart');
    expect(args.at(-1)).toBe(base.output);
    expect(args).not.toContain('-vf'); // even size: nothing to fix
  });

  it('mp4 honours crf and preset and rejects values x264 does not accept', () => {
    const args = buildFfmpegArgs({ ...base, crf: 23, preset: 'veryfast' });
    expect(valueOf(args, '-crf')).toBe('23');
    expect(valueOf(args, '-preset')).toBe('veryfast');
    expect(() => buildFfmpegArgs({ ...base, crf: 52 })).toThrow(/0 \(lossless\) to 51/);
    expect(() => buildFfmpegArgs({ ...base, crf: 18.5 })).toThrow(/whole number/);
    expect(() => buildFfmpegArgs({ ...base, preset: 'turbo' })).toThrow(/Unknown encoder preset "turbo"/);
  });

  it('scales odd sizes up to even ones for yuv420p formats only', () => {
    const odd = { ...base, width: 63, height: 47 };
    expect(valueOf(buildFfmpegArgs(odd), '-vf')).toMatch(/^scale=64:48\b.*setsar=1/);
    expect(valueOf(buildFfmpegArgs({ ...odd, format: 'webm' }), '-vf')).toMatch(/^scale=64:48\b/);
    expect(buildFfmpegArgs({ ...odd, format: 'gif' }).join(' ')).not.toMatch(/\bscale=/);
    expect(buildFfmpegArgs({ ...odd, format: 'png' })).not.toContain('-vf');
  });

  it('webm: VP9 in constant-quality mode (CRF with -b:v 0), yuv420p', () => {
    const args = buildFfmpegArgs({ ...base, format: 'webm' });
    expect(valueOf(args, '-c:v')).toBe('libvpx-vp9');
    expect(valueOf(args, '-crf')).toBe('31');
    expect(valueOf(args, '-b:v')).toBe('0');
    expect(args).toContain('yuv420p');
    expect(args.slice(-3)).toEqual(['-f', 'webm', base.output]);
    expect(() => buildFfmpegArgs({ ...base, format: 'webm', crf: 64 })).toThrow(/to 63/);
  });

  it('gif: palettegen and paletteuse in one graph fed by split, since frames arrive once', () => {
    const args = buildFfmpegArgs({ ...base, format: 'gif' });
    const graph = valueOf(args, '-filter_complex') ?? '';
    expect(graph).toMatch(/split\[(\w+)\]\[(\w+)\]/);
    const [, a, b] = /split\[(\w+)\]\[(\w+)\]/.exec(graph)!;
    // one branch feeds palettegen, the other paletteuse together with the palette
    expect(graph).toMatch(new RegExp(`\\[(${a}|${b})\\]palettegen`));
    expect(graph).toMatch(new RegExp(`\\[(${a}|${b})\\]\\[\\w+\\]paletteuse`));
    expect(valueOf(args, '-c:v')).toBe('gif');
    expect(args).not.toContain('-crf');
  });

  it('png: numbered files 00000.png… inside the output folder', () => {
    const args = buildFfmpegArgs({ ...base, format: 'png', output: '/out/.frames.partial-1' });
    expect(valueOf(args, '-c:v')).toBe('png');
    expect(valueOf(args, '-start_number')).toBe('0');
    expect(args.at(-1)).toBe('/out/.frames.partial-1/%05d.png');
  });

  it('muxes audio with AAC (mp4) or Opus (webm), padded and cut to frames ÷ fps seconds', () => {
    const mp4 = buildFfmpegArgs({ ...base, audio: '/music/a.wav' });
    expect(mp4.join(' ')).toContain('-i pipe:0 -i /music/a.wav');
    expect(mp4.join(' ')).toContain('-map 0:v:0 -map 1:a:0');
    expect(valueOf(mp4, '-c:a')).toBe('aac');
    expect(valueOf(mp4, '-af')).toBe('apad');
    expect(Number(valueOf(mp4, '-t'))).toBe(24 / 12);
    const webm = buildFfmpegArgs({ ...base, format: 'webm', fps: 30, totalFrames: 45, audio: '/music/a.wav' });
    expect(valueOf(webm, '-c:a')).toBe('libopus');
    expect(Number(valueOf(webm, '-t'))).toBe(1.5);
  });

  it('drops audio for formats without a sound track', () => {
    for (const format of ['gif', 'png'] as const) {
      const args = buildFfmpegArgs({ ...base, format, audio: '/music/a.wav' });
      expect(args).not.toContain('/music/a.wav');
      expect(args).not.toContain('-c:a');
    }
  });

  it('can read the same frames from a raw file (used by the benchmark baseline)', () => {
    const args = buildFfmpegArgs({ ...base, input: '/tmp/frames.rgb' });
    expect(valueOf(args, '-i')).toBe('/tmp/frames.rgb');
  });
});
