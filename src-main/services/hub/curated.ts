/**
 * Stable Diffusion 2.x ONNX exports that exist on the Hub, offered in the Models panel and in
 * `latentblend models pull --help`. Names and folder layouts were checked on the Hub's file pages
 * (model_index.json, scheduler/, tokenizer/, text_encoder/, unet/, vae_decoder/, vae_encoder/);
 * sizes are the ones those pages list. A download is checked again when it lands (models inspect),
 * so an entry that stops working is refused with the reason rather than run.
 */
export interface CuratedModel {
  readonly repo: string;
  readonly title: string;
  readonly kind: 'text-to-image' | 'inpainting';
  /** Approximate download size in bytes (the files the studio fetches). */
  readonly bytes: number;
  readonly note: string;
}

export const CURATED_MODELS: readonly CuratedModel[] = [
  {
    repo: 'aislamov/stable-diffusion-2-1-base-onnx',
    title: 'Stable Diffusion 2.1 base (512 px)',
    kind: 'text-to-image',
    // text_encoder/model.onnx 682 MB + fp16 UNet and VAE; the UNet's size was not listed on the page read.
    bytes: 2.6e9,
    note: 'fp16 weights with fused attention; best on a GPU provider.',
  },
  {
    repo: 'jdp8/sd-2-inpainting-onnx-notune-fp16',
    title: 'Stable Diffusion 2 inpainting',
    kind: 'inpainting',
    // unet/model.onnx 1.73 GB, plus text encoder and both VAE halves.
    bytes: 2.6e9,
    note: 'fp16; for masked keyframes (9-channel UNet).',
  },
  {
    repo: 'jdp8/sd-turbo-onnx',
    title: 'SD-Turbo (1–4 steps)',
    kind: 'text-to-image',
    // unet/model.onnx 1.74 GB + text_encoder 682 MB + vae_decoder 99.1 MB + vae_encoder.
    bytes: 2.6e9,
    note: 'distilled SD 2.1; run with few steps and guidance 0.',
  },
];
