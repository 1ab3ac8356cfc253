import {
  ContractError,
  ProjectDocumentSchema,
  applyChanges,
  diffDocuments,
  type AudioAnalysis,
  type EventName,
  type EventPayload,
  type FarmSettings,
  type JobInfo,
  type MethodName,
  type ModelEntry,
  type Project,
  type ProjectState,
  type RenderedFrames,
  type Request,
  type Response,
} from '../../../src-main/contract/contract';
import type { Transport } from '../../../src-main/contract/transport';

/**
 * An in-memory host for component tests (and for looking at the UI before a real host runs):
 * it answers the contract's methods from a project held in memory and applies `project.update`
 * as the real host does (the changes on their base revision, the result validated with the real
 * project schema, the answer what changed), so a store test sees the same errors and answers the
 * real host sends. Jobs do not run by themselves: a test drives them with `emit` and
 * `renderImages`, step by step, so nothing depends on timing.
 */
export interface FakeHost extends Transport {
  readonly calls: Array<{ method: MethodName; payload: unknown }>;
  state: ProjectState;
  frames: RenderedFrames;
  /** Autosaves offered for recovery, with the document each one restores. */
  recoverable: Array<{ id: string; projectPath: string | null; name: string; savedAt: number; project: Project }>;
  /** What audio.analyze answers for the project's music track (null: the host's "no music track" error). */
  audio: AudioAnalysis | null;
  /** Files "on disk" by path, for open/save. */
  readonly files: Map<string, Project>;
  /** Models the host knows (models.list); models.add appends. */
  models: ModelEntry[];
  /** The host's clock (queue times); tests may set it. */
  now: () => number;
  /** The render-farm setting (farm.get/farm.set) and what farm.test answers. */
  farm: FarmSettings;
  farmConnection: { redisVersion: string; workers: number };
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Fail the next call of `method` with this error. */
  failNext(method: MethodName, error: { code: string; message: string; path?: (string | number)[]; hint?: string }): void;
}

const DEMO_LABEL = 'Demo model (procedural, not Stable Diffusion)';

export function parseProjectDoc(input: unknown): Project {
  return ProjectDocumentSchema.parse(input);
}

export function sampleProject(prompts = ['a misty pine forest at dawn', 'a quiet harbour at night']): Project {
  return parseProjectDoc({ format: 'latent-blending-studio', version: 2, name: 'Untitled', keyframes: prompts.map((prompt) => ({ prompt })) });
}

/** A tiny SVG data URL standing in for a rendered image (colour from the text). */
export function placeholderImage(text: string): string {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const hue = h % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},60%,55%)"/><stop offset="1" stop-color="hsl(${(hue + 80) % 360},50%,25%)"/></linearGradient></defs><rect width="64" height="64" fill="url(#g)"/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

export function createFakeHost(project: Project = sampleProject()): FakeHost {
  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  const failures = new Map<string, { code: string; message: string; path?: (string | number)[]; hint?: string }>();
  const jobs: JobInfo[] = [];
  let nextJob = 1;
  let lastRevision = 1;
  /** A document the host starts holding gets a revision never used before, as on the real host. */
  const freshRevision = () => ++lastRevision;

  const host: FakeHost = {
    kind: 'websocket',
    calls: [],
    state: { path: null, project, revision: lastRevision, dirty: false, savedAt: null, autosavedAt: null },
    frames: { keyframes: [], transitions: [] },
    files: new Map(),
    recoverable: [],
    now: () => Date.now(),
    farm: { enabled: false, url: '', cacheDir: '', configured: false },
    farmConnection: { redisVersion: '7.0.15', workers: 2 },
    audio: null,
    models: [
      { ref: { id: 'demo' }, label: DEMO_LABEL, isDemo: true, kind: 'text-to-image', path: null },
      { ref: { id: 'demo-inpainting' }, label: `${DEMO_LABEL} · inpainting`, isDemo: true, kind: 'inpainting', path: null },
      {
        ref: { id: 'demo-fast' }, label: `${DEMO_LABEL} · few-step`, isDemo: true, kind: 'text-to-image', path: null,
        fewStep: { steps: 4, guidance: 0, mode: 'fast', reason: 'scheduler_config.json is EulerDiscreteScheduler with "trailing" timesteps' },
      },
    ],
    emit(event, payload) {
      if (event === 'job.frame') remember(payload as EventPayload<'job.frame'>);
      for (const h of handlers.get(event) ?? []) h(payload);
    },
    failNext(method, error) {
      failures.set(method, error);
    },
    subscribe(event, handler) {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      set.add(handler as (payload: unknown) => void);
      return () => set.delete(handler as (payload: unknown) => void);
    },
    close() {},
    async invoke<M extends MethodName>(method: M, payload: Request<M>): Promise<Response<M>> {
      host.calls.push({ method, payload });
      const failure = failures.get(method);
      if (failure) {
        failures.delete(method);
        throw new ContractError(failure);
      }
      return (await answer(method, payload as never)) as Response<M>;
    },
  };

  /** A real host serves every announced frame from renders.frames afterwards; so does this one. */
  function remember(frame: EventPayload<'job.frame'>): void {
    if (frame.target === 'keyframe') {
      host.frames.keyframes = [...host.frames.keyframes.filter((k) => k.index !== frame.keyframe), { index: frame.keyframe, url: frame.url }];
      return;
    }
    const t = host.frames.transitions.find((x) => x.index === frame.transition) ?? { index: frame.transition, complete: false, frames: [] };
    const frames = [...t.frames.filter((f) => f.position !== frame.position), { position: frame.position, url: frame.url }].sort((a, b) => a.position - b.position);
    host.frames.transitions = [...host.frames.transitions.filter((x) => x.index !== frame.transition), { ...t, frames }];
  }

  async function answer(method: MethodName, payload: Record<string, unknown>): Promise<unknown> {
    switch (method) {
      case 'app.info':
        return {
          name: 'Latent Blending Studio',
          version: '0.1.0',
          host: 'web',
          platform: 'linux',
          demoModelLabel: DEMO_LABEL,
          provider: { requested: 'auto', active: 'cpu', choice: 'No GPU found, running on the CPU (WebGPU: no usable GPU adapter found)' },
          nativeDialogs: false,
          homeDir: '/home/me',
        };
      case 'prompts.tokenize': {
        // One token per word: enough for the UI's wiring; exact counts are tested host-side.
        const text = String(payload.text);
        const words = [...text.matchAll(/\S+/g)];
        const cut = words[75];
        return { tokens: words.length, limit: 75, cutAt: cut ? cut.index : null, droppedWords: words.slice(75).map((m) => m[0]) };
      }
      case 'models.list':
        return { models: host.models, provider: { requested: 'auto', active: 'cpu', choice: 'No GPU found, running on the CPU (WebGPU: no usable GPU adapter found)' } };
      case 'models.add': {
        // Like the real host: a folder whose name says "inpaint" holds a 9-channel UNet.
        const dir = String(payload.path);
        const model: ModelEntry = { ref: { path: dir }, label: dir.split('/').filter(Boolean).pop() ?? dir, isDemo: false, kind: /inpaint/i.test(dir) ? 'inpainting' : 'text-to-image', path: dir };
        host.models = [...host.models, model];
        host.emit('models.changed', { models: host.models, provider: { requested: 'auto', active: 'cpu' } });
        return { model };
      }
      case 'models.hub':
        return {
          cacheDir: '/home/user/.cache/huggingface/hub',
          offline: false,
          curated: [{ repo: 'jdp8/sd-turbo-onnx', title: 'SD-Turbo (1–4 steps)', kind: 'text-to-image', bytes: 2.6e9, note: 'distilled SD 2.1' }],
          downloads: [],
        };
      case 'models.pull':
        // Downloads do not run by themselves: a test drives them with emit('models.download', …).
        return { downloadId: `dl-${String(payload.repo)}` };
      case 'models.cancelPull':
        return { cancelled: true };
      case 'project.current':
        return { state: host.state };
      case 'project.new':
        host.state = { path: null, project: sampleProject(), revision: freshRevision(), dirty: false, savedAt: null, autosavedAt: null };
        return host.state;
      case 'project.update': {
        const { base, changes } = payload as Request<'project.update'>;
        if (base !== host.state.revision) throw new ContractError({ code: 'STALE_EDIT', message: `Revision ${base} is not the host's (${host.state.revision}).` });
        // Over the wire the host gets its own copy of the values.
        const parsed = ProjectDocumentSchema.safeParse(applyChanges(host.state.project, structuredClone(changes)));
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw new ContractError({ code: 'INVALID_PROJECT', message: issue.message, path: ['project', ...(issue.path as (string | number)[])] });
        }
        const applied = diffDocuments(host.state.project, parsed.data, { keyOrder: true });
        if (applied.length > 0) host.state = { ...host.state, project: parsed.data, revision: freshRevision(), dirty: true };
        return { revision: host.state.revision, changes: structuredClone(applied) };
      }
      case 'project.save':
        if (!host.state.path) throw new ContractError({ code: 'NO_PATH', message: 'The project has no file yet.' });
        host.files.set(host.state.path, host.state.project);
        host.state = { ...host.state, dirty: false, savedAt: 1 };
        return host.state;
      case 'project.saveAs':
        host.state = { ...host.state, path: String(payload.path), dirty: false, savedAt: 1 };
        host.files.set(host.state.path!, host.state.project);
        return host.state;
      case 'project.open': {
        const file = host.files.get(String(payload.path));
        if (!file) throw new ContractError({ code: 'NOT_FOUND', message: `No project at ${String(payload.path)}.` });
        host.state = { path: String(payload.path), project: file, revision: freshRevision(), dirty: false, savedAt: 1, autosavedAt: null };
        return host.state;
      }
      case 'project.recent':
        return { entries: [...host.files.keys()].map((path, i) => ({ path, name: host.files.get(path)!.name, openedAt: i })) };
      case 'project.recoverable':
        return {
          entries: host.recoverable.map(({ project: doc, ...entry }) => ({
            ...entry,
            firstPrompt: doc.keyframes.find((k) => k.prompt.trim())?.prompt.trim() ?? '',
            keyframes: doc.keyframes.length,
          })),
        };
      case 'project.recover': {
        const entry = host.recoverable.find((r) => r.id === payload.id);
        if (!entry) throw new ContractError({ code: 'NOT_FOUND', message: `No autosave ${String(payload.id)}.` });
        host.recoverable = host.recoverable.filter((r) => r !== entry);
        host.state = { path: entry.projectPath, project: entry.project, revision: freshRevision(), dirty: true, savedAt: null, autosavedAt: entry.savedAt };
        return host.state;
      }
      case 'project.discardRecovery':
        host.recoverable = host.recoverable.filter((r) => r.id !== payload.id);
        return { ok: true };
      case 'renders.frames':
        return host.frames;
      case 'renders.list':
        return { jobs };
      case 'renders.start': {
        const scope = payload.scope as JobInfo['scope'];
        // Like the real host: a render equal to a queued one joins it.
        const equal = jobs.find((j) => j.kind === 'render' && j.status === 'queued' && JSON.stringify(j.scope) === JSON.stringify(scope));
        if (equal) return { jobId: equal.jobId, joined: true };
        const jobId = `job-${nextJob++}`;
        const label = scope?.kind === 'movie' ? 'Movie' : scope?.kind === 'keyframe' ? `Keyframe ${scope.index + 1}` : `Transition ${(scope?.index ?? 0) + 1} → ${(scope?.index ?? 0) + 2}`;
        const job: JobInfo = { jobId, kind: 'render', label, scope, status: 'queued', progress: null, project: host.state.project.name, queuedAt: host.now() };
        jobs.push(job);
        host.emit('job.queued', job);
        return { jobId };
      }
      case 'renders.variants': {
        // Runs only when a test drives it with emit('job.variant', …).
        const index = Number(payload.index);
        const job: JobInfo = { jobId: `job-${nextJob++}`, kind: 'render', label: `Keyframe ${index + 1}: try seeds`, scope: { kind: 'keyframe', index }, status: 'queued', progress: null, project: host.state.project.name, queuedAt: host.now() };
        jobs.push(job);
        host.emit('job.queued', job);
        return { jobId: job.jobId };
      }
      case 'renders.cancel':
        host.emit('job.error', { jobId: String(payload.jobId), kind: 'render', error: { code: 'CANCELLED', message: 'Cancelled.' } });
        return { cancelled: true };
      case 'exports.start': {
        const jobId = `job-${nextJob++}`;
        const job: JobInfo = { jobId, kind: 'export', label: `Export ${String(payload.path).split('/').pop()}`, status: 'queued', progress: null, project: host.state.project.name, queuedAt: host.now() };
        jobs.push(job);
        host.emit('job.queued', job);
        return { jobId };
      }
      case 'shell.showItemInFolder':
        return { ok: true };
      case 'exports.cancel':
        host.emit('job.error', { jobId: String(payload.jobId), kind: 'export', error: { code: 'CANCELLED', message: 'Cancelled.' } });
        return { cancelled: true };
      case 'assets.write':
        return { path: `assets/${String(payload.keyframeId)}-${String(payload.kind)}.png`, url: placeholderImage(String(payload.keyframeId)) };
      case 'assets.url':
        return { url: placeholderImage(String(payload.path)) };
      case 'models.setProvider':
        return { requested: payload.provider, active: 'cpu' };
      case 'farm.get':
        return host.farm;
      case 'farm.set': {
        const url = typeof payload.url === 'string' ? payload.url.replace(/:[^:@/]*@/, ':***@') : host.farm.url;
        host.farm = { enabled: Boolean(payload.enabled), url, cacheDir: typeof payload.cacheDir === 'string' ? payload.cacheDir : host.farm.cacheDir, configured: url !== '' };
        return host.farm;
      }
      case 'farm.test':
        return { url: typeof payload.url === 'string' && payload.url ? payload.url.replace(/:[^:@/]*@/, ':***@') : host.farm.url, ...host.farmConnection };
      case 'audio.analyze':
        if (!host.audio || !host.state.project.export.audio) throw new ContractError({ code: 'NOT_FOUND', message: 'The project has no music track.' });
        return host.audio;
      default:
        throw new ContractError({ code: 'UNSUPPORTED', message: `${method} is not available in the fake host.` });
    }
  }

  return host;
}
