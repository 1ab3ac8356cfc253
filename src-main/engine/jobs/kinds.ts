import { z } from 'zod';
import { InspectJobSchema, type InspectJob, type InspectResult } from './inspect';
import { KeyframeJobSchema, type KeyframeJob, type KeyframeResult } from './keyframe';

/**
 * The engine worker's job kinds as one typed table, on the model of VS Code's typed IPC
 * channels. A `JobMap` says, per kind, what the spec, the result and the events are; a
 * `JobTable` over it holds the schemas that check them where they cross the worker seam (the
 * spec on arrival in the worker, events and the result on arrival in the host), so both sides
 * get typed values without a cast. The engine declares its own kinds here; the services'
 * table extends this one with the project jobs (services/project-jobs.ts).
 */
export interface JobTypes {
  spec: { kind: string };
  result: unknown;
  event: unknown;
}

export type JobMap = { [kind: string]: JobTypes };

/** What checks a value at the seam: any zod schema of that output. */
export interface SeamSchema<Out> {
  safeParse(value: unknown): { success: true; data: Out } | { success: false; error: z.ZodError };
}

export type JobTable<M extends JobMap> = {
  readonly [K in keyof M]: {
    readonly spec: SeamSchema<M[K]['spec']>;
    readonly result: SeamSchema<M[K]['result']>;
    readonly event: SeamSchema<M[K]['event']>;
  };
};

export type JobName<M extends JobMap> = keyof M & string;
/** Any job spec of the map. */
export type AnySpecOf<M extends JobMap> = M[JobName<M>]['spec'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * A result built by the job's own typed code in the worker and structured-cloned to the host:
 * the seam checks it is an object (a crashed or foreign worker sends nothing else of this kind).
 */
export function resultObject<Result>(): z.ZodType<Result> {
  return z.custom<Result>((value) => isRecord(value), { message: 'not a job result' });
}

/** A job that announces nothing but progress. */
export const noEvents: z.ZodType<never> = z.never();

/** The engine's own job kinds: a keyframe still and a model report. */
export type EngineJobs = {
  keyframe: { spec: KeyframeJob; result: KeyframeResult; event: never };
  inspect: { spec: InspectJob; result: InspectResult; event: never };
};

export const engineJobs: JobTable<EngineJobs> = {
  keyframe: { spec: KeyframeJobSchema, result: resultObject<KeyframeResult>(), event: noEvents },
  inspect: { spec: InspectJobSchema, result: resultObject<InspectResult>(), event: noEvents },
};
