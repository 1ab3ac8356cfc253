import { GraphBuilder } from '../onnx/graph-builder';
import { dctBasis, dimAsFloat, transpose2d } from './graph-parts';
import { DEMO_HIDDEN_SIZE, LATENT_CHANNELS, demoPrior, sd2AlphasCumprod } from './prior';

/**
 * Demo UNet: the exact posterior-mean denoiser of the Gaussian prior in prior.ts, returned as
 * ε̂ = (x_t − √ᾱ·x̂0)/√(1−ᾱ) (prediction_type epsilon). With A = Uyᵀ·x_t·Ux the DCT coefficients
 * of x_t and Tc = √(h·w)·τ(prompt) those of the target,
 *   Â = Tc + g ⊙ (A − √ᾱ·Tc),  g = σ²√ᾱ / (ᾱσ² + 1 − ᾱ),  x̂0 = Uy·Â·Uxᵀ,
 * where τ = τ0 + mean_over_positions(encoder_hidden_states)·W.
 * The inpainting variant reads latent(4) ‖ mask(1) ‖ masked_image_latent(4) and keeps the
 * masked image where the mask is 0: x̂0 = (1−m)·M + m·x̂0_text2img.
 */
export function buildDemoUnet(options: { inpainting: boolean }): GraphBuilder {
  const prior = demoPrior();
  const K = prior.basisSize;
  const D = DEMO_HIDDEN_SIZE;
  const C = options.inpainting ? 9 : LATENT_CHANNELS;
  const g = new GraphBuilder(options.inpainting ? 'demo_unet_inpainting' : 'demo_unet');
  g.input('sample', 'float32', ['batch', C, 'height', 'width']);
  g.input('timestep', 'int64', ['batch']);
  g.input('encoder_hidden_states', 'float32', ['batch', 'sequence', D]);
  g.output('out_sample', 'float32', ['batch', LATENT_CHANNELS, 'height', 'width']);

  let latent = 'sample';
  let mask: string | undefined;
  let maskedImage: string | undefined;
  if (options.inpainting) {
    [latent, mask, maskedImage] = g.node('Split', ['sample', g.constInt64([4, 1, 4])], 3, { axis: 1 });
  }

  const shape = g.op('Shape', ['sample']);
  const height = dimAsFloat(g, shape, 2);
  const width = dimAsFloat(g, shape, 3);
  const uy = dctBasis(g, height, K);
  const ux = dctBasis(g, width, K);

  // ᾱ per batch item; the timestep is clamped so a stray value cannot index outside the table.
  const table = g.initializer('alphas_cumprod', sd2AlphasCumprod(), [1000]);
  const t = g.op('Clip', ['timestep', g.constInt64(0), g.constInt64(999)]);
  const alphaBar = g.op('Reshape', [g.op('Gather', [table, t]), g.constInt64([-1, 1, 1, 1])]);
  const sqrtAlphaBar = g.op('Sqrt', [alphaBar]);
  const oneMinusAlphaBar = g.op('Sub', [g.constFloat(1), alphaBar]);

  const pooled = g.op('ReduceMean', ['encoder_hidden_states'], { axes: [1], keepdims: 0 }); // [B, D]
  const promptOffset = g.op('MatMul', [pooled, g.initializer('prompt_matrix', prior.promptMatrix, [D, LATENT_CHANNELS * K * K])]);
  const tau = g.op('Add', [
    g.op('Reshape', [promptOffset, g.constInt64([-1, LATENT_CHANNELS, K, K])]),
    g.initializer('neutral_target', prior.neutralTarget, [1, LATENT_CHANNELS, K, K]),
  ]);
  const target = g.op('Mul', [tau, g.op('Sqrt', [g.op('Mul', [height, width])])]);

  const coefficients = g.op('MatMul', [transpose2d(g, uy), g.op('MatMul', [latent, ux])]); // [B, 4, K, K]
  const variance = g.initializer('prior_variance', prior.variance, [1, LATENT_CHANNELS, K, K]);
  const gain = g.op('Div', [
    g.op('Mul', [variance, sqrtAlphaBar]),
    g.op('Add', [g.op('Mul', [alphaBar, variance]), oneMinusAlphaBar]),
  ]);
  const residual = g.op('Sub', [coefficients, g.op('Mul', [sqrtAlphaBar, target])]);
  const posterior = g.op('Add', [target, g.op('Mul', [gain, residual])]);
  let cleanLatent = g.op('MatMul', [g.op('MatMul', [uy, posterior]), transpose2d(g, ux)]);
  if (mask !== undefined && maskedImage !== undefined) {
    cleanLatent = g.op('Add', [maskedImage, g.op('Mul', [mask, g.op('Sub', [cleanLatent, maskedImage])])]);
  }
  g.node(
    'Div',
    [g.op('Sub', [latent, g.op('Mul', [sqrtAlphaBar, cleanLatent])]), g.op('Sqrt', [oneMinusAlphaBar])],
    ['out_sample'],
  );
  return g;
}
