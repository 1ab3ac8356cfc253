import { defineStore } from 'pinia';
import type { Request } from '../../../src-main/contract/contract';
import { transport } from '../api/transport';
import { useRenderStore } from './renders';

/** Starting an export: its job then runs, shows and cancels with the render jobs. */
export const useExportStore = defineStore('exports', () => {
  /** Start writing the movie (or frames) to `request.path`; resolves with the export's job id. */
  async function start(request: Request<'exports.start'>): Promise<string> {
    const renders = useRenderStore();
    const { jobId } = await transport().invoke('exports.start', request);
    // The job's first event may not have arrived yet: list it at once, queued.
    if (!renders.jobs.some((j) => j.jobId === jobId)) {
      renders.jobs.push({ jobId, kind: 'export', label: `Export ${request.path.split(/[\\/]/).pop()}`, status: 'queued', progress: null });
    }
    return jobId;
  }

  return { start };
});
