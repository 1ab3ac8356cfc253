import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDemoModels } from '../demo/demo-model';
import { loadStableDiffusion } from '../sd/pipeline';
import type { StableDiffusion } from '../sd/types';

/**
 * Both demo pipelines (text-to-image and inpainting) on the CPU provider, for tests that run the
 * real ONNX path. Uses LBS_CACHE_DIR when set (CI), else a fresh temporary cache.
 */
export async function loadDemoPipelines(): Promise<{ sd: StableDiffusion; inpaint: StableDiffusion; dispose(): Promise<void> }> {
  const dirs = await ensureDemoModels(process.env.LBS_CACHE_DIR ?? mkdtempSync(join(tmpdir(), 'lbs-demo-')));
  const sd = await loadStableDiffusion(dirs.text2img, { provider: 'cpu' });
  const inpaint = await loadStableDiffusion(dirs.inpainting, { provider: 'cpu' });
  return { sd, inpaint, dispose: async () => void (await Promise.all([sd.dispose(), inpaint.dispose()])) };
}
