import { inspectModel, type ModelReport } from '../sd/inspect';
import type { ProviderName } from '../sd/types';
import { resolveModelDir, type ModelRef } from './model-ref';
import type { JobContext } from './context';

export interface InspectJob {
  kind: 'inspect';
  model: ModelRef;
  provider?: ProviderName;
}

export type InspectResult = ModelReport;

export async function runInspectJob(job: InspectJob, ctx: JobContext): Promise<InspectResult> {
  ctx.progress(1).report('inspecting');
  return inspectModel(await resolveModelDir(job.model), job.provider ?? 'cpu');
}
