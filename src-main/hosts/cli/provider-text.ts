import { adapterLabel } from '../../engine/sd/gpu-adapter';
import type { ProviderStatus } from '../../engine/sd/types';

/** "webgpu on NVIDIA H200 · Vulkan", "cpu": what a job ran on, in the CLI's status lines. */
export function providerSummary(status: { active: string; adapter?: ProviderStatus['adapter'] }): string {
  return status.active === 'webgpu' && status.adapter ? `webgpu on ${adapterLabel(status.adapter)}` : status.active;
}

/** The line the CLI prints about provider choice: a warning for a chosen provider, a note for auto. */
export function providerNote(requested: string, status: Pick<ProviderStatus, 'active' | 'fallbackReason' | 'choice'>): string | undefined {
  if (requested !== 'auto' && status.fallbackReason) return `provider ${requested} unavailable, ran on ${status.active}: ${status.fallbackReason}`;
  if (requested === 'auto' && status.choice) return `provider auto: ${status.choice}`;
  return undefined;
}
