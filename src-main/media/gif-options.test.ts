import { describe, expect, it } from 'vitest';
import { buildFfmpegArgs, type EncodeSettings } from './ffmpeg-args';
import { DEFAULT_GIF_OPTIONS, gifFilterGraph, gifLoopArg, gifSize, resolveGifOptions } from './gif-options';

const base: EncodeSettings = { format: 'gif', width: 512, height: 384, fps: 24, totalFrames: 120, output: '/out/.v.partial-1.gif' };

function valueOf(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

describe('GIF options', () => {
  it('defaults: full size, loops forever, 256 colours, diff statistics, bayer dither re-mapping only the changed rectangle', () => {
    const args = buildFfmpegArgs(base);
    const graph = valueOf(args, '-filter_complex')!;
    expect(graph).not.toMatch(/\bscale=/);
    expect(graph).toContain('palettegen=max_colors=256:stats_mode=diff[palette]');
    expect(graph).toContain('paletteuse=dither=bayer:bayer_scale=3:diff_mode=rectangle[out]');
    expect(valueOf(args, '-loop')).toBe('0');
    expect(valueOf(args, '-map')).toBe('[out]');
  });

  it('scales before the split, so the palette is built from the pixels that are written', () => {
    const graph = valueOf(buildFfmpegArgs({ ...base, gif: { scale: 0.5 } }), '-filter_complex')!;
    expect(graph.startsWith('[0:v]scale=256:192:flags=lanczos,split[frames][forpalette];')).toBe(true);
    expect(gifSize(333, 101, 0.5)).toEqual({ width: 167, height: 51 });
    expect(gifSize(20, 10, 0.1)).toEqual({ width: 2, height: 1 });
  });

  it('passes colours, statistics mode and dither through; single statistics gets a palette per frame', () => {
    const graph = gifFilterGraph(64, 64, { ...DEFAULT_GIF_OPTIONS, colors: 64, statsMode: 'single', dither: 'sierra2_4a' });
    expect(graph).toContain('palettegen=max_colors=64:stats_mode=single');
    expect(graph).toContain('paletteuse=dither=sierra2_4a:diff_mode=rectangle:new=1');
    expect(gifFilterGraph(64, 64, { ...DEFAULT_GIF_OPTIONS, dither: 'none' })).toContain('paletteuse=dither=none:');
    expect(gifFilterGraph(64, 64, { ...DEFAULT_GIF_OPTIONS, bayerScale: 5 })).toContain('dither=bayer:bayer_scale=5:');
  });

  it('maps plays to the muxer -loop: forever 0, once -1 (no loop block), N plays N-1 repeats', () => {
    expect(gifLoopArg(0)).toBe('0');
    expect(gifLoopArg(1)).toBe('-1');
    expect(gifLoopArg(3)).toBe('2');
    expect(valueOf(buildFfmpegArgs({ ...base, gif: { plays: 3 } }), '-loop')).toBe('2');
  });

  it('rejects each bad value with the field and its range, and ignores GIF options for other formats', () => {
    expect(() => resolveGifOptions({ scale: 0 })).toThrow(/GIF option scale is 0: use a fraction from 0.1 to 1/);
    expect(() => resolveGifOptions({ scale: 2 })).toThrow(/scale is 2/);
    expect(() => resolveGifOptions({ colors: 3 })).toThrow(/colors is 3: use a whole number from 4 to 256/);
    expect(() => resolveGifOptions({ colors: 300 })).toThrow(/colors is 300/);
    expect(() => resolveGifOptions({ plays: -1 })).toThrow(/plays is -1/);
    expect(() => resolveGifOptions({ plays: 1.5 })).toThrow(/plays is 1.5/);
    expect(() => resolveGifOptions({ bayerScale: 6 })).toThrow(/bayerScale is 6/);
    expect(() => resolveGifOptions({ dither: 'atkinson' as never })).toThrow(/dither is atkinson: use one of bayer, sierra2_4a/);
    expect(() => resolveGifOptions({ statsMode: 'all' as never })).toThrow(/statsMode is all/);
    expect(resolveGifOptions({ scale: undefined, colors: 128 })).toEqual({ ...DEFAULT_GIF_OPTIONS, colors: 128 });
    expect(buildFfmpegArgs({ ...base, format: 'mp4', gif: { colors: 3 } })).not.toContain('-filter_complex');
  });
});
