import { ensureDemoModels, ensureFastDemoModel } from '../demo/demo-model';

/**
 * Which model a job runs on, and the folder it names. Kept apart from the model pool so that a
 * host's main thread (the prompt token counter) can find a model folder without loading
 * onnxruntime-node: inference happens in the engine worker.
 */
export type ModelRef = { kind: 'demo' } | { kind: 'demo-inpainting' } | { kind: 'demo-fast' } | { kind: 'path'; path: string };

export async function resolveModelDir(ref: ModelRef, cacheDir?: string): Promise<string> {
  if (ref.kind === 'path') return ref.path;
  if (ref.kind === 'demo-fast') return ensureFastDemoModel(cacheDir);
  const demo = await ensureDemoModels(cacheDir);
  return ref.kind === 'demo' ? demo.text2img : demo.inpainting;
}
