/**
 * Value ranges of the project format (src-main/project/schema.ts, documented in
 * docs/project-format.md), repeated for the form controls: the renderer may only import the
 * IPC contract, and the host validates every update against the real schema anyway.
 */
export const MAX_SEED = 2 ** 32 - 1;
export const QUALITY_PRESETS = ['lowest', 'low', 'medium', 'high', 'ultra'] as const;
export const PRESET_STEPS = { lowest: 12, low: 15, medium: 30, high: 60, ultra: 100 } as const;
export const SCHEDULERS = [
  { value: 'ddim', label: 'DDIM' },
  { value: 'dpmpp-2m', label: 'DPM-Solver++ 2M' },
  { value: 'euler', label: 'Euler' },
  { value: 'euler-ancestral', label: 'Euler ancestral' },
] as const;
/** Steps of a project whose transitions are all fast (quality.ts FAST_DEFAULT_STEPS: SD-Turbo's 4). */
export const FAST_DEFAULT_STEPS = 4;
export const EXPORT_FORMATS = [
  { value: 'mp4', label: 'MP4 (H.264)', extension: '.mp4' },
  { value: 'webm', label: 'WebM (VP9)', extension: '.webm' },
  { value: 'gif', label: 'GIF', extension: '.gif' },
  { value: 'png', label: 'PNG sequence', extension: '' },
] as const;
export const ENCODER_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow'] as const;
export const MAX_CRF = { mp4: 51, webm: 63 } as const;
export const IMAGE_SIDES = [256, 320, 384, 448, 512, 576, 640, 704, 768, 832, 896, 960, 1024] as const;
export const PROVIDERS = [
  { value: 'auto', label: 'Automatic' },
  { value: 'cpu', label: 'CPU' },
  { value: 'cuda', label: 'CUDA (NVIDIA)' },
  { value: 'dml', label: 'DirectML (Windows)' },
  { value: 'coreml', label: 'Core ML (macOS)' },
  { value: 'webgpu', label: 'WebGPU (any GPU)' },
] as const;
