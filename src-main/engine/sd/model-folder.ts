import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../errors';

/** The parts of an SD 2.x ONNX export the engine uses, with their paths. */
export type ComponentName = 'text_encoder' | 'unet' | 'vae_decoder' | 'vae_encoder';

export interface ComponentFile {
  readonly component: ComponentName;
  readonly path: string;
  readonly bytes: number;
  /** External weights next to model.onnx (`model.onnx_data`, `weights.pb`, …), if any. */
  readonly externalData: readonly string[];
}

export interface ModelFolderLayout {
  readonly dir: string;
  readonly modelIndex: Record<string, unknown> | undefined;
  readonly schedulerConfigPath: string;
  readonly tokenizerDir: string;
  readonly components: Partial<Record<ComponentName, ComponentFile>>;
  /** Name shown to users: the demo marker's name, model_index's _name_or_path, or the folder. */
  readonly displayName: string;
  readonly isDemo: boolean;
}

const REQUIRED: ComponentName[] = ['text_encoder', 'unet', 'vae_decoder'];
const EXTERNAL_DATA_NAMES = ['model.onnx_data', 'weights.pb', 'model.onnx.data'];

function readJson(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EngineError('MODEL_FILE_MISSING', `Cannot read ${path}: ${(error as Error).message}`, { file: path });
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new EngineError('MODEL_BAD_CONFIG', `${path} is not valid JSON: ${(error as Error).message}`, {
      file: path,
      hint: 'Re-export the model or restore the file from the original download.',
    });
  }
}

/**
 * Read a model folder's layout without loading any weights. Throws a typed error naming the
 * missing file when the folder is not an SD ONNX export.
 */
export function readModelFolder(dir: string): ModelFolderLayout {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new EngineError('MODEL_NOT_FOUND', `Model folder ${dir} does not exist or is not a folder.`, {
      file: dir,
      hint: 'Choose the folder of a Stable Diffusion 2.x ONNX export: the one holding model_index.json, unet/, text_encoder/ and vae_decoder/.',
    });
  }
  const components: Partial<Record<ComponentName, ComponentFile>> = {};
  for (const component of ['text_encoder', 'unet', 'vae_decoder', 'vae_encoder'] as ComponentName[]) {
    const path = join(dir, component, 'model.onnx');
    if (!existsSync(path)) continue;
    const externalData = EXTERNAL_DATA_NAMES.map((name) => join(dir, component, name)).filter((p) => existsSync(p));
    components[component] = { component, path, bytes: statSync(path).size, externalData };
  }
  for (const component of REQUIRED) {
    if (!components[component]) {
      throw new EngineError('MODEL_FILE_MISSING', `Model folder ${dir} is missing ${join(dir, component, 'model.onnx')}.`, {
        file: join(dir, component, 'model.onnx'),
        hint: 'An SD 2.x ONNX export needs text_encoder/, unet/ and vae_decoder/ (vae_encoder/ for inpainting); export it with optimum-cli export onnx --model stabilityai/stable-diffusion-2-1-base <dir>.',
      });
    }
  }
  const schedulerConfigPath = join(dir, 'scheduler', 'scheduler_config.json');
  if (!existsSync(schedulerConfigPath)) {
    throw new EngineError('MODEL_FILE_MISSING', `Model folder ${dir} has no scheduler/scheduler_config.json.`, {
      file: schedulerConfigPath,
      hint: 'Copy scheduler/scheduler_config.json from the original diffusers model.',
    });
  }
  const tokenizerDir = join(dir, 'tokenizer');
  if (!existsSync(tokenizerDir)) {
    throw new EngineError('MODEL_FILE_MISSING', `Model folder ${dir} has no tokenizer/ folder.`, {
      file: tokenizerDir,
      hint: 'Copy tokenizer/ (vocab.json, merges.txt, special_tokens_map.json) from the original diffusers model.',
    });
  }
  const indexPath = join(dir, 'model_index.json');
  const modelIndex = existsSync(indexPath) ? readJson(indexPath) : undefined;
  const markerPath = join(dir, 'demo_model.json');
  const marker = existsSync(markerPath) ? readJson(markerPath) : undefined;
  const isDemo = typeof marker?.name === 'string';
  const nameOrPath = typeof modelIndex?._name_or_path === 'string' ? modelIndex._name_or_path : undefined;
  const displayName = isDemo ? (marker!.name as string) : nameOrPath ?? dir.split(/[\\/]/).filter(Boolean).pop() ?? dir;
  return { dir, modelIndex, schedulerConfigPath, tokenizerDir, components, displayName, isDemo };
}

export function readSchedulerConfigJson(layout: ModelFolderLayout): Record<string, unknown> {
  return readJson(layout.schedulerConfigPath);
}

/** Bytes ONNX Runtime reads for a component: model.onnx plus its external weights. */
export function componentBytes(file: ComponentFile): number {
  return file.bytes + file.externalData.reduce((sum, f) => sum + statSync(f).size, 0);
}
