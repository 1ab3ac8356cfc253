export {
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
export { INIT_NOISE_SIGMA, makeSchedule, noiseLevelAfterStep, schedulerStep } from './schedule';
export type { DdimSchedule, DpmSolverSchedule, Schedule, StepHistory, StepResult } from './types';
