export {
  FALLBACK_SCHEDULER,
  modelScheduler,
  SCHEDULER_CLASS_NAMES,
  SCHEDULER_KINDS,
  type ModelScheduler,
  parseSchedulerConfig,
  resolveTimestepSpacing,
  SchedulerConfigError,
  SD2_BASE_SCHEDULER_CONFIG,
  type BetaSchedule,
  type PredictionType,
  type SchedulerConfig,
  type SchedulerKind,
  type TimestepSpacing,
} from './config';
export { alphasCumprod, trainingBetas } from './alphas';
export { INIT_NOISE_SIGMA, makeSchedule, modelInput, needsStepNoise, noiseLevelAfterStep, schedulerStep } from './schedule';
export type { DdimSchedule, DpmSolverSchedule, EulerSchedule, Schedule, StepHistory, StepResult } from './types';
