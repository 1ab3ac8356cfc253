import { PromptTokensService } from './prompt-tokens';
import os from 'node:os';
import type { ParsedRequest } from '../contract/contract';
import { DEMO_MODEL_NAME } from '../engine/demo/demo-model';
import type { Engine } from './engine';
import { EventHub } from './events';
import { AudioService } from './audio';
import { ExportsService } from './exports';
import { FarmService } from './farm/farm-service';
import { JobBoard } from './jobs';
import { MediaRoots } from './media/media-roots';
import { ModelsService } from './models';
import { ProjectsService } from './projects';
import { RendersService } from './renders';
import { SettingsStore, configDir } from './settings';
import type { HubEnv } from './hub/hub-env';

/** Native file dialogs; only the Electron host has them. */
export interface Dialogs {
  pick(request: ParsedRequest<'dialog.pick'>): Promise<string | null>;
}

/** The desktop shell (Electron's `shell`); the web host has none. */
export interface DesktopShell {
  showItemInFolder(file: string): void;
}

export interface StudioOptions {
  engine: Engine;
  host: 'electron' | 'web';
  /** Media URL prefix: `lbs-media://media` (Electron) or `/media` (web host). */
  mediaBase: string;
  version: string;
  configDir?: string;
  dialogs?: Dialogs;
  shell?: DesktopShell;
  autosaveIdleMs?: number;
  ffmpegPath?: string;
  /** Hugging Face settings (endpoint, token, cache); default from the environment (HF_*). */
  hubEnv?: () => HubEnv;
}

/** All services of one host process, wired together; the router talks to this. */
export interface Studio {
  readonly options: StudioOptions;
  readonly settings: SettingsStore;
  readonly events: EventHub;
  readonly media: MediaRoots;
  readonly projects: ProjectsService;
  readonly models: ModelsService;
  readonly prompts: PromptTokensService;
  readonly jobs: JobBoard;
  readonly renders: RendersService;
  readonly exports: ExportsService;
  readonly farm: FarmService;
  readonly audio: AudioService;
  readonly dialogs?: Dialogs;
  info(): Promise<{ name: string; version: string; host: 'electron' | 'web'; platform: string; demoModelLabel: string; provider: Awaited<ReturnType<ModelsService['provider']>>; nativeDialogs: boolean; homeDir: string }>;
  dispose(): Promise<void>;
}

export function createStudio(options: StudioOptions): Studio {
  const settings = new SettingsStore(options.configDir ?? configDir());
  const events = new EventHub();
  const emit = events.emit;
  const media = new MediaRoots(options.mediaBase);
  const projects = new ProjectsService({ settings, media, autosaveIdleMs: options.autosaveIdleMs });
  const models = new ModelsService({ settings, engine: options.engine, emit, hubEnv: options.hubEnv });
  const jobs = new JobBoard(emit);
  const farm = new FarmService(settings);
  const renders = new RendersService({ engine: options.engine, projects, models, settings, board: jobs, media, emit, farm });
  const exports = new ExportsService({ projects, renders, board: jobs, media, ffmpegPath: options.ffmpegPath });
  const audio = new AudioService({ projects, ffmpegPath: options.ffmpegPath });
  return {
    options,
    settings,
    events,
    media,
    projects,
    models,
    prompts: new PromptTokensService(projects),
    jobs,
    renders,
    exports,
    farm,
    audio,
    dialogs: options.dialogs,
    async info() {
      return {
        name: 'Latent Blending Studio',
        version: options.version,
        host: options.host,
        platform: `${os.platform()}-${os.arch()}`,
        demoModelLabel: DEMO_MODEL_NAME,
        provider: await models.provider(),
        nativeDialogs: Boolean(options.dialogs),
        homeDir: os.homedir(),
      };
    },
    async dispose() {
      models.downloads.cancelAll();
      await projects.dispose();
    },
  };
}
