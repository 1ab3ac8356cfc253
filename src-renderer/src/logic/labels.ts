/**
 * What the form controls show for the project format's values. The values, ranges and defaults
 * themselves come from the schema through the contract; a value without a label here fails to
 * type-check, so a new scheduler, provider or export format cannot be forgotten in the menus.
 */
import type { EXPORT_FORMATS, PROVIDERS, SCHEDULERS } from '../../../src-main/contract/contract';

export const SCHEDULER_LABELS: Readonly<Record<(typeof SCHEDULERS)[number], string>> = {
  ddim: 'DDIM',
  'dpmpp-2m': 'DPM-Solver++ 2M',
  euler: 'Euler',
  'euler-ancestral': 'Euler ancestral',
};

export const EXPORT_FORMAT_LABELS: Readonly<Record<(typeof EXPORT_FORMATS)[number], { readonly label: string; readonly extension: string }>> = {
  mp4: { label: 'MP4 (H.264)', extension: '.mp4' },
  webm: { label: 'WebM (VP9)', extension: '.webm' },
  gif: { label: 'GIF', extension: '.gif' },
  png: { label: 'PNG sequence', extension: '' },
};

export const PROVIDER_LABELS: Readonly<Record<(typeof PROVIDERS)[number], string>> = {
  auto: 'Automatic',
  cpu: 'CPU',
  cuda: 'CUDA (NVIDIA)',
  dml: 'DirectML (Windows)',
  coreml: 'Core ML (macOS)',
  webgpu: 'WebGPU (any GPU)',
};

/** The image sizes the size menu offers (the schema accepts any multiple of 8 in its range). */
export const IMAGE_SIDE_CHOICES = [256, 320, 384, 448, 512, 576, 640, 704, 768, 832, 896, 960, 1024] as const;

/** "medium" → "Medium". */
export function presetLabel(preset: string): string {
  return preset[0].toUpperCase() + preset.slice(1);
}
