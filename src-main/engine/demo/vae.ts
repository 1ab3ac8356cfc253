import { GraphBuilder } from '../onnx/graph-builder';
import { COLOUR_BIAS, COLOUR_MATRIX, LATENT_CHANNELS, VAE_SCALE, inverseColour } from './prior';

/** Image pixels per latent pixel along each axis, as in Stable Diffusion's VAE. */
export const VAE_FACTOR = 8;

/** Decoder look: relief shading strength, contour line spacing and darkness. */
const SHADE = 2.5;
const CONTOURS_PER_UNIT = 1.6;
const CONTOUR_DARKNESS = 0.25;
const SLOPE_FOR_FULL_CONTOURS = 0.12;

/** Smooth ×8 upsampling (bicubic) of NCHW data. */
function upsample(g: GraphBuilder, x: string): string {
  return g.op('Resize', [x, '', g.constFloat([1, 1, VAE_FACTOR, VAE_FACTOR], [4])], {
    mode: 'cubic',
    coordinate_transformation_mode: 'half_pixel',
  });
}

/**
 * Demo VAE decoder: latent_sample [B,4,h,w] (latents / 0.18215) → sample [B,3,8h,8w] in [-1, 1].
 * Channels 0–2 give the colour through COLOUR_MATRIX and a sigmoid; channel 3 is a height field
 * rendered as relief lit from the top left, with contour lines where it slopes.
 */
export function buildDemoVaeDecoder(): GraphBuilder {
  const g = new GraphBuilder('demo_vae_decoder');
  g.input('latent_sample', 'float32', ['batch', LATENT_CHANNELS, 'latent_height', 'latent_width']);
  g.output('sample', 'float32', ['batch', 3, 'height', 'width']);

  // A light 5×5 binomial blur removes the last sampler step's per-pixel noise (its gradient would
  // otherwise streak the relief); the picture itself lives at much lower frequencies.
  const raw = g.op('Mul', ['latent_sample', g.constFloat(VAE_SCALE)]);
  const binomial = [1, 4, 6, 4, 1];
  const blurKernel = new Float32Array(LATENT_CHANNELS * 25);
  for (let c = 0; c < LATENT_CHANNELS; c++) {
    for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) blurKernel[c * 25 + y * 5 + x] = (binomial[y] * binomial[x]) / 256;
  }
  const latent = g.op('Conv', [
    g.op('Pad', [raw, g.constInt64([0, 0, 2, 2, 0, 0, 2, 2])], { mode: 'edge' }),
    g.initializer('blur_kernel', blurKernel, [LATENT_CHANNELS, 1, 5, 5]),
  ], { group: LATENT_CHANNELS });
  const fine = upsample(g, latent); // [B, 4, H, W]
  const colourWeights = g.initializer('colour_matrix', COLOUR_MATRIX.flat(), [3, LATENT_CHANNELS, 1, 1]);
  const colour = g.op('Sigmoid', [g.op('Conv', [fine, colourWeights, g.initializer('colour_bias', COLOUR_BIAS, [3])])]);

  // Height gradient at latent resolution (central differences, edges replicated), then upsampled
  // so the shading is smooth rather than blocky.
  const height = g.op('Slice', [latent, g.constInt64([3]), g.constInt64([4]), g.constInt64([1])]);
  const padded = g.op('Pad', [height, g.constInt64([0, 0, 1, 1, 0, 0, 1, 1])], { mode: 'edge' });
  const differences = g.initializer(
    'gradient_kernel',
    // [out 2, in 1, 3, 3]: d/dx then d/dy, per image pixel.
    [0, 0, 0, -1, 0, 1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 1, 0].map((v) => v / (2 * VAE_FACTOR)),
    [2, 1, 3, 3],
  );
  const gradient = upsample(g, g.op('Conv', [padded, differences]));
  const [dx, dy] = g.node('Split', [gradient, g.constInt64([1, 1])], 2, { axis: 1 });
  const shade = g.op('Clip', [
    g.op('Add', [g.constFloat(1), g.op('Mul', [g.op('Add', [dx, dy]), g.constFloat(SHADE * VAE_FACTOR)])]),
    g.constFloat(0.6),
    g.constFloat(1.4),
  ]);
  const slope = g.op('Sqrt', [g.op('Add', [g.op('Mul', [dx, dx]), g.op('Mul', [dy, dy])])]);
  const slopeWeight = g.op('Min', [g.op('Mul', [slope, g.constFloat(VAE_FACTOR / SLOPE_FOR_FULL_CONTOURS)]), g.constFloat(1)]);

  const fineHeight = g.op('Slice', [fine, g.constInt64([3]), g.constInt64([4]), g.constInt64([1])]);
  const wave = g.op('Cos', [g.op('Mul', [fineHeight, g.constFloat(2 * Math.PI * CONTOURS_PER_UNIT)])]);
  const line = g.op('Mul', [g.op('Relu', [g.op('Sub', [wave, g.constFloat(0.8)])]), g.constFloat(5)]); // 1 on the contour
  const darken = g.op('Sub', [g.constFloat(1), g.op('Mul', [g.op('Mul', [line, slopeWeight]), g.constFloat(CONTOUR_DARKNESS)])]);

  const pixels = g.op('Mul', [g.op('Mul', [colour, shade]), darken]); // [0, 1]
  g.node('Sub', [g.op('Mul', [pixels, g.constFloat(2)]), g.constFloat(1)], ['sample']);
  return g;
}

/**
 * Demo VAE encoder, an approximate inverse of the decoder's colour: sample [B,3,H,W] in [-1, 1]
 * → latent_parameters [B,8,H/8,W/8] = mean ‖ logvar. Averages each 8×8 block, undoes the
 * sigmoid and the colour matrix (height 0, i.e. flat), and divides by 0.18215 because the
 * pipeline multiplies the mean by it.
 */
export function buildDemoVaeEncoder(): GraphBuilder {
  const g = new GraphBuilder('demo_vae_encoder');
  g.input('sample', 'float32', ['batch', 3, 'height', 'width']);
  g.output('latent_parameters', 'float32', ['batch', 2 * LATENT_CHANNELS, 'latent_height', 'latent_width']);

  const unit = g.op('Add', [g.op('Mul', ['sample', g.constFloat(0.5)]), g.constFloat(0.5)]);
  const blocks = g.op('AveragePool', [unit], { kernel_shape: [VAE_FACTOR, VAE_FACTOR], strides: [VAE_FACTOR, VAE_FACTOR] });
  const clipped = g.op('Clip', [blocks, g.constFloat(0.005), g.constFloat(0.995)]);
  const logit = g.op('Sub', [g.op('Log', [clipped]), g.op('Log', [g.op('Sub', [g.constFloat(1), clipped])])]);

  const inverse = inverseColour();
  const weights = new Float32Array(2 * LATENT_CHANNELS * 3);
  const bias = new Float32Array(2 * LATENT_CHANNELS);
  for (let c = 0; c < 3; c++) {
    for (let j = 0; j < 3; j++) {
      weights[c * 3 + j] = inverse[c][j] / VAE_SCALE;
      bias[c] -= (inverse[c][j] * COLOUR_BIAS[j]) / VAE_SCALE;
    }
  }
  bias.fill(-6, LATENT_CHANNELS); // logvar: a nearly deterministic encoder
  g.node(
    'Conv',
    [logit, g.initializer('inverse_colour', weights, [2 * LATENT_CHANNELS, 3, 1, 1]), g.initializer('inverse_bias', bias, [2 * LATENT_CHANNELS])],
    ['latent_parameters'],
  );
  return g;
}
