import path from 'node:path';
import type { ModelEntry, ModelReport, ProjectModelRef, ProviderName, ProviderState } from '../ipc/contract';
import { DEMO_MODEL_NAME } from '../engine/demo/demo-model';
import type { ProviderStatus } from '../engine/sd/types';
import { readModelFolder } from '../engine/sd/model-folder';
import { AppError } from './errors';
import type { Engine } from './engine';
import type { EmitFn } from './events';
import type { SettingsStore } from './settings';
import { toEngineModelRef } from './transition-specs';

export const DEMO_INPAINTING_LABEL = `${DEMO_MODEL_NAME} — inpainting`;

const DEMO_ENTRIES: ModelEntry[] = [
  { ref: { id: 'demo' }, label: DEMO_MODEL_NAME, isDemo: true, kind: 'text-to-image', path: null },
  { ref: { id: 'demo-inpainting' }, label: DEMO_INPAINTING_LABEL, isDemo: true, kind: 'inpainting', path: null },
];

/**
 * The models the studio knows (the built-in demo pair plus folders the user added, kept in
 * settings), model inspection through the engine worker, and the execution provider: the one
 * the user asked for and the one the engine actually used, with its fallback reason.
 */
export class ModelsService {
  private active: ProviderStatus | null = null;

  constructor(private readonly deps: { settings: SettingsStore; engine: Engine; emit: EmitFn }) {}

  async list(): Promise<ModelEntry[]> {
    const folders = (await this.deps.settings.read()).models;
    return [...DEMO_ENTRIES, ...folders.map(describeFolder)];
  }

  async provider(): Promise<ProviderState> {
    const requested = (await this.deps.settings.read()).provider;
    // What ran last only answers for the current request; after a change it is unknown again.
    if (!this.active || this.active.requested !== requested) return { requested, active: null };
    return {
      requested,
      active: this.active.active,
      ...(this.active.fallbackReason ? { fallbackReason: this.active.fallbackReason } : {}),
      ...(this.active.choice ? { choice: this.active.choice } : {}),
      ...(this.active.adapter ? { adapter: this.active.adapter } : {}),
    };
  }

  /** Renders report the provider a job really ran on. */
  async observeProvider(status: ProviderStatus): Promise<void> {
    const before = JSON.stringify(this.active);
    this.active = status;
    if (JSON.stringify(status) !== before) await this.announce();
  }

  async setProvider(provider: ProviderName): Promise<ProviderState> {
    await this.deps.settings.update((s) => ({ ...s, provider }));
    await this.announce();
    return this.provider();
  }

  async add(folder: string): Promise<ModelEntry> {
    const dir = path.resolve(folder);
    // Throws MODEL_NOT_FOUND / MODEL_FILE_MISSING with the missing file and how to fix it.
    readModelFolder(dir);
    await this.deps.settings.update((s) => ({ ...s, models: s.models.includes(dir) ? s.models : [...s.models, dir] }));
    await this.announce();
    return describeFolder(dir);
  }

  async remove(folder: string): Promise<void> {
    const dir = path.resolve(folder);
    const known = (await this.deps.settings.read()).models;
    if (!known.includes(dir)) throw new AppError('NOT_FOUND', `${dir} is not in the model list.`, { path: ['path'] });
    await this.deps.settings.update((s) => ({ ...s, models: s.models.filter((m) => m !== dir) }));
    await this.announce();
  }

  async inspect(ref: ProjectModelRef, provider?: ProviderName): Promise<ModelReport> {
    const requested = provider ?? (await this.deps.settings.read()).provider;
    const { result } = this.deps.engine.start({ kind: 'inspect', model: toEngineModelRef(ref), provider: requested });
    return (await result) as ModelReport;
  }

  private async announce(): Promise<void> {
    this.deps.emit('models.changed', { models: await this.list(), provider: await this.provider() });
  }
}

function describeFolder(dir: string): ModelEntry {
  const base: ModelEntry = { ref: { path: dir }, label: path.basename(dir), isDemo: false, kind: 'unknown', path: dir };
  try {
    const layout = readModelFolder(dir);
    const className = String(layout.modelIndex?._class_name ?? '');
    return {
      ...base,
      label: layout.displayName,
      isDemo: layout.isDemo,
      kind: /inpaint/i.test(className) ? 'inpainting' : 'text-to-image',
    };
  } catch {
    // A folder that went missing or broke since it was added stays listed, marked unknown;
    // inspect says what is wrong with it.
    return base;
  }
}
