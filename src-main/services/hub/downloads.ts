import { randomUUID } from 'node:crypto';
import type { HubDownload, ModelEntry, ModelReport } from '../../contract/contract';
import { isCancelled } from '../../engine/errors';
import { formatHubRef, parseHubRef } from '../../engine/jobs/hub-ref';
import { AppError } from '../errors';
import { hubEnv, type HubEnv } from './hub-env';
import { refusePulled } from './model-check';
import { pullModel, type PullOptions } from './pull';

export interface HubDownloadsDeps {
  /** Inspect a downloaded folder on the engine worker (models inspect). */
  inspect(dir: string): Promise<ModelReport>;
  /** The model list entry of a Hub model once it is in the cache. */
  entryFor(hub: string, dir: string): ModelEntry;
  /** Tell every window about a download's progress / outcome. */
  emit(state: HubDownload): void;
  /** The model list changed (a download finished). */
  changed(): Promise<void>;
  env?: () => HubEnv;
  pullOptions?: Partial<PullOptions>;
}

/**
 * The studio's Hub downloads: one pull per request, each with progress events, cancel, and the
 * after-download check; a finished model is in the model list (models.changed) at once.
 */
export class HubDownloads {
  private readonly states = new Map<string, HubDownload>();
  private readonly controllers = new Map<string, AbortController>();

  constructor(private readonly deps: HubDownloadsDeps) {}

  env(): HubEnv {
    return this.deps.env?.() ?? hubEnv();
  }

  list(): HubDownload[] {
    return [...this.states.values()];
  }

  start(repoText: string): string {
    const ref = parseHubRef(repoText);
    if (!ref) throw new AppError('BAD_REQUEST', `'${repoText}' is not a Hub repo id (owner/name or owner/name@revision).`, { path: ['repo'] });
    const name = formatHubRef(ref);
    const running = [...this.states.values()].find((s) => s.repo === name && !['done', 'failed', 'cancelled'].includes(s.phase));
    if (running) return running.downloadId;
    const downloadId = randomUUID();
    const controller = new AbortController();
    this.controllers.set(downloadId, controller);
    const update = (patch: Partial<HubDownload>) => {
      const next = { ...this.states.get(downloadId)!, ...patch };
      this.states.set(downloadId, next);
      this.deps.emit(next);
    };
    this.states.set(downloadId, { downloadId, repo: name, phase: 'resolving', doneBytes: 0, totalBytes: 0, bytesPerSecond: null, etaMs: null, filesDone: 0, filesTotal: 0 });
    this.deps.emit(this.states.get(downloadId)!);
    const env = this.env();
    void (async () => {
      try {
        const result = await pullModel({
          ...this.deps.pullOptions,
          ref,
          env,
          signal: controller.signal,
          onProgress: (p) => {
            if (p.phase === 'done') return;
            update({ phase: p.phase, doneBytes: p.doneBytes, totalBytes: p.totalBytes, bytesPerSecond: p.bytesPerSecond, etaMs: p.etaMs, filesDone: p.filesDone, filesTotal: p.filesTotal, file: p.file });
          },
        });
        update({ phase: 'checking', doneBytes: result.totalBytes, etaMs: 0 });
        refusePulled(name, result, env.cacheDir, await this.deps.inspect(result.dir));
        await this.deps.changed();
        update({ phase: 'done', model: this.deps.entryFor(name, result.dir), etaMs: 0, bytesPerSecond: null });
      } catch (error) {
        if (isCancelled(error)) update({ phase: 'cancelled', bytesPerSecond: null, etaMs: null });
        else {
          const e = error as { code?: string; message?: string; hint?: string };
          update({ phase: 'failed', bytesPerSecond: null, etaMs: null, error: { code: e.code ?? 'INTERNAL', message: e.message ?? String(error), ...(e.hint ? { hint: e.hint } : {}) } });
        }
      } finally {
        this.controllers.delete(downloadId);
      }
    })();
    return downloadId;
  }

  cancel(downloadId: string): boolean {
    const controller = this.controllers.get(downloadId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  cancelAll(): void {
    for (const c of this.controllers.values()) c.abort();
  }
}
