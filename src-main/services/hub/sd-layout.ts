/**
 * What a Hub repo must hold to be a Stable Diffusion 2.x ONNX folder (the layout engine/sd reads),
 * checked on the file list before anything large is downloaded, so that a wrong repo is refused
 * in one line instead of after gigabytes.
 */

/** The folders and files a pull fetches when no --include is given. */
export const SD_ONNX_INCLUDE = [
  'model_index.json',
  'scheduler/**',
  'tokenizer/**',
  'text_encoder/**',
  'unet/**',
  'vae_decoder/**',
  'vae_encoder/**',
] as const;

const REQUIRED = ['unet/model.onnx', 'text_encoder/model.onnx', 'vae_decoder/model.onnx', 'scheduler/scheduler_config.json'];

/** Why a file list is not an SD 2.x ONNX export (one sentence), or undefined when it is one. */
export function sdOnnxLayoutProblem(paths: readonly string[]): string | undefined {
  const has = new Set(paths);
  if (has.has('text_encoder_2/model.onnx') || paths.some((p) => p.startsWith('text_encoder_2/'))) {
    return 'it is a Stable Diffusion XL export (it has text_encoder_2/); the studio runs Stable Diffusion 2.x';
  }
  if (has.has('transformer/model.onnx') || paths.some((p) => p.startsWith('transformer/'))) {
    return 'it is a transformer-based model (SD 3 / Flux layout), not a Stable Diffusion 2.x UNet';
  }
  const missing = REQUIRED.filter((p) => !has.has(p));
  const tokenizer = (has.has('tokenizer/vocab.json') && has.has('tokenizer/merges.txt')) || has.has('tokenizer/tokenizer.json');
  if (!tokenizer) missing.push('tokenizer/vocab.json + merges.txt');
  if (missing.length === 0) return undefined;
  if (paths.some((p) => /^unet\/diffusion_pytorch_model\.(safetensors|bin)$/.test(p))) {
    return `it is a PyTorch (diffusers) repo, not an ONNX export: it has no ${missing[0]}`;
  }
  return `it is not a Stable Diffusion ONNX layout: it has no ${missing.join(', ')}`;
}

/** model_index.json pipelines that are not SD 2.x text-to-image or inpainting. */
export function modelIndexProblem(index: Record<string, unknown>): string | undefined {
  const name = String(index._class_name ?? '');
  if (/XL/i.test(name)) return `model_index.json names ${name}, a Stable Diffusion XL pipeline; the studio runs Stable Diffusion 2.x`;
  if (/StableDiffusion3|Flux|Kandinsky|Pixart|LatentConsistencyModelPipeline|Upscale|Depth2Img|ControlNet/i.test(name)) {
    return `model_index.json names ${name}, which is not a Stable Diffusion 2.x text-to-image or inpainting pipeline`;
  }
  return undefined;
}
