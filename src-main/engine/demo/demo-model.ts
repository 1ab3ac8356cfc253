import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeModel } from '../onnx';
import { demoClipVocabulary, writeClipTokenizerFiles } from './clip-vocabulary';
import { buildDemoTextEncoder } from './text-encoder';
import { buildDemoUnet } from './unet';
import { buildDemoVaeDecoder, buildDemoVaeEncoder } from './vae';
import { SD2_BASE_SCHEDULER_JSON } from '../scheduler/config';

export const DEMO_MODEL_NAME = 'Demo model (procedural, not Stable Diffusion)';
/** Bump when the generated files change, so cached copies are rebuilt. */
export const DEMO_MODEL_VERSION = 1;
export const DEMO_MARKER_FILE = 'demo_model.json';

/** `fast` is the text-to-image demo with a few-step (SD-Turbo style) scheduler config. */
export type DemoVariant = 'text2img' | 'inpainting' | 'fast';

const PRODUCER = 'latent-blending-studio demo model';

/**
 * The few-step demo's scheduler: SD-Turbo's choice (EulerDiscreteScheduler, trailing timesteps)
 * on SD 2's noise schedule, so the demo detects as a few-step model and runs fast mode.
 */
export const DEMO_FAST_SCHEDULER_JSON = {
  ...SD2_BASE_SCHEDULER_JSON,
  _class_name: 'EulerDiscreteScheduler',
  timestep_spacing: 'trailing',
} as const;

/** model_index.json of diffusers' ONNX pipelines. */
export function onnxModelIndex(pipelineClass: string, schedulerClass: string, withVaeEncoder = true): Record<string, unknown> {
  return {
    _class_name: pipelineClass,
    _diffusers_version: '0.8.0',
    feature_extractor: [null, null],
    requires_safety_checker: false,
    safety_checker: [null, null],
    scheduler: ['diffusers', schedulerClass],
    text_encoder: ['diffusers', 'OnnxRuntimeModel'],
    tokenizer: ['transformers', 'CLIPTokenizer'],
    unet: ['diffusers', 'OnnxRuntimeModel'],
    vae_decoder: ['diffusers', 'OnnxRuntimeModel'],
    ...(withVaeEncoder ? { vae_encoder: ['diffusers', 'OnnxRuntimeModel'] } : {}),
  };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Writes one demo model into `dir` (created if missing) in the SD 2.x ONNX folder layout. */
export async function writeDemoModel(dir: string, variant: DemoVariant): Promise<void> {
  const inpainting = variant === 'inpainting';
  const scheduler = variant === 'fast' ? DEMO_FAST_SCHEDULER_JSON : SD2_BASE_SCHEDULER_JSON;
  const vocabulary = demoClipVocabulary();
  await mkdir(join(dir, 'scheduler'), { recursive: true });
  await writeFile(
    join(dir, 'model_index.json'),
    json(onnxModelIndex(inpainting ? 'OnnxStableDiffusionInpaintPipeline' : 'OnnxStableDiffusionPipeline', scheduler._class_name)),
  );
  await writeFile(join(dir, 'scheduler', 'scheduler_config.json'), json(scheduler));
  await writeClipTokenizerFiles(join(dir, 'tokenizer'), vocabulary);
  await writeModel(join(dir, 'text_encoder', 'model.onnx'), { graph: buildDemoTextEncoder(vocabulary), producer: PRODUCER });
  await writeModel(join(dir, 'unet', 'model.onnx'), { graph: buildDemoUnet({ inpainting }), producer: PRODUCER });
  await writeModel(join(dir, 'vae_decoder', 'model.onnx'), { graph: buildDemoVaeDecoder(), producer: PRODUCER });
  await writeModel(join(dir, 'vae_encoder', 'model.onnx'), { graph: buildDemoVaeEncoder(), producer: PRODUCER });
  // Written last: a folder with a valid marker is complete.
  await writeFile(join(dir, DEMO_MARKER_FILE), json({ name: DEMO_MODEL_NAME, version: DEMO_MODEL_VERSION, variant }));
}

export function defaultCacheDir(): string {
  return process.env.LBS_CACHE_DIR ?? join(homedir(), '.cache', 'latent-blending-studio');
}

async function hasCurrentMarker(dir: string): Promise<boolean> {
  try {
    const marker = JSON.parse(await readFile(join(dir, DEMO_MARKER_FILE), 'utf8')) as { name?: unknown; version?: unknown };
    return marker.name === DEMO_MODEL_NAME && marker.version === DEMO_MODEL_VERSION;
  } catch {
    return false;
  }
}

/**
 * Makes sure `<cacheDir>/models/demo-v1` and `demo-v1-inpainting` exist and are current, and
 * returns their paths. Each folder is generated in a temporary sibling and renamed into place,
 * so a crash or a concurrent caller never leaves (or sees) a half-written model.
 */
export async function ensureDemoModels(cacheDir: string = defaultCacheDir()): Promise<{ text2img: string; inpainting: string }> {
  const models = join(cacheDir, 'models');
  const text2img = join(models, 'demo-v1');
  const inpainting = join(models, 'demo-v1-inpainting');
  await ensureOne(text2img, 'text2img');
  await ensureOne(inpainting, 'inpainting');
  return { text2img, inpainting };
}

/** The few-step demo (`<cacheDir>/models/demo-v1-fast`), made on first use like the other two. */
export async function ensureFastDemoModel(cacheDir: string = defaultCacheDir()): Promise<string> {
  const dir = join(cacheDir, 'models', 'demo-v1-fast');
  await ensureOne(dir, 'fast');
  return dir;
}

async function ensureOne(dir: string, variant: DemoVariant): Promise<void> {
  if (await hasCurrentMarker(dir)) return;
  const unique = `${process.pid}-${randomUUID()}`;
  const staging = `${dir}.tmp-${unique}`;
  await rm(staging, { recursive: true, force: true });
  try {
    await writeDemoModel(staging, variant);
    // An outdated copy is moved aside first; rename cannot replace a non-empty folder.
    if (!(await hasCurrentMarker(dir))) {
      const old = `${dir}.old-${unique}`;
      await rename(dir, old).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
      await rm(old, { recursive: true, force: true });
    }
    await rename(staging, dir).catch(async (e: NodeJS.ErrnoException) => {
      // Another process won the race with a complete copy: use theirs.
      if ((e.code === 'ENOTEMPTY' || e.code === 'EEXIST' || e.code === 'EPERM') && (await hasCurrentMarker(dir))) return;
      throw new Error(`Could not install the demo model at ${dir}: ${e.message}`);
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
