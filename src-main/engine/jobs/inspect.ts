import { inspectModel, type ModelReport } from '../sd/inspect';
import { z } from 'zod';
import { PROVIDER_NAMES } from '../sd/types';
import { ModelRefSchema, resolveModelDir } from './model-ref';
import type { JobContext } from './context';

export const InspectJobSchema = z.object({
  kind: z.literal('inspect'),
  model: ModelRefSchema,
  provider: z.enum(PROVIDER_NAMES).optional(),
});
export type InspectJob = z.infer<typeof InspectJobSchema>;

export type InspectResult = ModelReport;

export async function runInspectJob(job: InspectJob, ctx: JobContext): Promise<InspectResult> {
  ctx.progress(1).report('inspecting');
  return inspectModel(await resolveModelDir(job.model), job.provider ?? 'cpu');
}
