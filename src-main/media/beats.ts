/**
 * Beat and tempo detection of decoded audio (mono PCM), for "snap to beats". Our own: the
 * maintained beat libraries for JavaScript either need the browser's Web Audio API
 * (web-audio-beat-detector) or are AGPL (essentia.js). Pure and deterministic.
 *
 * 1. Onset strength: spectral flux (the summed rise of log-magnitude spectra between
 *    neighbouring frames), with its local mean removed, so note starts stand out whatever the
 *    loudness.
 * 2. Tempo: the autocorrelation of that envelope peaks at the beat period and its multiples.
 *    The fastest strong peak in the tempo range is the beat (a slower one is a bar or a half
 *    bar), then the period is refined on ever larger multiples of itself, which makes it
 *    precise to a small fraction of a frame.
 * 3. Beats: the phase whose grid (phase + k · period) collects the most onset strength.
 */

export interface BeatOptions {
  /** Tempo range searched, in beats per minute. */
  readonly minBpm?: number;
  readonly maxBpm?: number;
}

export interface BeatAnalysis {
  /** Beats per minute. */
  readonly bpm: number;
  /** Beat times in seconds from the start of the audio, increasing. */
  readonly beats: number[];
  /** How clearly the audio has a beat: the autocorrelation at the period over that at lag 0 (0 … 1). */
  readonly confidence: number;
}

export const DEFAULT_MIN_BPM = 50;
export const DEFAULT_MAX_BPM = 200;
const WINDOW = 1024;
const HOP = 128;
/**
 * The beat is the fastest level of the metre with real weight: from the strongest peak, halve
 * the period while the half period still has a peak this large relative to it (a bar of two or
 * four beats peaks higher than its beats when the backbeat differs from the downbeat).
 */
const SUBDIVISION_SHARE = 0.35;

/** In-place radix-2 FFT of (re, im); length a power of two. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (-2 * Math.PI) / len;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let j = 0; j < len / 2; j++) {
        const a = i + j;
        const b = a + len / 2;
        const tr = re[b] * cr - im[b] * ci;
        const ti = re[b] * ci + im[b] * cr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
        const next = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = next;
      }
    }
  }
}

export interface OnsetEnvelope {
  readonly values: Float64Array;
  /** Envelope values per second. */
  readonly rate: number;
  /** Seconds from the start of the audio to the onset that envelope value 0 stands for. */
  readonly offset: number;
}

/** Spectral-flux onset strength, local mean removed and clipped at 0. */
export function onsetEnvelope(samples: Float32Array, sampleRate: number): OnsetEnvelope {
  if (!(sampleRate > 0)) throw new Error(`onsetEnvelope: sampleRate must be positive, got ${sampleRate}`);
  const frames = Math.max(0, Math.floor((samples.length - WINDOW) / HOP) + 1);
  const hann = new Float64Array(WINDOW).map((_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / WINDOW));
  const bins = WINDOW / 2;
  let previous = new Float64Array(bins);
  const flux = new Float64Array(frames);
  const re = new Float64Array(WINDOW);
  const im = new Float64Array(WINDOW);
  for (let t = 0; t < frames; t++) {
    const start = t * HOP;
    for (let i = 0; i < WINDOW; i++) {
      re[i] = samples[start + i] * hann[i];
      im[i] = 0;
    }
    fft(re, im);
    const current = new Float64Array(bins);
    let rise = 0;
    for (let k = 1; k < bins; k++) {
      current[k] = Math.log1p(100 * Math.hypot(re[k], im[k]));
      if (t > 0) rise += Math.max(0, current[k] - previous[k]);
    }
    // Square root: a loud snare and a soft kick both count as note starts, so the beat (not the
    // bar they alternate in) carries the periodicity.
    flux[t] = Math.sqrt(rise);
    previous = current;
  }
  // Remove the local mean (about a third of a second each side) so loud passages do not dominate.
  const rate = sampleRate / HOP;
  const half = Math.max(1, Math.round(rate / 3));
  const prefix = new Float64Array(frames + 1);
  for (let t = 0; t < frames; t++) prefix[t + 1] = prefix[t] + flux[t];
  const values = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    const a = Math.max(0, t - half);
    const b = Math.min(frames, t + half + 1);
    values[t] = Math.max(0, flux[t] - (prefix[b] - prefix[a]) / (b - a));
  }
  // A note start raises the flux most when it crosses the steepest part of the window's rising
  // edge, three quarters of a window after the frame's first sample.
  return { values, rate, offset: (0.75 * WINDOW) / sampleRate };
}

function autocorrelation(x: Float64Array, maxLag: number): Float64Array {
  const r = new Float64Array(maxLag + 1);
  for (let lag = 0; lag <= maxLag; lag++) {
    let s = 0;
    for (let i = 0; i + lag < x.length; i++) s += x[i] * x[i + lag];
    r[lag] = s;
  }
  return r;
}

/** The local maximum of r nearest `around` within ±`radius` lags, refined by a parabola through its neighbours. */
function peakNear(r: Float64Array, around: number, radius: number): { lag: number; value: number } | null {
  const lo = Math.max(1, Math.floor(around - radius));
  const hi = Math.min(r.length - 2, Math.ceil(around + radius));
  let best = -1;
  for (let l = lo; l <= hi; l++) if (best < 0 || r[l] > r[best]) best = l;
  if (best < 0) return null;
  const [a, b, c] = [r[best - 1], r[best], r[best + 1]];
  const denom = a - 2 * b + c;
  const shift = denom < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / denom)) : 0;
  return { lag: best + shift, value: b };
}

/** Tempo and beats of mono PCM samples at `sampleRate`. */
export function detectBeats(samples: Float32Array, sampleRate: number, options: BeatOptions = {}): BeatAnalysis {
  const minBpm = options.minBpm ?? DEFAULT_MIN_BPM;
  const maxBpm = options.maxBpm ?? DEFAULT_MAX_BPM;
  if (!(minBpm > 0 && maxBpm > minBpm)) throw new Error(`detectBeats: need 0 < minBpm < maxBpm, got ${minBpm} and ${maxBpm}`);
  const env = onsetEnvelope(samples, sampleRate);
  const minLag = Math.floor((60 / maxBpm) * env.rate);
  const maxLag = Math.ceil((60 / minBpm) * env.rate);
  const duration = samples.length / sampleRate;
  if (env.values.length < 2 * maxLag) {
    throw new Error(`detectBeats: ${duration.toFixed(1)} s of audio is too short to find a tempo down to ${minBpm} bpm; use at least ${Math.ceil((2 * 60) / minBpm + 0.1)} s`);
  }
  // Autocorrelate over up to ~20 s of lags: enough multiples of the period to refine it finely.
  const refineLag = Math.min(env.values.length - 1, Math.max(maxLag + 2, Math.round(20 * env.rate)));
  // Mean removed: the envelope is never negative, and its mean would lift every lag alike.
  const mean = env.values.reduce((a, b) => a + b, 0) / env.values.length;
  const r = autocorrelation(env.values.map((v) => v - mean), refineLag);
  if (!(r[0] > 0)) return { bpm: 0, beats: [], confidence: 0 };

  let beat: { lag: number; value: number } | null = null;
  for (let l = Math.max(2, minLag); l <= maxLag; l++) {
    if (r[l] > 0 && r[l] > r[l - 1] && r[l] >= r[l + 1] && (!beat || r[l] > beat.value)) beat = peakNear(r, l, 1)!;
  }
  if (!beat) return { bpm: 0, beats: [], confidence: 0 };
  for (;;) {
    const half = beat.lag / 2;
    if (half < minLag) break;
    const sub = peakNear(r, half, 2);
    if (!sub || sub.value < SUBDIVISION_SHARE * beat.value || !(sub.value > r[Math.round(half * 0.75)])) break;
    beat = sub;
  }

  // Refine on multiples 2, 4, 8, …: each halves the error the previous one left.
  let period = beat.lag;
  for (let m = 2; m * period <= refineLag - 1; m *= 2) {
    const p = peakNear(r, m * period, 2);
    if (!p) break;
    period = p.lag / m;
  }

  // Phase: the grid offset (quarter-frame steps) that collects the most onset strength.
  const at = (x: number) => {
    const i = Math.floor(x);
    const f = x - i;
    return i + 1 < env.values.length ? env.values[i] * (1 - f) + env.values[i + 1] * f : 0;
  };
  let bestPhase = 0;
  let bestScore = -1;
  for (let phase = 0; phase < period; phase += 0.25) {
    let score = 0;
    for (let x = phase; x < env.values.length - 1; x += period) score += at(x);
    if (score > bestScore) {
      bestScore = score;
      bestPhase = phase;
    }
  }
  const beats: number[] = [];
  for (let x = bestPhase; x < env.values.length; x += period) {
    const time = env.offset + x / env.rate;
    if (time <= duration) beats.push(time);
  }
  return { bpm: (60 * env.rate) / period, beats, confidence: Math.min(1, beat.value / r[0]) };
}

/**
 * Waveform for drawing: the largest absolute sample in each of `perSecond` buckets a second,
 * 0 … 1 (clipped), rounded to 1/1000 to keep the message small.
 */
export function waveformPeaks(samples: Float32Array, sampleRate: number, perSecond = 50): number[] {
  if (!(perSecond > 0)) throw new Error(`waveformPeaks: perSecond must be positive, got ${perSecond}`);
  const bucket = sampleRate / perSecond;
  const count = Math.ceil(samples.length / bucket);
  const out: number[] = [];
  for (let b = 0; b < count; b++) {
    let peak = 0;
    const end = Math.min(samples.length, Math.round((b + 1) * bucket));
    for (let i = Math.round(b * bucket); i < end; i++) peak = Math.max(peak, Math.abs(samples[i]));
    out.push(Math.round(Math.min(1, peak) * 1000) / 1000);
  }
  return out;
}
