import { EngineError, serializeError, type SerializedError } from '../errors';
import { modelScheduler, parseSchedulerConfig, type ModelScheduler } from '../scheduler/config';
import { detectFewStep, type FewStepDefaults } from './few-step';
import { ClipTokenizer } from '../tokenizer/clip-tokenizer';
import { loadComponent, type TensorIO } from './components';
import { readModelFolder, readSchedulerConfigJson, type ComponentName } from './model-folder';
import { ProviderSelector } from './providers';
import type { ProviderName, ProviderStatus } from './types';

export interface ComponentReport {
  component: ComponentName;
  file: string;
  bytes: number;
  externalData: { file: string; bytes: number }[];
  inputs?: TensorIO[];
  outputs?: TensorIO[];
  error?: SerializedError;
}

export interface ModelReport {
  dir: string;
  name?: string;
  isDemo?: boolean;
  kind?: 'text-to-image' | 'inpainting';
  components: ComponentReport[];
  tokenizer?: { vocabSize: number; padId: number; bosId: number; eosId: number; maxLength: number };
  scheduler?: { predictionType: string; timestepSpacing: string; numTrainTimesteps: number };
  /** The scheduler renders use when none is named: the folder's own, or DDIM with the reason. */
  defaultScheduler?: ModelScheduler;
  fewStep?: FewStepDefaults;
  provider?: ProviderStatus;
  /** True when every required part loads on the chosen provider. */
  loads: boolean;
  errors: SerializedError[];
}

/** Describe a model folder and try to load each part, collecting every problem instead of stopping at the first. */
export async function inspectModel(dir: string, provider: ProviderName = 'cpu'): Promise<ModelReport> {
  const report: ModelReport = { dir, components: [], loads: false, errors: [] };
  let layout;
  try {
    layout = readModelFolder(dir);
  } catch (error) {
    report.errors.push(serializeError(error));
    return report;
  }
  report.name = layout.displayName;
  report.isDemo = layout.isDemo;
  try {
    const tok = await ClipTokenizer.fromFolder(layout.tokenizerDir);
    report.tokenizer = { vocabSize: tok.vocabSize, padId: tok.padId, bosId: tok.bosId, eosId: tok.eosId, maxLength: tok.maxLength };
  } catch (error) {
    report.errors.push(serializeError(error instanceof EngineError ? error : new EngineError('MODEL_BAD_CONFIG', (error as Error).message, { file: layout.tokenizerDir })));
  }
  try {
    const json = readSchedulerConfigJson(layout);
    const cfg = parseSchedulerConfig(json, layout.schedulerConfigPath);
    report.scheduler = { predictionType: cfg.predictionType, timestepSpacing: cfg.timestepSpacing ?? 'scheduler default (leading for DDIM, linspace for DPM++ and Euler)', numTrainTimesteps: cfg.numTrainTimesteps };
    report.defaultScheduler = modelScheduler(json);
    const fewStep = detectFewStep(json, layout.modelIndex);
    if (fewStep) report.fewStep = fewStep;
  } catch (error) {
    report.errors.push(serializeError(error instanceof EngineError ? error : new EngineError('MODEL_BAD_CONFIG', (error as Error).message, { file: layout.schedulerConfigPath })));
  }
  const selector = new ProviderSelector({ provider });
  const { statSync } = await import('node:fs');
  for (const name of ['unet', 'text_encoder', 'vae_decoder', 'vae_encoder'] as ComponentName[]) {
    const file = layout.components[name];
    if (!file) continue;
    const entry: ComponentReport = {
      component: name,
      file: file.path,
      bytes: file.bytes,
      externalData: file.externalData.map((f) => ({ file: f, bytes: statSync(f).size })),
    };
    try {
      const loaded = await loadComponent(file, selector);
      entry.inputs = [...loaded.inputs];
      entry.outputs = [...loaded.outputs];
      if (name === 'unet') {
        const channels = loaded.inputs.find((io) => io.name === 'sample')?.shape[1];
        report.kind = channels === 9 ? 'inpainting' : 'text-to-image';
      }
      await loaded.session.release();
    } catch (error) {
      entry.error = serializeError(error);
      report.errors.push(entry.error);
    }
    report.components.push(entry);
  }
  report.provider = selector.status;
  report.loads = report.errors.length === 0;
  return report;
}
