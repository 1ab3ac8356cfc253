/**
 * The one rule for classifier-free guidance, as diffusers applies it
 * (`do_classifier_free_guidance = guidance_scale > 1`): at g ≤ 1 the UNet runs the prompt's
 * row only and its output is used as is; above 1 the unconditional row is added and the output
 * is u + g·(c − u). Inside a transition the keyframes' g decides for every image, so a damped
 * value that falls to 1 or below mid-transition keeps the formula (continuous damping).
 */
export const GUIDANCE_OFF_AT_OR_BELOW = 1;

export function classifierFreeGuidanceOn(guidance: number, keyframeGuidance?: number): boolean {
  return (keyframeGuidance ?? guidance) > GUIDANCE_OFF_AT_OR_BELOW && guidance !== 1;
}
