/** "about 1 min 20 s left" style estimate; null before there is anything to measure. */
export function formatEta(etaMs: number | null): string {
  if (etaMs === null || !Number.isFinite(etaMs)) return 'estimating…';
  const s = Math.round(etaMs / 1000);
  if (s < 1) return 'almost done';
  if (s < 60) return `${s} s left`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s left`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min left`;
}

/** 1536 → "1.5 KB"; for export results. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** "2 → 3", or "3 → 1" for the loop-back transition of a looping movie with 3 keyframes. */
export function transitionEnds(index: number, keyframeCount: number): string {
  return `${index + 1} → ${keyframeCount > 0 ? ((index + 1) % keyframeCount) + 1 : index + 2}`;
}
