/**
 * A keyframe's mask shapes the transition that starts on it (what may change on the way to the
 * next keyframe). The last keyframe starts no transition, so its mask does nothing: the card and
 * the inspector say so instead of keeping quiet.
 */
export function maskUnused(index: number, keyframeCount: number): boolean {
  return index === keyframeCount - 1;
}

export const MASK_UNUSED_SHORT = 'Mask unused';

export function maskUnusedText(index: number): string {
  return `This mask does nothing: a mask shapes the transition that starts on its keyframe, and keyframe ${index + 1} is the last one. Add a keyframe after it, or move this keyframe earlier.`;
}
