import { z } from 'zod';
import { PROVIDER_NAMES } from '../../engine/sd/types';
import { InpaintingModelRefSchema, ModelRefSchema } from '../../project/schema';

/**
 * What crosses Redis between the studio or CLI (the coordinator) and `latentblend worker`:
 * BullMQ job data and job results, each with its zod schema. A worker validates every job
 * before it touches anything; the project travels as data (keyframe images and masks as PNG
 * bytes), never as paths into the coordinator's disk.
 */

/** Bumped when job data or results change shape; workers refuse jobs of another protocol. */
export const FARM_PROTOCOL = 1;

/** The one BullMQ queue of a farm: stage barriers and pieces of work alike (job name = kind). */
export const FARM_QUEUE = 'lbs-render';

/** Redis pub/sub channel on which a coordinator announces a cancelled flow (message = flow id). */
export const FARM_CANCEL_CHANNEL = 'lbs-render:cancel';

/** Redis key marking a flow as cancelled, so a job taken after the announcement is refused too. */
export function cancelledKey(flowId: string): string {
  return `lbs-render:cancelled:${flowId}`;
}

export const FlowIdSchema = z.string().regex(/^[a-z0-9-]{8,64}$/, 'must be 8–64 characters a–z, 0–9 or -');

/** A keyframe trajectory's cache key, as the blending engine writes it. */
export const TrajectoryKeySchema = z.string().regex(/^keyframe-[0-9a-f]{40}$/, 'must be a keyframe trajectory key (keyframe-<40 hex>)');

/** File name of a keyframe image or mask sent with the job: its SHA-256, so a worker can check it. */
export const InputNameSchema = z.string().regex(/^[0-9a-f]{64}\.png$/, 'must be <sha256>.png');

/**
 * Everything that must agree between the coordinator and a worker for results to mix: the
 * engine's numerics version (ENGINE_NUMERICS_VERSION), the farm protocol and the models.
 */
export const FarmFingerprintSchema = z.strictObject({
  protocol: z.number().int(),
  engine: z.number().int(),
  model: ModelRefSchema,
  inpaintingModel: InpaintingModelRefSchema,
});
export type FarmFingerprint = z.infer<typeof FarmFingerprintSchema>;

const PieceBase = {
  flowId: FlowIdSchema,
  fingerprint: FarmFingerprintSchema,
  index: z.number().int().min(0).max(10_000),
  /** Key of keyframe A's trajectory, where this transition shares it with the previous one. */
  keyframeA: TrajectoryKeySchema.optional(),
  /** The project document (validated again by the project schema on the worker). */
  project: z.record(z.string(), z.unknown()),
  /** Keyframe images and masks the project names, base64 PNG by `<sha256>.png`. */
  inputs: z.record(InputNameSchema, z.base64()),
  /** Execution provider and threads the coordinator asks for; a worker's --provider wins. */
  session: z.strictObject({ provider: z.enum(PROVIDER_NAMES).optional(), intraOpNumThreads: z.number().int().min(0).max(256).optional() }).default({}),
};

/** A piece of work: one transition's keyframe trajectories, or one whole transition. */
export const FarmPieceSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('keyframes'), ...PieceBase }),
  z.strictObject({ kind: z.literal('transition'), ...PieceBase }),
]);
export type FarmPiece = z.infer<typeof FarmPieceSchema>;

/** A stage barrier: done once its children are; its result merges theirs. */
export const FarmStageSchema = z.strictObject({ kind: z.literal('stage'), stage: z.enum(['keyframes', 'movie']), flowId: FlowIdSchema, fingerprint: FarmFingerprintSchema });
export type FarmStage = z.infer<typeof FarmStageSchema>;

export const FarmJobDataSchema = z.discriminatedUnion('kind', [...FarmPieceSchema.options, FarmStageSchema]);
export type FarmJobData = z.infer<typeof FarmJobDataSchema>;

/** Keyframe trajectory keys of transitions, by transition index. */
export const KeyframeKeysSchema = z.record(z.string().regex(/^\d+$/), z.strictObject({ a: TrajectoryKeySchema, b: TrajectoryKeySchema }));
export type KeyframeKeys = z.infer<typeof KeyframeKeysSchema>;

export const KeyframesResultSchema = z.strictObject({ kind: z.literal('keyframes'), keys: KeyframeKeysSchema, computedEvaluations: z.number().int().min(0) });
export type KeyframesResult = z.infer<typeof KeyframesResultSchema>;

/** Frame file names are content addresses inside the shared cache's frames/ folder. */
export const FrameNameSchema = z.string().regex(/^[0-9a-f]{32}\.png$/);

export const TransitionPieceResultSchema = z.strictObject({
  kind: z.literal('transition'),
  index: z.number().int().min(0),
  keys: z.strictObject({ a: TrajectoryKeySchema, b: TrajectoryKeySchema }),
  positions: z.array(z.number()),
  frames: z.array(FrameNameSchema),
  distances: z.array(z.number()).optional(),
  unetEvaluations: z.number().int().min(0),
  computedEvaluations: z.number().int().min(0),
});
export type TransitionPieceResult = z.infer<typeof TransitionPieceResultSchema>;

export const MovieStageResultSchema = z.strictObject({ kind: z.literal('movie'), transitions: z.array(TransitionPieceResultSchema) });
export type MovieStageResult = z.infer<typeof MovieStageResultSchema>;

/** Progress a worker reports on a piece (BullMQ job progress). */
export const PieceProgressSchema = z.strictObject({ done: z.number().min(0), total: z.number().min(0), etaMs: z.number().nullable(), worker: z.string() });
export type PieceProgress = z.infer<typeof PieceProgressSchema>;
