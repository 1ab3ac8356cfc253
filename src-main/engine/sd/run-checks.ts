import { EngineError } from '../errors';
import { adapterLabel } from './gpu-adapter';
import { PROVIDER_LABEL } from './providers';
import type { ProviderStatus } from './types';

function where(provider: ProviderStatus): string {
  const label = PROVIDER_LABEL[provider.active];
  return provider.active === 'webgpu' && provider.adapter ? `${label} (${adapterLabel(provider.adapter)})` : label;
}

/**
 * Non-finite model output stops the job with the reason: a NaN latent would decode to black
 * frames that look like a render. fp16 overflow on a GPU is the usual cause.
 */
export function checkFinite(data: Float32Array, context: { what: string; at?: string; provider: ProviderStatus }): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is NaN for ±Infinity and NaN, 0 otherwise: one comparison per value on the hot path.
    if (v - v !== 0) {
      const kind = Number.isNaN(v) ? 'NaN' : 'infinite values';
      throw new EngineError(
        'NON_FINITE_OUTPUT',
        `${context.what} produced ${kind}${context.at ? ` at ${context.at}` : ''} on ${where(context.provider)}; the job stopped instead of writing broken frames.`,
        {
          hint:
            context.provider.active === 'cpu'
              ? 'The model file may be damaged or its weights overflow: check it with `latentblend models inspect DIR`, or try another export.'
              : 'fp16 models can overflow on some GPUs: use the fp32 export, or choose the CPU provider in the Project tab (--provider cpu) to compare.',
        },
      );
    }
  }
}

/** ONNX Runtime's run-time provider failures, in words that say what to do. */
export function explainRunFailure(error: unknown, provider: ProviderStatus): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (/requires f16 but the device does not support it/i.test(message)) {
    return new EngineError('PROVIDER_UNAVAILABLE', `This fp16 model cannot run on ${where(provider)}: the GPU adapter has no shader-f16 (16-bit floats in shaders).`, {
      hint: 'Use the fp32 export of the model on this GPU, or choose the CPU provider (Project tab, or --provider cpu).',
      cause: error,
    });
  }
  return error;
}
