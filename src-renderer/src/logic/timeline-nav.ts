/**
 * Keyboard moves through the timeline, which reads in movie order: keyframe 1, transition
 * 1 → 2, keyframe 2, … keyframe n. One item at a time is the timeline's Tab stop.
 */
import type { Selection } from '../stores/types';

export interface TimelineItem {
  readonly kind: 'keyframe' | 'transition';
  readonly index: number;
}

export type NavKey = 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End';

export function isNavKey(key: string): key is NavKey {
  return key === 'ArrowLeft' || key === 'ArrowRight' || key === 'Home' || key === 'End';
}

/** The item the arrow, Home or End key leads to from `from`, in a movie of `keyframeCount` keyframes. */
export function navigate(from: TimelineItem, key: NavKey, keyframeCount: number): TimelineItem {
  if (!Number.isInteger(keyframeCount) || keyframeCount < 1) throw new Error(`navigate: a timeline has at least one keyframe, got ${keyframeCount}`);
  const last = 2 * keyframeCount - 2;
  const here = from.kind === 'keyframe' ? 2 * from.index : 2 * from.index + 1;
  const next = key === 'Home' ? 0 : key === 'End' ? last : Math.min(last, Math.max(0, here + (key === 'ArrowLeft' ? -1 : 1)));
  return next % 2 === 0 ? { kind: 'keyframe', index: next / 2 } : { kind: 'transition', index: (next - 1) / 2 };
}

/** The Tab stop: the selected keyframe or transition, else (project settings shown) the first keyframe. */
export function tabStop(selection: Selection, keyframeCount: number): TimelineItem {
  if (selection.kind === 'project') return { kind: 'keyframe', index: 0 };
  const items = selection.kind === 'keyframe' ? keyframeCount : keyframeCount - 1;
  return selection.index >= 0 && selection.index < items ? selection : { kind: 'keyframe', index: 0 };
}
