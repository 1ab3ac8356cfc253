import type { RenderEstimate } from './transition-specs';

/**
 * Where a render becomes one the studio asks about before starting it: longer than `seconds`
 * at this machine's measured speed, or, while no speed is measured yet, more than
 * `unetEvaluations` UNet steps (hours of SD 2.x on a CPU, minutes on a fast GPU; a default
 * project plans a few hundred, so an ordinary first render is never asked about).
 */
export const HUGE_RENDER_LIMIT = { seconds: 30 * 60, unetEvaluations: 20_000 } as const;

/** "about 2 h 10 min", "about 45 min", "about 40 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `about ${h} h${m ? ` ${m} min` : ''}`;
}

/** 12000 → "12 000": thin groups read the same in every locale. */
function groupDigits(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** The estimate in words when it passes the limit ("about 2 h 10 min: 12 000 UNet steps"), else null. */
export function hugeRenderSummary(estimate: Pick<RenderEstimate, 'unetEvaluations' | 'etaSeconds'>, limit = HUGE_RENDER_LIMIT): string | null {
  const steps = `${groupDigits(estimate.unetEvaluations)} UNet steps`;
  if (estimate.etaSeconds !== null) return estimate.etaSeconds > limit.seconds ? `${formatDuration(estimate.etaSeconds)}: ${steps}` : null;
  return estimate.unetEvaluations > limit.unetEvaluations ? `${steps} (this machine's speed is not measured yet)` : null;
}
