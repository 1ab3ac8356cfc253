import path from 'node:path';
import type { ModelEntry, ModelReport, ProjectModelRef, ProviderName, ProviderState } from '../contract/contract';
import { DEMO_FAST_SCHEDULER_JSON, DEMO_MODEL_NAME } from '../engine/demo/demo-model';
import { detectFewStep } from '../engine/sd/few-step';
import type { ProviderStatus } from '../engine/sd/types';
import { readModelFolder, readSchedulerConfigJson } from '../engine/sd/model-folder';
import { AppError } from './errors';
import type { Engine } from './engine';
import type { EmitFn } from './events';
import type { SettingsStore } from './settings';
import { toEngineModelRef } from './transition-specs';
import { CURATED_MODELS } from './hub/curated';
import { HubDownloads } from './hub/downloads';
import { listCachedRepos } from './hub/hub-cache';
import type { HubEnv } from './hub/hub-env';
import type { HubDownload } from '../contract/contract';

export const DEMO_INPAINTING_LABEL = `${DEMO_MODEL_NAME} — inpainting`;
export const DEMO_FAST_LABEL = `${DEMO_MODEL_NAME} — few-step (Euler, SD-Turbo settings)`;
const DEMO_FAST_FEW_STEP = detectFewStep(DEMO_FAST_SCHEDULER_JSON);

const DEMO_ENTRIES: ModelEntry[] = [
  { ref: { id: 'demo' }, label: DEMO_MODEL_NAME, isDemo: true, kind: 'text-to-image', path: null },
  { ref: { id: 'demo-inpainting' }, label: DEMO_INPAINTING_LABEL, isDemo: true, kind: 'inpainting', path: null },
  { ref: { id: 'demo-fast' }, label: DEMO_FAST_LABEL, isDemo: true, kind: 'text-to-image', path: null, ...(DEMO_FAST_FEW_STEP ? { fewStep: DEMO_FAST_FEW_STEP } : {}) },
];

/**
 * The models the studio knows (the built-in demo pair plus folders the user added, kept in
 * settings), model inspection through the engine worker, and the execution provider: the one
 * the user asked for and the one the engine actually used, with its fallback reason.
 */
export class ModelsService {
  private active: ProviderStatus | null = null;
  readonly downloads: HubDownloads;

  constructor(private readonly deps: { settings: SettingsStore; engine: Engine; emit: EmitFn; hubEnv?: () => HubEnv }) {
    this.downloads = new HubDownloads({
      env: deps.hubEnv,
      inspect: async (dir) => {
        const { result } = this.deps.engine.start({ kind: 'inspect', model: { kind: 'path', path: dir }, provider: 'cpu' });
        return (await result) as ModelReport;
      },
      entryFor: (hub, dir) => ({ ...describeFolder(dir), ref: { hub }, label: hub }),
      emit: (state: HubDownload) => this.deps.emit('models.download', state),
      changed: () => this.announce(),
    });
  }

  async list(): Promise<ModelEntry[]> {
    const folders = (await this.deps.settings.read()).models;
    return [...DEMO_ENTRIES, ...folders.map(describeFolder), ...(await this.hubEntries())];
  }

  /** Usable models in the Hugging Face cache (pulled here or by Python tools), by repo id. */
  private async hubEntries(): Promise<ModelEntry[]> {
    const repos = await listCachedRepos(this.downloads.env().cacheDir).catch(() => []);
    return repos.flatMap((repo) => {
      const usable = repo.snapshots.find((s) => s.usable && Object.values(repo.refs).includes(s.commit)) ?? repo.snapshots.find((s) => s.usable);
      if (!usable) return [];
      const refName = Object.entries(repo.refs).find(([name, commit]) => commit === usable.commit && name === 'main')?.[0] ?? Object.entries(repo.refs).find(([, c]) => c === usable.commit)?.[0];
      const hub = refName === 'main' ? repo.repo : `${repo.repo}@${refName ?? usable.commit}`;
      return [{ ...describeFolder(usable.dir), ref: { hub }, label: hub }];
    });
  }

  hub() {
    const env = this.downloads.env();
    return { cacheDir: env.cacheDir, offline: env.offline, curated: [...CURATED_MODELS], downloads: this.downloads.list() };
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
    let fewStep;
    try {
      fewStep = detectFewStep(readSchedulerConfigJson(layout), layout.modelIndex);
    } catch {
      // A broken scheduler_config.json is reported by inspect; the entry just offers no defaults.
    }
    return {
      ...base,
      label: layout.displayName,
      isDemo: layout.isDemo,
      kind: /inpaint/i.test(className) ? 'inpainting' : 'text-to-image',
      ...(fewStep ? { fewStep } : {}),
    };
  } catch {
    // A folder that went missing or broke since it was added stays listed, marked unknown;
    // inspect says what is wrong with it.
    return base;
  }
}
