import type { Tensor } from '../tensor';
import type { Schedule } from './types';

/** diffusers' prepare_latents: the start of a trajectory from noise is noise·init_noise_sigma. */
export function startLatentFromNoise(noise: Tensor, schedule: Schedule): Tensor {
  const sigma = schedule.initNoiseSigma;
  if (sigma === 1) return noise;
  return { data: noise.data.map((v) => v * sigma), dims: noise.dims };
}
