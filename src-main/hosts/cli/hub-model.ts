import { formatHubRef, parseHubRef, type HubRef } from '../../engine/jobs/hub-ref';
import { loadProject } from '../../project/store';
import type { ModelRef } from '../../engine/jobs/model-ref';
import { findCachedModel } from '../../services/hub/hub-cache';
import { hubEnv } from '../../services/hub/hub-env';
import { refusePulled } from '../../services/hub/model-check';
import { formatBytes, pullModel, type PullProgress, type PullResult } from '../../services/hub/pull';
import { cachedHubModelDir, classifyModelArgument } from '../../services/hub/resolve-model';
import { runWithEngine } from './engine-session';
import { formatDuration } from './progress-bar';

/** Download progress on stderr: a live line on a terminal, one line per finished file otherwise. */
export function pullProgressPrinter(stream: NodeJS.WriteStream = process.stderr): { onProgress: (p: PullProgress) => void; done: () => void } {
  let lastFiles = -1;
  let live = false;
  return {
    onProgress: (p) => {
      if (p.phase !== 'downloading') return;
      if (stream.isTTY) {
        const rate = p.bytesPerSecond ? ` ${formatBytes(p.bytesPerSecond)}/s` : '';
        const eta = p.etaMs !== null ? ` ETA ${formatDuration(p.etaMs)}` : '';
        stream.write(`\rdownloading ${formatBytes(p.doneBytes)} / ${formatBytes(p.totalBytes)}${rate}${eta}  files ${p.filesDone}/${p.filesTotal} ${p.file ?? ''}\x1b[K`);
        live = true;
      } else if (p.filesDone !== lastFiles) {
        lastFiles = p.filesDone;
        stream.write(`downloading: ${p.filesDone}/${p.filesTotal} files, ${formatBytes(p.doneBytes)} of ${formatBytes(p.totalBytes)}${p.file ? ` (${p.file})` : ''}\n`);
      }
    },
    done: () => {
      if (live) stream.write('\r\x1b[K');
    },
  };
}

/** Pull with progress, Ctrl-C to cancel (the partial file stays and the next pull resumes it). */
export async function pullWithProgress(ref: HubRef, include?: string[]): Promise<PullResult> {
  const controller = new AbortController();
  const onSigint = () => {
    process.stderr.write('\ncancelling download… (run the same pull again to resume)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const printer = pullProgressPrinter();
  try {
    return await pullModel({ ref, include, signal: controller.signal, onProgress: printer.onProgress });
  } finally {
    printer.done();
    process.off('SIGINT', onSigint);
  }
}

/** Check a pulled snapshot on the engine (models inspect); refuse a model that does not load on the CPU. */
export async function checkPulled(result: PullResult, options: { keepFiles?: boolean } = {}): Promise<void> {
  const report = await runWithEngine({ kind: 'inspect', model: { kind: 'path', path: result.dir }, provider: 'cpu' });
  refusePulled(formatHubRef(result.ref), result, hubEnv().cacheDir, report, options);
}

/**
 * `--model X` for the engine: a folder, or a Hub repo (owner/name[@revision]) from the cache,
 * pulled and checked first when it is not cached yet (unless HF_HUB_OFFLINE=1).
 */
export async function resolveCliModel(text: string | undefined): Promise<ModelRef> {
  if (!text) return { kind: 'demo' };
  const arg = classifyModelArgument(text);
  if (arg.kind === 'folder') return { kind: 'path', path: arg.path };
  const env = hubEnv();
  const cached = findCachedModel(env.cacheDir, arg.ref);
  if (cached) return { kind: 'path', path: cached.dir };
  if (env.offline) return { kind: 'path', path: cachedHubModelDir(arg.ref, env) }; // throws: not cached, offline
  process.stderr.write(`${formatHubRef(arg.ref)} is not in the Hugging Face cache: downloading it.\n`);
  const result = await pullWithProgress(arg.ref);
  await checkPulled(result);
  return { kind: 'path', path: result.dir };
}

/**
 * A project whose model (or inpainting model) is {"hub": "owner/name"}: pull what is not cached
 * before the render starts (unless HF_HUB_OFFLINE=1; the render then names what to pull).
 */
export async function pullProjectHubModels(projectFile: string): Promise<void> {
  let project;
  try {
    project = await loadProject(projectFile);
  } catch {
    return; // The render job reports what is wrong with the project file, with the field.
  }
  const env = hubEnv();
  if (env.offline) return;
  for (const ref of [project.model, project.inpaintingModel]) {
    if (!('hub' in ref)) continue;
    const hubRef = parseHubRef(ref.hub);
    if (!hubRef || findCachedModel(env.cacheDir, hubRef)) continue;
    process.stderr.write(`${ref.hub} (the project's model) is not in the Hugging Face cache: downloading it.\n`);
    await checkPulled(await pullWithProgress(hubRef));
  }
}
