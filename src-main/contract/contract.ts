import { parseHubRef } from '../engine/jobs/hub-ref';
import { z } from 'zod';
import {
  ENCODER_PRESETS,
  EXPORT_FORMATS,
  GifSettingsSchema,
  InpaintingModelRefSchema,
  MAX_SEED,
  ModelRefSchema,
  PROVIDERS,
  ProjectSchema,
  type Project,
} from '../project/schema';
import type { EventName, MethodName } from './channels';
import { FORBIDDEN_PATH_KEYS } from './document-changes';

/**
 * The contract between the studio UI (renderer) and the host (Electron main or the web host):
 * every method with its request and response schema, every event with its payload schema.
 * The renderer takes its types from here; main validates every request with these schemas
 * before a service sees it. Pure zod: this file is bundled into the browser.
 *
 * A method call answers `{ok: true, value}` or `{ok: false, error}`; errors are plain data
 * ({code, message, path?, hint?}), never exceptions crossing the wire.
 */

export { METHOD_NAMES, EVENT_NAMES, isMethodName, isEventName, type MethodName, type EventName } from './channels';
export type { Project } from '../project/schema';
/** The movie's frame timing: the player and timeline use the same rule as every export. */
export { movieTiming, positionOfFrame, frameInMovie, type MovieTiming, type TransitionTiming } from '../engine/blend/movie-timing';
export { effectiveSteps, transitionFrameCount } from '../project/quality';
/** How a finished transition's images fill its frames: the player shows what the export writes. */
export { fillFrames, type FramePick } from '../engine/blend/fill-frames';
export { describePick, type FrameKind } from '../engine/blend/fill-frames';
/** Pacing that only re-times (issue 12): holds, loop, easing curves. */
export { heldPicks } from '../engine/blend/fill-frames';
export type { MoviePacing } from '../engine/blend/movie-timing';
export { framesAt } from '../engine/blend/movie-timing';
export { projectPacing } from '../project/pacing';
export { EASING_CURVES, EASING_LABELS, EASING_WITH_STRENGTH, easeProgress, usesPerceptualProgress, type Easing, type EasingCurve } from '../engine/blend/easing';
/**
 * The project format's tables and defaults, for the form controls: the renderer keeps display
 * labels only, so no copy of a range, a list of names or a default can drift from the schema.
 */
export { DEFAULTS, ENCODER_PRESETS, EXPORT_FORMATS, MAX_CRF, MAX_SEED, PROVIDERS, SCHEDULERS, defaultTransition } from '../project/schema';
export { MIN_FINAL_IMAGES, QUALITY_PRESET_NAMES, fastFinalImages, presetFinalImages, presetSteps } from '../project/quality';
export type { QualityPreset } from '../engine/blend/fixed-tree';

// ---------------------------------------------------------------------------------------------
// Errors

/** Every error code with its meaning: one table, kept by the engine (engine/errors.ts). */
export { ERROR_CODES, type ErrorCode } from '../engine/errors';
export { IMAGE_FITS, type ImageFit } from '../engine/image-fit';
export { CURRENT_PROJECT_VERSION, imageFitOf } from '../project/schema';
export { DEFAULT_GIF_OPTIONS, GIF_DITHERS, GIF_LIMITS, GIF_STATS_MODES } from '../media/gif-options';

export const ErrorPathSchema = z.array(z.union([z.string(), z.number()]));

export const ErrorSchema = z.object({
  /** One of ERROR_CODES (or a Node code such as ENOENT, passed through as it names the cause). */
  code: z.string().min(1),
  /** A sentence for the user: what went wrong and where. */
  message: z.string(),
  /** Field path inside the request (e.g. ['project', 'transitions', 1, 'duration']). */
  path: ErrorPathSchema.optional(),
  /** How to fix it. */
  hint: z.string().optional(),
});
export type ContractErrorData = z.infer<typeof ErrorSchema>;

/** What a rejected `invoke` throws on the renderer side; `instanceof`-checkable. */
export class ContractError extends Error {
  readonly code: string;
  readonly path?: (string | number)[];
  readonly hint?: string;

  constructor(data: ContractErrorData) {
    super(data.message);
    this.name = 'ContractError';
    this.code = data.code;
    this.path = data.path;
    this.hint = data.hint;
  }

  toJSON(): ContractErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.path ? { path: this.path } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Shared shapes

const Empty = z.strictObject({});
const Ok = z.object({ ok: z.literal(true) });
const AbsolutePath = z
  .string()
  .min(1, { error: 'must be a file path, not empty' })
  .max(4096, { error: 'is longer than 4096 characters' })
  .refine((p) => !p.includes('\0'), { error: 'must not contain a NUL character' })
  // The host resolves nothing against its own working folder: paths come from dialogs or the user.
  .refine((p) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p), { error: 'must be an absolute path (e.g. /home/me/movie.lbs.json or C:\\Users\\me\\movie.lbs.json)' });
const JobId = z.string().min(1).max(200);

/**
 * The largest PNG a request may carry (a painted mask or an imported image): an incompressible
 * 2048² RGBA PNG is about 16.8 MB. Base64 makes it 4/3 larger on the wire.
 */
export const MAX_ASSET_PNG_BYTES = 24 * 1024 * 1024;
const MAX_ASSET_BASE64_CHARS = Math.ceil(MAX_ASSET_PNG_BYTES / 3) * 4;
/** The largest message the contract needs (an asset write plus its envelope); hosts refuse bigger ones unread. */
export const MAX_WIRE_MESSAGE_BYTES = MAX_ASSET_BASE64_CHARS + 1024 * 1024;
/** No request nests deeper than a project document (about 6 levels); far deeper is hostile. */
export const MAX_WIRE_JSON_DEPTH = 64;
const Index = z.number().int().min(0).max(100_000);

/**
 * The project document as the renderer holds it (the output of the project schema: defaults
 * filled, keyframe ids assigned). Sending it back is validated by the full project schema,
 * cross-field checks included. The cast only fixes the static input type: the schema's own
 * input type is `unknown` because it starts with a preprocess step.
 */
export const ProjectDocumentSchema = ProjectSchema as unknown as z.ZodType<Project, Project>;

export const ProjectStateSchema = z.object({
  /** Absolute path of the file; null while the project is untitled. */
  path: z.string().nullable(),
  project: ProjectDocumentSchema,
  /**
   * The host's revision of this document: each accepted edit moves it on, and a project that
   * is created, opened or recovered gets one never used before. `project.update` names the
   * revision its changes were made on.
   */
  revision: z.number().int().min(0),
  /** Edited since the last save. */
  dirty: z.boolean(),
  /** Epoch ms of the last save or open; null when never saved. */
  savedAt: z.number().nullable(),
  /** Epoch ms of the last autosave to the sidecar; null when none since the last save. */
  autosavedAt: z.number().nullable(),
});
export type ProjectState = z.infer<typeof ProjectStateSchema>;

export { applyChanges, diffDocuments, type DocumentChange, type DocumentPath } from './document-changes';

/** The most path segments a change names (a project nests about 6 deep). */
const MAX_CHANGE_PATH = 32;
/** The most changes one edit carries (a diff of two whole projects stays far below it). */
const MAX_CHANGES = 10_000;

const PathKeySchema = z
  .string()
  .min(1)
  .max(200)
  .refine((key) => !FORBIDDEN_PATH_KEYS.has(key), { error: 'is not a field name' });

/** One change of an edit: the path inside the project and its new value (none: remove the key). */
export const DocumentChangeSchema = z.strictObject({
  path: z.array(z.union([PathKeySchema, Index])).max(MAX_CHANGE_PATH),
  value: z.unknown().optional(),
});

/** What an accepted edit changed in the host's document, as the host holds it now. */
export const ProjectEditSchema = z.object({
  /** The revision the document reached (the next edit's `base`). */
  revision: z.number().int().min(0),
  /**
   * The host's document differs from the one before the edit in exactly these changes (its
   * values, in its key order): applied to the document at `base` they give the host's
   * document byte for byte. Usually the edit's own changes; more when the schema normalised a
   * value (a trimmed name, a filled-in default), none when the edit changed nothing.
   */
  changes: z.array(DocumentChangeSchema),
});
export type ProjectEdit = z.infer<typeof ProjectEditSchema>;

export const RecentEntrySchema = z.object({ path: z.string(), name: z.string(), openedAt: z.number() });
export type RecentEntry = z.infer<typeof RecentEntrySchema>;

export const RecoveryEntrySchema = z.object({
  /** Opaque handle for project.recover / project.discardRecovery. */
  id: z.string(),
  /** The project the autosave belongs to; null for an untitled project. */
  projectPath: z.string().nullable(),
  name: z.string(),
  /** Epoch ms of the autosave. */
  savedAt: z.number(),
  /** The first non-empty prompt of the draft ('' when every prompt is empty): what the user recognises. */
  firstPrompt: z.string(),
  /** How many keyframes the draft has. */
  keyframes: z.number().int().min(0),
});
export type RecoveryEntry = z.infer<typeof RecoveryEntrySchema>;

export const ProviderNameSchema = z.enum(PROVIDERS);
export type ProviderName = z.infer<typeof ProviderNameSchema>;

/** The GPU behind the WebGPU provider, as Dawn reports it (engine/sd/gpu-adapter.ts). */
export const GpuAdapterSchema = z.object({
  name: z.string(),
  backend: z.string(),
  vendor: z.string(),
  architecture: z.string(),
  description: z.string(),
  software: z.boolean(),
  shaderF16: z.boolean(),
});
export type GpuAdapter = z.infer<typeof GpuAdapterSchema>;

export const ProviderStateSchema = z.object({
  requested: ProviderNameSchema,
  /** The provider the last job actually ran on; null until a model has been loaded. */
  active: ProviderNameSchema.exclude(['auto']).nullable(),
  /** Why the active provider is not the requested one (a provider the user chose; a warning). */
  fallbackReason: z.string().optional(),
  /** For `auto`: what it picked and why ("No GPU found, running on the CPU (…)"); not a warning. */
  choice: z.string().optional(),
  /** The GPU adapter WebGPU found, when it was probed. */
  adapter: GpuAdapterSchema.optional(),
});
export type ProviderState = z.infer<typeof ProviderStateSchema>;

export const ProjectModelRefSchema = z.union([ModelRefSchema, InpaintingModelRefSchema]);
export type ProjectModelRef = z.infer<typeof ProjectModelRefSchema>;

/** A distilled few-step model's suggested settings (engine/sd/few-step.ts); the studio offers them. */
export const FewStepSchema = z.object({ steps: z.number().int(), guidance: z.number(), mode: z.literal('fast'), reason: z.string() });

export const ModelEntrySchema = z.object({
  /** The reference to put into a project's `model` (or `inpaintingModel`). */
  ref: ProjectModelRefSchema,
  /** Display name; demo models say so ("Demo model (procedural, not Stable Diffusion)"). */
  label: z.string(),
  isDemo: z.boolean(),
  kind: z.enum(['text-to-image', 'inpainting', 'unknown']),
  /** The folder on disk (demo models: where they were generated, when known). */
  path: z.string().nullable(),
  /** Present for few-step models (SD-Turbo …). */
  fewStep: FewStepSchema.optional(),
});
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

/** A model repo offered for download (services/hub/curated.ts). */
export const CuratedModelSchema = z.object({
  repo: z.string(),
  title: z.string(),
  kind: z.enum(['text-to-image', 'inpainting']),
  bytes: z.number().min(0),
  note: z.string(),
});

export const HubRepoIdSchema = z
  .string()
  .max(200)
  .refine((text) => parseHubRef(text) !== undefined, { error: 'must be a Hub repo id, owner/name or owner/name@revision' });

/** One Hub download's state: progress while it runs, then its outcome. */
export const HubDownloadSchema = z.object({
  downloadId: z.string(),
  repo: z.string(),
  phase: z.enum(['resolving', 'downloading', 'checking', 'done', 'failed', 'cancelled']),
  doneBytes: z.number().min(0),
  totalBytes: z.number().min(0),
  /** Measured on this download; null until bytes arrive. */
  bytesPerSecond: z.number().min(0).nullable(),
  etaMs: z.number().min(0).nullable(),
  filesDone: z.number().int().min(0),
  filesTotal: z.number().int().min(0),
  file: z.string().optional(),
  /** The new model once the download is checked (phase done). */
  model: ModelEntrySchema.optional(),
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).optional(),
});
export type HubDownload = z.infer<typeof HubDownloadSchema>;

const EngineErrorDataSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  file: z.string().optional(),
});

const TensorIOSchema = z.object({
  name: z.string(),
  type: z.string(),
  /** Numbers, symbolic names ("batch") or null for an unnamed dynamic axis. */
  shape: z.array(z.union([z.number(), z.string(), z.null()])),
});

export const ModelReportSchema = z.object({
  dir: z.string(),
  name: z.string().optional(),
  isDemo: z.boolean().optional(),
  kind: z.enum(['text-to-image', 'inpainting']).optional(),
  components: z.array(
    z.object({
      component: z.string(),
      file: z.string(),
      bytes: z.number(),
      externalData: z.array(z.object({ file: z.string(), bytes: z.number() })),
      inputs: z.array(TensorIOSchema).optional(),
      outputs: z.array(TensorIOSchema).optional(),
      error: EngineErrorDataSchema.optional(),
    }),
  ),
  tokenizer: z.object({ vocabSize: z.number(), padId: z.number(), bosId: z.number(), eosId: z.number(), maxLength: z.number() }).optional(),
  scheduler: z.object({ predictionType: z.string(), timestepSpacing: z.string(), numTrainTimesteps: z.number() }).optional(),
  defaultScheduler: z.object({ kind: z.string(), className: z.string().optional(), fallbackReason: z.string().optional() }).optional(),
  fewStep: FewStepSchema.optional(),
  provider: z.object({ requested: z.string(), active: z.string(), fallbackReason: z.string().optional(), choice: z.string().optional(), adapter: GpuAdapterSchema.optional() }).optional(),
  loads: z.boolean(),
  errors: z.array(EngineErrorDataSchema),
});
export type ModelReport = z.infer<typeof ModelReportSchema>;

/** The most stills one "Try seeds" job renders. */
export const MAX_SEED_VARIANTS = 16;

export const RenderScopeSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('keyframe'), index: Index }),
    z.strictObject({ kind: z.literal('transition'), index: Index }),
    z.strictObject({ kind: z.literal('movie') }),
  ],
  { error: 'must be {"kind": "keyframe", "index": n}, {"kind": "transition", "index": n} or {"kind": "movie"}' },
);
export type RenderScope = z.infer<typeof RenderScopeSchema>;

export const JobKindSchema = z.enum(['render', 'export']);
export type JobKind = z.infer<typeof JobKindSchema>;

export const JobStatusSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const JobProgressSchema = z.object({
  jobId: JobId,
  kind: JobKindSchema,
  /** What the job is doing now ("loading model", "denoising", "encoding", …). */
  phase: z.string(),
  done: z.number().min(0),
  total: z.number().min(0),
  /** Estimated ms left; null until there is something to measure. */
  etaMs: z.number().min(0).nullable(),
  /** A render on the farm: each transition's state and progress, as the workers report it. */
  transitions: z
    .array(
      z.object({
        index: Index,
        state: z.enum(['cached', 'waiting', 'keyframes', 'rendering', 'done']),
        done: z.number().min(0),
        total: z.number().min(0),
        worker: z.string().optional(),
      }),
    )
    .optional(),
});
export type JobProgress = z.infer<typeof JobProgressSchema>;

/** The render-farm setting; the URL comes back with its password masked. */
export const FarmSettingsSchema = z.object({ enabled: z.boolean(), url: z.string(), cacheDir: z.string(), configured: z.boolean() });
export type FarmSettings = z.infer<typeof FarmSettingsSchema>;

export const JobInfoSchema = z.object({
  jobId: JobId,
  kind: JobKindSchema,
  /** For the queue list: "Keyframe 2", "Transition 1 → 2", "Movie", "Export movie.mp4". */
  label: z.string(),
  scope: RenderScopeSchema.optional(),
  status: JobStatusSchema,
  progress: JobProgressSchema.nullable(),
  error: ErrorSchema.optional(),
  /** The name of the project the job belongs to (the queue may outlive a project switch). */
  project: z.string().optional(),
  /** Epoch ms the job was queued, and when it ended. */
  queuedAt: z.number().optional(),
  finishedAt: z.number().optional(),
});
export type JobInfo = z.infer<typeof JobInfoSchema>;

/** A rendered image of a transition; position is 0 (first keyframe) … 1 (second keyframe). */
export const TransitionFrameSchema = z.object({
  position: z.number().min(0).max(1),
  url: z.string(),
});
export type TransitionFrame = z.infer<typeof TransitionFrameSchema>;

export const RenderedFramesSchema = z.object({
  /** Keyframe stills by keyframe index; absent entries are not rendered yet. */
  keyframes: z.array(z.object({ index: Index, keyframeId: z.string().optional(), url: z.string() })),
  /** Per transition, the final images rendered so far, sorted by position. */
  transitions: z.array(
    z.object({
      index: Index,
      /** True once the transition's blending tree is finished. */
      complete: z.boolean(),
      frames: z.array(TransitionFrameSchema),
      /**
       * A finished transition's neighbour distances (one per pair of frames), the ones the
       * export spreads frames by under equal perceptual spacing, so the player does the same.
       */
      distances: z.array(z.number().min(0)).optional(),
    }),
  ),
});
export type RenderedFrames = z.infer<typeof RenderedFramesSchema>;

export const RenderResultSchema = z.object({
  kind: z.literal('render'),
  scope: RenderScopeSchema,
  /** Images produced (or found in the cache) by this job. */
  frames: z.number().int().min(0),
  /** True when everything came from the render cache (no diffusion ran). */
  fromCache: z.boolean(),
});

export const ExportResultSchema = z.object({
  kind: z.literal('export'),
  /** Absolute path of the finished file (or PNG folder). */
  path: z.string(),
  url: z.string(),
  format: z.enum(EXPORT_FORMATS),
  frames: z.number().int().min(0),
  bytes: z.number().min(0),
  warnings: z.array(z.string()),
});

export const JobResultSchema = z.discriminatedUnion('kind', [RenderResultSchema, ExportResultSchema]);
export type JobResult = z.infer<typeof JobResultSchema>;

// ---------------------------------------------------------------------------------------------
// Methods

function method<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

/** A music track analysed for the timeline: seconds from the start of the audio. */
export const AudioAnalysisSchema = z.object({
  path: z.string(),
  durationSeconds: z.number().min(0),
  bpm: z.number().min(0),
  confidence: z.number().min(0).max(1),
  beats: z.array(z.number().min(0)),
  waveform: z.object({ perSecond: z.number().gt(0), peaks: z.array(z.number().min(0).max(1)) }),
});
export type AudioAnalysis = z.infer<typeof AudioAnalysisSchema>;
/** Snap to beats: the timeline sets durations so keyframes land on beats (pure, shared with tests). */
export { snapToBeats, type SnapInput, type SnapResult } from '../engine/blend/snap-to-beats';
export { minFramesForPreset } from '../project/quality';

export const methods = {
  'app.info': method(
    Empty,
    z.object({
      name: z.string(),
      version: z.string(),
      host: z.enum(['electron', 'web']),
      platform: z.string(),
      /** The label every demo model carries in the UI. */
      demoModelLabel: z.string(),
      provider: ProviderStateSchema,
      /** Whether dialog.pick works here (Electron) or the UI asks for a typed path (browser). */
      nativeDialogs: z.boolean(),
      /**
       * The user's home folder on the host's machine: where a typed path without a folder
       * (or starting with ~) goes when the browser has no file dialog, and the default folder
       * for saving and exporting an untitled project.
       */
      homeDir: z.string(),
    }),
  ),

  /** A native file dialog; UNSUPPORTED on the web host. `path` is null when the user cancels. */
  'dialog.pick': method(
    z.strictObject({
      mode: z.enum(['open', 'save', 'folder']),
      purpose: z.enum(['project', 'model', 'export', 'audio', 'image', 'mask']),
      defaultPath: AbsolutePath.optional(),
    }),
    z.object({ path: z.string().nullable() }),
  ),

  /** The open project, or null before the first new/open. */
  'project.current': method(Empty, z.object({ state: ProjectStateSchema.nullable() })),
  /** A fresh untitled project; `prompts` seeds its keyframes (default: two example prompts). */
  'project.new': method(
    z.strictObject({
      prompts: z.array(z.string().max(10_000)).min(1).max(1000).optional(),
      name: z.string().trim().min(1).max(200).optional(),
    }),
    ProjectStateSchema,
  ),
  /** Open a `*.lbs.json`. A file that fails validation opens nothing: INVALID_PROJECT with paths. */
  'project.open': method(z.strictObject({ path: AbsolutePath }), ProjectStateSchema),
  /** Save to the project's file atomically; NO_PATH when untitled. */
  'project.save': method(Empty, ProjectStateSchema),
  /** OVERWRITE_NEEDS_CONFIRMATION when `path` holds a file that is not a project, unless `overwrite` repeats that exact path (the user confirmed). */
  'project.saveAs': method(z.strictObject({ path: AbsolutePath, overwrite: AbsolutePath.optional() }), ProjectStateSchema),
  /**
   * Edit the open project: `changes` made on revision `base` of its document. The host applies
   * them and validates the resulting document once (the project schema, cross-field checks
   * included): INVALID_PROJECT with the path under ['project', …] when it fails, STALE_EDIT when
   * the document has moved past `base` (another window), BAD_REQUEST for a path that is not there.
   */
  'project.update': method(
    z.strictObject({ base: z.number().int().min(0), changes: z.array(DocumentChangeSchema).min(1).max(MAX_CHANGES) }),
    ProjectEditSchema,
  ),
  'project.recent': method(Empty, z.object({ entries: z.array(RecentEntrySchema) })),
  /** Autosaves newer than their project: offered for recovery after a crash. */
  'project.recoverable': method(Empty, z.object({ entries: z.array(RecoveryEntrySchema) })),
  /** Open the autosaved document (dirty: the user saves it to keep it). */
  'project.recover': method(z.strictObject({ id: z.string().min(1).max(4096) }), ProjectStateSchema),
  'project.discardRecovery': method(z.strictObject({ id: z.string().min(1).max(4096) }), Ok),

  /**
   * Write a PNG (a painted mask, an imported init image) next to the project, for a keyframe's
   * `image` or `mask` field. Returns the project-relative path to store and a media URL.
   */
  'assets.write': method(
    z.strictObject({
      kind: z.enum(['image', 'mask']),
      keyframeId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
      pngBase64: z.string().min(1).max(MAX_ASSET_BASE64_CHARS),
    }),
    z.object({ path: z.string(), url: z.string() }),
  ),
  /** A media URL for a project-relative file (keyframe image or mask). */
  'assets.url': method(z.strictObject({ path: z.string().min(1).max(4096) }), z.object({ url: z.string() })),

  /** Exact CLIP token count of a prompt with the open project's tokenizer, and where the cut falls. */
  'prompts.tokenize': method(
    z.strictObject({ text: z.string().max(20_000) }),
    z.object({ tokens: z.number().int().min(0), limit: z.number().int().min(1), cutAt: z.number().int().min(0).nullable(), droppedWords: z.array(z.string()) }),
  ),
  'models.list': method(Empty, z.object({ models: z.array(ModelEntrySchema), provider: ProviderStateSchema })),
  /** Describe a model folder and try to load each part on the provider. */
  'models.inspect': method(
    z.strictObject({ ref: ProjectModelRefSchema, provider: ProviderNameSchema.optional() }),
    ModelReportSchema,
  ),
  /** Remember a model folder (checked for the SD ONNX layout first). */
  'models.add': method(z.strictObject({ path: AbsolutePath }), z.object({ model: ModelEntrySchema })),
  'models.remove': method(z.strictObject({ path: AbsolutePath }), Ok),
  /** The provider jobs ask for; the one in use shows up in provider.active after the next job. */
  'models.setProvider': method(z.strictObject({ provider: ProviderNameSchema }), ProviderStateSchema),
  /** The Hugging Face cache in use, the curated downloads and the downloads of this session. */
  'models.hub': method(
    Empty,
    z.object({ cacheDir: z.string(), offline: z.boolean(), curated: z.array(CuratedModelSchema), downloads: z.array(HubDownloadSchema) }),
  ),
  /** Download a Hub repo into the HF cache; progress arrives as models.download events. */
  'models.pull': method(z.strictObject({ repo: HubRepoIdSchema }), z.object({ downloadId: z.string() })),
  'models.cancelPull': method(z.strictObject({ downloadId: z.string() }), z.object({ cancelled: z.boolean() })),

  /** Queue a render of the open project; progress, frames and the result arrive as job.* events. */
  /** joined: an equal render was already queued or running, and jobId is that job. */
  'renders.start': method(
    // confirmHuge: the user agreed to a render whose estimate passed the limit (RENDER_NEEDS_CONFIRMATION otherwise).
    z.strictObject({ scope: RenderScopeSchema, confirmHuge: z.boolean().optional() }),
    z.object({ jobId: JobId, joined: z.boolean().optional() }),
  ),
  'renders.cancel': method(z.strictObject({ jobId: JobId }), z.object({ cancelled: z.boolean() })),
  /** Render and export jobs of this session, oldest first. */
  'renders.list': method(Empty, z.object({ jobs: z.array(JobInfoSchema) })),
  /** Everything rendered so far for the open project, for the player. */
  'renders.frames': method(Empty, RenderedFramesSchema),
  /** "Try seeds": one job rendering keyframe `index`'s still once per seed; each arrives as a job.variant event. */
  'renders.variants': method(
    z.strictObject({ index: Index, seeds: z.array(z.number().int().min(0).max(MAX_SEED)).min(1).max(MAX_SEED_VARIANTS) }),
    z.object({ jobId: JobId }),
  ),

  /** Export the open project's rendered movie; settings default to the project's export block. */
  'exports.start': method(
    z.strictObject({
      path: AbsolutePath,
      format: z.enum(EXPORT_FORMATS).optional(),
      fps: z.number().gt(0).max(240).optional(),
      crf: z.number().int().min(0).max(63).optional(),
      preset: z.enum(ENCODER_PRESETS).optional(),
      /** GIF size, loop and palette; fields left out come from the project's export.gif. */
      gif: GifSettingsSchema.partial().optional(),
      /** An audio file to mux in; null = none even if the project names one. */
      audio: AbsolutePath.nullable().optional(),
      /** The exact path the user confirmed may be replaced although it is not a video of this format. */
      overwrite: AbsolutePath.optional(),
    }),
    /** joined: the same export was already running, and jobId is that job. */
    z.object({ jobId: JobId, joined: z.boolean().optional() }),
  ),
  'exports.cancel': method(z.strictObject({ jobId: JobId }), z.object({ cancelled: z.boolean() })),

  /** Render on farm (Redis URL, shared cache folder); movies then render on `latentblend worker`s. */
  'farm.get': method(Empty, FarmSettingsSchema),
  /** `url` left out keeps the stored one (the UI only sees it masked). */
  'farm.set': method(
    z.strictObject({ enabled: z.boolean(), url: z.string().max(2000).optional(), cacheDir: z.union([AbsolutePath, z.literal('')]).optional() }),
    FarmSettingsSchema,
  ),
  /** Connect once to the farm's Redis (the given URL, else the stored one): its version and connected workers. */
  'farm.test': method(z.strictObject({ url: z.string().max(2000).optional() }), z.object({ url: z.string(), redisVersion: z.string(), workers: z.number().int().min(0) })),
  /**
   * Open the system's file manager on a file this session exported ("Show in folder"); any
   * other path is NOT_FOUND. UNSUPPORTED where the host has no desktop shell (the web host).
   */
  'shell.showItemInFolder': method(z.strictObject({ path: AbsolutePath }), z.object({ ok: z.literal(true) })),
  /** The project's music track (export.audio): waveform, tempo and beats for the timeline (issue 12). */
  'audio.analyze': method(Empty, AudioAnalysisSchema),
} as const;

// ---------------------------------------------------------------------------------------------
// Events

export const APP_COMMANDS = ['new', 'open', 'save', 'saveAs', 'export', 'undo', 'redo'] as const;
export const AppCommandSchema = z.enum(APP_COMMANDS);
export type AppCommand = z.infer<typeof AppCommandSchema>;

export const FrameEventSchema = z.discriminatedUnion('target', [
  z.object({
    jobId: JobId,
    target: z.literal('transition'),
    transition: Index,
    position: z.number().min(0).max(1),
    /** The image's index in the transition's final sequence as rendered so far. */
    index: z.number().int().min(0),
    url: z.string(),
  }),
  z.object({
    jobId: JobId,
    target: z.literal('keyframe'),
    keyframe: Index,
    url: z.string(),
  }),
]);
export type FrameEvent = z.infer<typeof FrameEventSchema>;

export const events = {
  'job.queued': JobInfoSchema,
  'job.progress': JobProgressSchema,
  'job.frame': FrameEventSchema,
  /** A "Try seeds" still of keyframe `keyframe` rendered with `seed` (renders.variants). */
  'job.variant': z.object({ jobId: JobId, keyframe: Index, seed: z.number().int().min(0), url: z.string() }),
  'job.done': z.object({ jobId: JobId, kind: JobKindSchema, result: JobResultSchema }),
  'job.error': z.object({ jobId: JobId, kind: JobKindSchema, error: ErrorSchema }),
  'models.changed': z.object({ models: z.array(ModelEntrySchema), provider: ProviderStateSchema }),
  'models.download': HubDownloadSchema,
  /**
   * A menu item or shortcut the host handled (Electron's app menu). The UI acts on it as on its
   * own shortcut: `undo`/`redo` undo the project edit, or the text edit when a text field has focus.
   */
  'app.command': z.object({ command: AppCommandSchema, path: z.string().optional() }),
} as const;

// ---------------------------------------------------------------------------------------------
// Types derived from the schemas

export type Methods = typeof methods;
export type Events = typeof events;
/** What the caller sends (fields with defaults may be left out). */
export type Request<M extends MethodName> = z.input<Methods[M]['request']>;
/** What a service receives after validation. */
export type ParsedRequest<M extends MethodName> = z.output<Methods[M]['request']>;
export type Response<M extends MethodName> = z.output<Methods[M]['response']>;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export type InvokeResult<T = unknown> = { ok: true; value: T } | { ok: false; error: ContractErrorData };

/** Compile-time check: channels.ts and the maps above list exactly the same names. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _methodsMatch: Same<keyof Methods, MethodName> = true;
const _eventsMatch: Same<keyof Events, EventName> = true;
void _methodsMatch;
void _eventsMatch;

// ---------------------------------------------------------------------------------------------
// The WebSocket wire format (the Electron transport uses IPC channels named after methods/events)

export const WireInvokeSchema = z.object({
  type: z.literal('invoke'),
  id: z.number().int().min(0),
  method: z.string(),
  payload: z.unknown(),
});
export type WireInvoke = z.infer<typeof WireInvokeSchema>;

export type WireResult = { type: 'result'; id: number } & InvokeResult;
export type WireEvent = { type: 'event'; event: EventName; payload: unknown };
export type WireFromHost = WireResult | WireEvent;

/** The renderer's view of `window.bridge`, exposed by the Electron preload. */
export interface Bridge {
  invoke(method: MethodName, payload: unknown): Promise<InvokeResult>;
  /** Returns the unsubscribe function. */
  subscribe(event: EventName, handler: (payload: unknown) => void): () => void;
}
