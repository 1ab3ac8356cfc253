/** Latent blending (spec: shared/reference/latent-blending.md). */
export { linspace, logspace, roundHalfEven, truncToInt } from './numpy';
export { lerpEmbedding, slerp, slerpTensor } from './slerp';
export { dampedGuidance } from './guidance';
export { keyframeCrossfeedSchedule, parentalCrossfeedSchedule, type CrossfeedSettings } from './crossfeed';
export { spacing, MID_COMPRESSION_LINEAR_BELOW } from './spacing';
export {
  buildFixedTree,
  planFixedTree,
  unetEvaluations,
  MIN_INJECTION_SPACING,
  FIXED_TREE_PRESETS,
  type BranchParents,
  type FixedTree,
  type FixedTreePlan,
  type FixedTreePlanInput,
  type QualityPreset,
  type TreeBlock,
  type TreeBranch,
} from './fixed-tree';
export { chooseInsertion, planAdaptive, type AdaptivePlan, type AdaptivePlanInput, type Insertion } from './adaptive-plan';
export { crossfade, distributeLargestRemainder, fillFrames, frameImage, movieTimeline, type FillOptions, type FramePick, type MovieFrame } from './fill-frames';
export { framesAt, frameInMovie, movieTiming, positionOfFrame, type MovieTiming, type TransitionTiming } from './movie-timing';
export { compositeKept, featherWeights, gaussianBlur } from './feather';
export { cacheKey, contentHash, MemoryTransitionCache, type StoredLatents, type TransitionCache } from './cache';
export {
  areaResize,
  builtinDistance,
  BuiltinPerceptualMetric,
  BUILTIN_METRIC_SIZE,
  createPerceptualMetric,
  LPIPS_MODEL_FILE,
  lpipsModelPath,
  toLab,
  type PerceptualMetric,
} from './perceptual';
export { OnnxLpipsMetric } from './lpips-onnx';
export {
  renderTransition,
  type InpaintSource,
  type KeyframeSpec,
  type KeyframeTrajectory,
  type RenderTransitionOptions,
  type TransitionImage,
  type TransitionMode,
  type TransitionProgress,
  type TransitionResult,
  type TransitionSpec,
} from './transition';
