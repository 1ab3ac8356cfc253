import { z } from 'zod';
import { ensureDemoModels, ensureFastDemoModel } from '../demo/demo-model';

/**
 * Which model a job runs on, and the folder it names. Kept apart from the model pool so that a
 * host's main thread (the prompt token counter) can find a model folder without loading
 * onnxruntime-node: inference happens in the engine worker.
 */
export const ModelRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('demo') }),
  z.object({ kind: z.literal('demo-inpainting') }),
  z.object({ kind: z.literal('demo-fast') }),
  z.object({ kind: z.literal('path'), path: z.string().min(1) }),
]);
export type ModelRef = z.infer<typeof ModelRefSchema>;

export async function resolveModelDir(ref: ModelRef, cacheDir?: string): Promise<string> {
  if (ref.kind === 'path') return ref.path;
  if (ref.kind === 'demo-fast') return ensureFastDemoModel(cacheDir);
  const demo = await ensureDemoModels(cacheDir);
  return ref.kind === 'demo' ? demo.text2img : demo.inpainting;
}
