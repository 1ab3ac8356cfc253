import type { Project } from '../../project/schema';
import { ENGINE_NUMERICS_VERSION } from '../render/project-render';
import { FARM_PROTOCOL, type FarmFingerprint } from './messages';

/** What a worker of this build computes with: the farm protocol and the engine's numerics. */
export interface WorkerVersions {
  protocol: number;
  engine: number;
}

export const THIS_WORKER: WorkerVersions = { protocol: FARM_PROTOCOL, engine: ENGINE_NUMERICS_VERSION };

/** The fingerprint every job of a project's farm render carries. */
export function farmFingerprint(project: Project): FarmFingerprint {
  return { protocol: FARM_PROTOCOL, engine: ENGINE_NUMERICS_VERSION, model: project.model, inpaintingModel: project.inpaintingModel };
}

/**
 * Why a worker must refuse a job rather than mix its results with another version's, or
 * undefined when it may take it. The cache namespaces entries by numerics version as well, but
 * a movie whose transitions came from two engine versions would not match a local render.
 */
export function refusalReason(fingerprint: FarmFingerprint, worker: WorkerVersions): string | undefined {
  if (fingerprint.protocol !== worker.protocol) {
    return `the job was sent with farm protocol ${fingerprint.protocol}, this worker speaks protocol ${worker.protocol}; run the same Latent Blending Studio version on the coordinator and every worker`;
  }
  if (fingerprint.engine !== worker.engine) {
    return `the job needs engine numerics version ${fingerprint.engine}, this worker computes version ${worker.engine}; update the worker (or the coordinator) so that all use the same version`;
  }
  return undefined;
}
