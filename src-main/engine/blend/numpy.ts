/**
 * The few NumPy behaviours the published method's numbers depend on. The method's plans
 * (injection steps, branch counts, crossfeed schedules) were defined by NumPy code, so a
 * one-off difference in rounding or in linspace's last element changes which steps run.
 */
import { badArgument, requireFinite, requireInteger } from './errors';

/** Python's round() / np.round(): halves go to the even neighbour (19.5 → 20, 20.5 → 20). */
export function roundHalfEven(x: number): number {
  requireFinite('roundHalfEven', 'x', x);
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * np.linspace(start, stop, num, endpoint): element i is `start + i·step` with
 * step = (stop − start)/div (div = num − 1 with endpoint, else num), and with endpoint the
 * last element is exactly `stop`. num = 1 gives [start].
 */
export function linspace(start: number, stop: number, num: number, endpoint = true): number[] {
  requireFinite('linspace', 'start', start);
  requireFinite('linspace', 'stop', stop);
  requireInteger('linspace', 'num', num, 0);
  if (num === 0) return [];
  const div = endpoint ? num - 1 : num;
  if (div === 0) return [start];
  const step = (stop - start) / div;
  const out = new Array<number>(num);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  if (endpoint) out[num - 1] = stop;
  return out;
}

/** np.logspace(start, stop, num, base=10) = base ** linspace(start, stop, num). */
export function logspace(start: number, stop: number, num: number, base = 10): number[] {
  return linspace(start, stop, num).map((e) => base ** e);
}

/** ndarray.astype(int): truncation toward zero (not floor: −1.5 → −1). */
export function truncToInt(x: number): number {
  requireFinite('truncToInt', 'x', x);
  const t = Math.trunc(x);
  if (!Number.isSafeInteger(t)) throw badArgument('truncToInt', `${x} does not fit an integer`);
  return t === 0 ? 0 : t; // no −0
}
