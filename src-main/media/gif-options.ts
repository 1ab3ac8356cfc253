import { MediaError } from './errors';

/**
 * GIF export choices. A GIF holds at most 256 colours per frame, so its size is decided by how
 * the palette is built and how pixels are mapped onto it: ordered (bayer) dithering keeps
 * unchanged areas identical from frame to frame, which the GIF muxer then stores only once,
 * while error diffusion (sierra, floyd_steinberg) makes every pixel shimmer and every frame full.
 */
export const GIF_DITHERS = ['bayer', 'sierra2_4a', 'floyd_steinberg', 'none'] as const;
export type GifDither = (typeof GIF_DITHERS)[number];
/** palettegen's statistics: `diff` weights what moves (the demo's background stays), `full` every pixel, `single` a palette per frame. */
export const GIF_STATS_MODES = ['diff', 'full', 'single'] as const;
export type GifStatsMode = (typeof GIF_STATS_MODES)[number];

export const GIF_LIMITS = { minScale: 0.1, maxScale: 1, minColors: 4, maxColors: 256, maxPlays: 65536, maxBayerScale: 5 } as const;

export interface GifOptions {
  /** Output size as a fraction of the render (1 = full size); both sides are rounded to whole pixels. */
  scale: number;
  /** How many times a viewer plays it: 0 = forever, 1 = once, N = N times. */
  plays: number;
  /** Palette size, 4–256 colours (palettegen's range). */
  colors: number;
  dither: GifDither;
  /** Strength of the bayer pattern, 0 (visible cross-hatch, smallest files) to 5 (faint, bigger). */
  bayerScale: number;
  statsMode: GifStatsMode;
}

/** The defaults a 512² 5 s demo movie comes out at a few MB with (see bench/export-bench.ts). */
export const DEFAULT_GIF_OPTIONS: Readonly<GifOptions> = { scale: 1, plays: 0, colors: 256, dither: 'bayer', bayerScale: 3, statsMode: 'diff' };

/** Fill in defaults and check every field; a bad value is a BAD_OPTION naming the field and its range. */
export function resolveGifOptions(options: Partial<GifOptions> | undefined): GifOptions {
  const o = { ...DEFAULT_GIF_OPTIONS, ...stripUndefined(options ?? {}) };
  const bad = (field: string, got: unknown, rule: string): never => {
    throw new MediaError('BAD_OPTION', `GIF option ${field} is ${String(got)}: ${rule}.`, { hint: `The default is ${String(DEFAULT_GIF_OPTIONS[field as keyof GifOptions])}.` });
  };
  if (typeof o.scale !== 'number' || !Number.isFinite(o.scale) || o.scale < GIF_LIMITS.minScale || o.scale > GIF_LIMITS.maxScale) {
    bad('scale', o.scale, `use a fraction from ${GIF_LIMITS.minScale} to ${GIF_LIMITS.maxScale} of the render size`);
  }
  if (!Number.isInteger(o.plays) || o.plays < 0 || o.plays > GIF_LIMITS.maxPlays) bad('plays', o.plays, `use 0 (forever) or a whole number of plays up to ${GIF_LIMITS.maxPlays}`);
  if (!Number.isInteger(o.colors) || o.colors < GIF_LIMITS.minColors || o.colors > GIF_LIMITS.maxColors) {
    bad('colors', o.colors, `use a whole number from ${GIF_LIMITS.minColors} to ${GIF_LIMITS.maxColors}`);
  }
  if (!(GIF_DITHERS as readonly string[]).includes(o.dither)) bad('dither', o.dither, `use one of ${GIF_DITHERS.join(', ')}`);
  if (!Number.isInteger(o.bayerScale) || o.bayerScale < 0 || o.bayerScale > GIF_LIMITS.maxBayerScale) {
    bad('bayerScale', o.bayerScale, `use a whole number from 0 to ${GIF_LIMITS.maxBayerScale}`);
  }
  if (!(GIF_STATS_MODES as readonly string[]).includes(o.statsMode)) bad('statsMode', o.statsMode, `use one of ${GIF_STATS_MODES.join(', ')}`);
  return o;
}

/** The GIF's pixel size for a render size; never below one pixel. */
export function gifSize(width: number, height: number, scale: number): { width: number; height: number } {
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * One filtergraph for frames that arrive once over a pipe: split the stream, let palettegen see
 * every frame, then paletteuse maps the buffered copy (ffmpeg's two-pass recipe in one pass).
 */
export function gifFilterGraph(width: number, height: number, options: GifOptions): string {
  const size = gifSize(width, height, options.scale);
  const scale = options.scale === 1 ? '' : `scale=${size.width}:${size.height}:flags=lanczos,`;
  const dither = options.dither === 'bayer' ? `dither=bayer:bayer_scale=${options.bayerScale}` : `dither=${options.dither}`;
  // diff_mode=rectangle re-maps only the changed box of each frame, so a still area stays byte-identical.
  const newPalette = options.statsMode === 'single' ? ':new=1' : '';
  return (
    `[0:v]${scale}split[frames][forpalette];` +
    `[forpalette]palettegen=max_colors=${options.colors}:stats_mode=${options.statsMode}[palette];` +
    `[frames][palette]paletteuse=${dither}:diff_mode=rectangle${newPalette}[out]`
  );
}

/** ffmpeg's gif muxer -loop: -1 plays once (no NETSCAPE2.0 block), 0 forever, N repeats N more times. */
export function gifLoopArg(plays: number): string {
  return String(plays === 0 ? 0 : plays === 1 ? -1 : plays - 1);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
