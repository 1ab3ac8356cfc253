import type { TimestepSpacing } from './config';

/**
 * Inference timesteps as diffusers' set_timesteps builds them with numpy. numpy's own float
 * arithmetic and round-half-to-even are reproduced because they decide ties: for example
 * DPM-Solver++ with 30 steps has 15·(999/30) = 499.4999… → 499, where a decimal 499.5 would
 * round to 500.
 */

/** DDIMScheduler.set_timesteps. */
export function ddimTimesteps(T: number, numSteps: number, spacing: TimestepSpacing, stepsOffset: number): number[] {
  switch (spacing) {
    case 'leading': {
      const ratio = Math.floor(T / numSteps);
      return Array.from({ length: numSteps }, (_, i) => (numSteps - 1 - i) * ratio + stepsOffset);
    }
    case 'trailing':
      return numpyArange(T, 0, -T / numSteps).map((t) => roundHalfEven(t) - 1);
    case 'linspace':
      return numpyLinspace(0, T - 1, numSteps).map(roundHalfEven).reverse();
  }
}

/**
 * DPMSolverMultistepScheduler.set_timesteps (lambda_min_clipped = -inf, so the last usable
 * training step is T - 1): N + 1 points with the final one (t = 0 side) dropped.
 */
export function dpmSolverTimesteps(T: number, numSteps: number, spacing: TimestepSpacing, stepsOffset: number): number[] {
  switch (spacing) {
    case 'linspace':
      return numpyLinspace(0, T - 1, numSteps + 1).map(roundHalfEven).reverse().slice(0, numSteps);
    case 'leading': {
      const ratio = Math.floor(T / (numSteps + 1));
      return Array.from({ length: numSteps }, (_, i) => (numSteps - i) * ratio + stepsOffset);
    }
    case 'trailing':
      return numpyArange(T, 0, -T / numSteps).map((t) => roundHalfEven(t) - 1);
  }
}

/**
 * EulerDiscreteScheduler / EulerAncestralDiscreteScheduler.set_timesteps: float32 timesteps,
 * fractional for "linspace" (np.linspace(0, T − 1, N, dtype=float32) reversed — the UNet then
 * gets e.g. 964.55…), whole numbers for "leading" (+ steps_offset) and "trailing" (− 1).
 */
export function eulerTimesteps(T: number, numSteps: number, spacing: TimestepSpacing, stepsOffset: number): number[] {
  const f = Math.fround;
  switch (spacing) {
    case 'linspace':
      return numpyLinspace(0, T - 1, numSteps).map(f).reverse();
    case 'leading': {
      const ratio = Math.floor(T / numSteps);
      return Array.from({ length: numSteps }, (_, i) => f((numSteps - 1 - i) * ratio) + stepsOffset);
    }
    case 'trailing':
      return numpyArange(T, 0, -T / numSteps).map((t) => f(roundHalfEven(t)) - 1);
  }
}

/**
 * np.interp(x, arange(len(fp)), fp) in float64 as numpy computes it: fp[j] exactly at a knot,
 * else slope·(x − j) + fp[j] with slope = fp[j+1] − fp[j]; clamped to the ends.
 */
export function numpyInterpAtArange(x: number, fp: ArrayLike<number>): number {
  const last = fp.length - 1;
  if (x <= 0) return fp[0];
  if (x >= last) return fp[last];
  const j = Math.floor(x);
  if (j === x) return fp[j];
  return (fp[j + 1] - fp[j]) * (x - j) + fp[j];
}

/** numpy.round: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** numpy.linspace(start, stop, num) in float64: k·step + start, with the endpoint set exactly. */
export function numpyLinspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  const out = Array.from({ length: num }, (_, k) => k * step + start);
  out[num - 1] = stop;
  return out;
}

/**
 * numpy.arange(start, stop, step) for floats: length ceil((stop - start) / step); values are
 * start, start + step, then start + i·delta with delta = (start + step) - start, as numpy's
 * fill routine computes them.
 */
export function numpyArange(start: number, stop: number, step: number): number[] {
  const length = Math.max(0, Math.ceil((stop - start) / step));
  if (length === 0) return [];
  const second = start + step;
  const delta = second - start;
  return Array.from({ length }, (_, i) => (i === 0 ? start : i === 1 ? second : start + i * delta));
}
