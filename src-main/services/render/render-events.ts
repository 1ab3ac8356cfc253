import { z } from 'zod';

/**
 * What a render job announces besides progress: each final image as it is published. The one
 * definition of these events; the worker seam checks them against these schemas on arrival.
 */
export const TransitionFrameEventSchema = z.object({
  kind: z.literal('frame'),
  transition: z.number().int().min(0),
  /** Where the image sits in its transition, 0 = keyframe A … 1 = keyframe B. */
  position: z.number().min(0).max(1),
  /** Order of emission within the transition. */
  index: z.number().int().min(0),
  file: z.string().min(1),
  /** The engine's render identity of what the image belongs to (render-identity.ts): what the studio keeps it under. */
  key: z.string().min(1),
});

export const KeyframeFrameEventSchema = z.object({
  kind: z.literal('frame'),
  keyframe: z.number().int().min(0),
  position: z.literal(0),
  index: z.literal(0),
  file: z.string().min(1),
  /** The engine's render identity of what the image belongs to (render-identity.ts): what the studio keeps it under. */
  key: z.string().min(1),
});

/** "Try seeds": keyframe `keyframe`'s still rendered with `seed`. */
export const VariantEventSchema = z.object({
  kind: z.literal('variant'),
  keyframe: z.number().int().min(0),
  seed: z.number().int().min(0),
  file: z.string().min(1),
  /** The engine's render identity of what the image belongs to (render-identity.ts): what the studio keeps it under. */
  key: z.string().min(1),
});

export const FrameEventSchema = z.union([TransitionFrameEventSchema, KeyframeFrameEventSchema]);
export const RenderEventSchema = z.union([TransitionFrameEventSchema, KeyframeFrameEventSchema, VariantEventSchema]);

export type TransitionFrameEvent = z.infer<typeof TransitionFrameEventSchema>;
export type KeyframeFrameEvent = z.infer<typeof KeyframeFrameEventSchema>;
/** A final image of a render: of a transition, or a keyframe's still. */
export type FrameEvent = z.infer<typeof FrameEventSchema>;
export type VariantEvent = z.infer<typeof VariantEventSchema>;
export type RenderEvent = z.infer<typeof RenderEventSchema>;
