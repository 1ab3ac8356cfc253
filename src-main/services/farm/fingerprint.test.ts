import { describe, expect, it } from 'vitest';
import { refusalReason, THIS_WORKER } from './fingerprint';
import { FARM_PROTOCOL, type FarmFingerprint } from './messages';
import { ENGINE_NUMERICS_VERSION } from '../render/project-render';

const job: FarmFingerprint = { protocol: FARM_PROTOCOL, engine: ENGINE_NUMERICS_VERSION, model: { id: 'demo' }, inpaintingModel: { id: 'demo-inpainting' } };

describe('a worker checks the job fingerprint', () => {
  it('takes jobs of its own versions', () => {
    expect(THIS_WORKER).toEqual({ protocol: FARM_PROTOCOL, engine: ENGINE_NUMERICS_VERSION });
    expect(refusalReason(job, THIS_WORKER)).toBeUndefined();
  });

  it('refuses another engine numerics version or farm protocol, naming both versions', () => {
    expect(refusalReason(job, { ...THIS_WORKER, engine: ENGINE_NUMERICS_VERSION + 1 })).toBe(
      `the job needs engine numerics version ${ENGINE_NUMERICS_VERSION}, this worker computes version ${ENGINE_NUMERICS_VERSION + 1}; update the worker (or the coordinator) so that all use the same version`,
    );
    expect(refusalReason({ ...job, protocol: FARM_PROTOCOL + 1 }, THIS_WORKER)).toMatch(new RegExp(`farm protocol ${FARM_PROTOCOL + 1}, this worker speaks protocol ${FARM_PROTOCOL}`));
  });
});
