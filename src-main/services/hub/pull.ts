import { createHash, type Hash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statfsSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { downloadFile, HubApiError, listFiles, modelInfo, type ListFileEntry } from '@huggingface/hub';
import picomatch from 'picomatch';
import { cancelledError } from '../../engine/errors';
import { AppError } from '../errors';
import { CURATED_MODELS } from './curated';
import { findCachedModel, repoCacheDir, type CachedModel } from './hub-cache';
import { hubEnv, type HubEnv } from './hub-env';
import { formatHubRef, type HubRef } from '../../engine/jobs/hub-ref';
import { modelIndexProblem, SD_ONNX_INCLUDE, sdOnnxLayoutProblem } from './sd-layout';

/**
 * Download a model repo snapshot from the Hugging Face Hub into the Hugging Face cache.
 *
 * What @huggingface/hub does here: the revision API (modelInfo → the commit a branch or tag
 * names), the recursive tree listing (listFiles → paths, sizes, LFS sha256), the file's download
 * URL and size (downloadFile → fileDownloadInfo, following the resolve redirect) and the byte
 * stream with HTTP Range (its WebBlob and slice()), the cache folder names and the cache scan.
 * Its own snapshotDownload/downloadFileToCacheDir fall short for a multi-gigabyte model, so the
 * loop is ours and adds: an include filter, the SD layout check before anything large is fetched,
 * a free-disk check, progress (bytes, rate, ETA), cancel (an AbortSignal on every request),
 * resume of a `.incomplete` blob with Range (also after a connection drops mid-file), sha256
 * verification against the LFS id (git's sha1 for small files), HF_TOKEN / HF_ENDPOINT /
 * HF_HUB_OFFLINE, and snapshot links written only once every blob is complete and verified, so
 * `snapshots/<commit>` never holds a half-written model. Xet-backed files are fetched through the
 * resolve URL (plain HTTP), as huggingface_hub does without hf_xet.
 */

export interface PullProgress {
  readonly phase: 'resolving' | 'downloading' | 'done';
  readonly file?: string;
  readonly doneBytes: number;
  readonly totalBytes: number;
  /** Measured over this run's downloaded bytes; null before the first bytes arrive. */
  readonly bytesPerSecond: number | null;
  readonly etaMs: number | null;
  readonly filesDone: number;
  readonly filesTotal: number;
}

export interface PullOptions {
  readonly ref: HubRef;
  /** Globs of repo paths to fetch (picomatch); default: the SD ONNX folders (SD_ONNX_INCLUDE). */
  readonly include?: readonly string[];
  readonly env?: HubEnv;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: PullProgress) => void;
  /** Free bytes at a folder (tests pass their own; default statfs). */
  readonly freeBytes?: (dir: string) => number;
  /** Attempts per file after a dropped connection before giving up (the next pull resumes). */
  readonly retries?: number;
}

export interface PullResult extends CachedModel {
  readonly files: number;
  readonly totalBytes: number;
  /** Bytes fetched over the network in this run. */
  readonly downloadedBytes: number;
  /** Files whose download continued from a partial `.incomplete` blob. */
  readonly resumedFiles: number;
  /** True when the snapshot was already complete in the cache (nothing fetched). */
  readonly alreadyCached: boolean;
  /** True when this pull created the repo's cache folder (nothing of it was cached before). */
  readonly newInCache: boolean;
}

const PROGRESS_INTERVAL_MS = 200;
const DEFAULT_RETRIES = 3;

function suggestion(): string {
  return CURATED_MODELS.filter((m) => m.kind === 'text-to-image')
    .map((m) => m.repo)
    .join(' or ');
}

function freeBytesAt(dir: string): number {
  let probe = dir;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  const s = statfsSync(probe);
  return Number(s.bavail) * Number(s.bsize);
}

export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  return `${Math.max(0, Math.round(n / 1e3))} kB`;
}

/** Hub HTTP failures as one line with what to do. */
function explainHubError(error: unknown, ref: HubRef, env: HubEnv): unknown {
  if (!(error instanceof HubApiError)) return error;
  const name = formatHubRef(ref);
  if (error.statusCode === 401 || error.statusCode === 403) {
    return new AppError('HUB_GATED', `${name} is gated or private on ${env.endpoint} and ${env.token ? 'the configured token has no access to it' : 'no access token is set'}.`, {
      hint: `Accept the model's licence on its Hub page, create a read token, and set HF_TOKEN=<token> (or run huggingface-cli login).`,
      cause: error,
    });
  }
  if (error.statusCode === 404) {
    return new AppError('HUB_NOT_FOUND', `${name} was not found on ${env.endpoint} (no such repo or revision).`, {
      hint: `Check the spelling (owner/name[@revision]); curated SD 2.x ONNX exports: ${CURATED_MODELS.map((m) => m.repo).join(', ')}.`,
      cause: error,
    });
  }
  return new AppError('HUB_NETWORK', `The Hub answered ${error.statusCode} for ${name}: ${error.message.split('. URL:')[0]}`, { cause: error });
}

function isAbort(error: unknown, signal?: AbortSignal): boolean {
  return Boolean(signal?.aborted) || (error as { name?: string })?.name === 'AbortError';
}

/** The digest a complete file must have: the LFS sha256, else git's blob sha1 of the content. */
function expectedDigest(entry: ListFileEntry): { algorithm: 'sha256' | 'sha1'; hex: string; etag: string } {
  if (entry.lfs) return { algorithm: 'sha256', hex: entry.lfs.oid, etag: entry.lfs.oid };
  if (!entry.oid) throw new AppError('HUB_NETWORK', `The Hub's file list gives no id for ${entry.path}; cannot verify it.`);
  return { algorithm: 'sha1', hex: entry.oid, etag: entry.oid };
}

/**
 * A repo path from the Hub's listing is joined onto the cache folder: refuse anything that could
 * leave it (absolute, '..', backslashes, empty segments), as @huggingface/hub's own
 * validateRelativeFilename does for its downloads.
 */
export function isSafeRepoPath(path: string): boolean {
  if (!path || path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

const BLOB_ID = /^[0-9a-f]{40}$|^[0-9a-f]{64}$/;

function startHash(algorithm: 'sha256' | 'sha1', size: number): Hash {
  const hash = createHash(algorithm);
  if (algorithm === 'sha1') hash.update(`blob ${size}\0`);
  return hash;
}

async function hashExisting(file: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}

/** Link snapshots/<commit>/<path> to its blob the way huggingface_hub does (relative symlink; copy where links are not allowed). */
function linkIntoSnapshot(snapshotDir: string, path: string, blobPath: string): void {
  const target = join(snapshotDir, path);
  mkdirSync(dirname(target), { recursive: true });
  rmSync(target, { force: true });
  try {
    symlinkSync(relative(dirname(target), blobPath), target);
  } catch {
    copyFileSync(blobPath, target);
  }
}

function checkModelIndex(file: string, name: string): void {
  let index: Record<string, unknown>;
  try {
    index = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return; // A broken model_index.json is reported by models inspect, which names the file.
  }
  const wrong = modelIndexProblem(index);
  if (wrong) throw new AppError('MODEL_NOT_SD2_ONNX', `${name} cannot be used: ${wrong}.`, { hint: `Pick a Stable Diffusion 2.x ONNX export such as ${suggestion()}.` });
}

export async function pullModel(options: PullOptions): Promise<PullResult> {
  const env = options.env ?? hubEnv();
  const { ref, signal } = options;
  const name = formatHubRef(ref);
  if (env.offline) {
    const cached = findCachedModel(env.cacheDir, ref);
    if (!cached) {
      throw new AppError('HUB_OFFLINE', `${name} is not in the Hugging Face cache (${env.cacheDir}) and HF_HUB_OFFLINE=1 forbids downloading it.`, {
        hint: 'Unset HF_HUB_OFFLINE and pull it once while online, or point HF_HUB_CACHE at a cache that holds it.',
      });
    }
    return { ...cached, files: 0, totalBytes: 0, downloadedBytes: 0, resumedFiles: 0, alreadyCached: true, newInCache: false };
  }
  const fetchWithSignal: typeof fetch = (input, init) => fetch(input, { ...init, signal });
  const hub = { hubUrl: env.endpoint, accessToken: env.token, fetch: fetchWithSignal };
  const emit = options.onProgress ?? (() => undefined);
  emit({ phase: 'resolving', doneBytes: 0, totalBytes: 0, bytesPerSecond: null, etaMs: null, filesDone: 0, filesTotal: 0 });

  let commit: string;
  let entries: ListFileEntry[];
  try {
    const info = await modelInfo({ ...hub, name: ref.repo, revision: ref.revision, additionalFields: ['sha'] });
    commit = info.sha;
    entries = [];
    for await (const entry of listFiles({ ...hub, repo: { type: 'model', name: ref.repo }, revision: commit, recursive: true })) {
      if (entry.type === 'file') entries.push(entry);
    }
  } catch (error) {
    if (isAbort(error, signal)) throw cancelledError(`Downloading ${name}`);
    throw explainHubError(error, ref, env);
  }

  const unsafe = entries.find((e) => !isSafeRepoPath(e.path) || !BLOB_ID.test(e.lfs?.oid ?? e.oid ?? ''));
  if (unsafe) {
    throw new AppError('HUB_BAD_LISTING', `The Hub's file list for ${name} has an entry that cannot be stored safely: ${JSON.stringify(unsafe.path)}.`, {
      hint: 'Check HF_ENDPOINT: a real Hub never lists such paths.',
    });
  }
  const problem = sdOnnxLayoutProblem(entries.map((e) => e.path));
  if (problem) {
    throw new AppError('MODEL_NOT_SD2_ONNX', `${name} cannot be used: ${problem}.`, { hint: `Pick a Stable Diffusion 2.x ONNX export such as ${suggestion()}.` });
  }
  const include = options.include?.length ? options.include : SD_ONNX_INCLUDE;
  const matches = picomatch([...include], { dot: true });
  const wanted = entries.filter((e) => matches(e.path));
  if (wanted.length === 0) {
    throw new AppError('BAD_ARGUMENT', `No file of ${name} matches --include ${include.join(' ')}.`, { hint: `The repo has ${entries.slice(0, 5).map((e) => e.path).join(', ')}…` });
  }

  const repoDir = repoCacheDir(env.cacheDir, ref.repo);
  const newInCache = !existsSync(repoDir);
  const blobsDir = join(repoDir, 'blobs');
  const snapshotDir = join(repoDir, 'snapshots', commit);
  const plan = wanted.map((entry) => {
    const digest = expectedDigest(entry);
    const blob = join(blobsDir, digest.etag);
    const partial = `${blob}.incomplete`;
    const have = existsSync(blob) ? entry.size : existsSync(partial) ? Math.min(statSync(partial).size, entry.size) : 0;
    return { entry, digest, blob, partial, have, complete: existsSync(blob) };
  });
  // Small files first: model_index.json is checked before any weights are fetched.
  plan.sort((a, b) => a.entry.size - b.entry.size);
  const totalBytes = plan.reduce((s, p) => s + p.entry.size, 0);
  const missing = plan.reduce((s, p) => s + (p.entry.size - p.have), 0);
  const free = (options.freeBytes ?? freeBytesAt)(env.cacheDir);
  if (missing > free) {
    throw new AppError('DISK_FULL', `${name} needs ${formatBytes(missing)} more on disk but ${env.cacheDir} has ${formatBytes(free)} free.`, {
      hint: 'Free some space (latentblend models remove OWNER/NAME deletes a cached model) or set HF_HUB_CACHE to a larger disk.',
    });
  }

  const alreadyCached = plan.every((p) => p.complete) && existsSync(snapshotDir) && plan.every((p) => existsSync(join(snapshotDir, p.entry.path)));
  let done = plan.reduce((s, p) => s + p.have, 0);
  let downloaded = 0;
  let filesDone = plan.filter((p) => p.complete).length;
  let resumedFiles = 0;
  const started = performance.now();
  let lastEmit = 0;
  const report = (file: string | undefined, force = false) => {
    const now = performance.now();
    if (!force && now - lastEmit < PROGRESS_INTERVAL_MS) return;
    lastEmit = now;
    const seconds = (now - started) / 1000;
    const rate = downloaded > 0 && seconds > 0 ? downloaded / seconds : null;
    emit({
      phase: 'downloading',
      file,
      doneBytes: done,
      totalBytes,
      bytesPerSecond: rate,
      etaMs: rate ? ((totalBytes - done) / rate) * 1000 : null,
      filesDone,
      filesTotal: plan.length,
    });
  };
  report(undefined, true);
  mkdirSync(blobsDir, { recursive: true });

  for (const item of plan) {
    if (item.complete) continue;
    const { entry, digest } = item;
    const hash = startHash(digest.algorithm, entry.size);
    let have = item.have;
    if (have > 0) {
      resumedFiles++;
      await hashExisting(item.partial, hash);
    }
    const retries = options.retries ?? DEFAULT_RETRIES;
    let failures = 0;
    while (have < entry.size || (entry.size === 0 && !existsSync(item.partial))) {
      if (signal?.aborted) throw cancelledError(`Downloading ${name}`);
      const handle = await open(item.partial, 'a');
      try {
        if (entry.size === 0) break;
        // xet: false — fetch xet-backed files through the resolve URL (plain HTTP + Range).
        const blob = await downloadFile({ ...hub, repo: { type: 'model', name: ref.repo }, path: entry.path, revision: commit, xet: false });
        if (!blob) throw new AppError('HUB_NOT_FOUND', `${entry.path} is listed in ${name} but the Hub has no such file at ${commit}.`);
        const stream = have > 0 ? blob.slice(have).stream() : blob.stream();
        for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
          const room = entry.size - have;
          const part = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
          await handle.write(part);
          hash.update(part);
          have += part.byteLength;
          done += part.byteLength;
          downloaded += part.byteLength;
          failures = 0;
          report(entry.path);
        }
        await handle.sync();
      } catch (error) {
        if (isAbort(error, signal)) throw cancelledError(`Downloading ${name}`);
        if (error instanceof AppError) throw error;
        const explained = explainHubError(error, ref, env);
        if (explained instanceof AppError) throw explained;
        failures++;
        if (failures > retries) {
          throw new AppError('HUB_NETWORK', `Downloading ${entry.path} of ${name} failed ${failures} times in a row: ${(error as Error).message ?? String(error)}.`, {
            hint: `Run the same pull again: it resumes from ${formatBytes(have)} of ${formatBytes(entry.size)}.`,
            cause: error,
          });
        }
      } finally {
        await handle.close();
      }
      if (have < entry.size && failures === 0) {
        // The stream ended early without an error: treat it like a drop and resume.
        failures++;
        if (failures > retries) throw new AppError('HUB_NETWORK', `The Hub ended ${entry.path} of ${name} early at ${formatBytes(have)} of ${formatBytes(entry.size)}.`, { hint: 'Run the same pull again to resume.' });
      }
    }
    const hex = hash.digest('hex');
    if (hex !== digest.hex) {
      rmSync(item.partial, { force: true });
      throw new AppError('HUB_CHECKSUM', `${entry.path} of ${name} arrived damaged: its ${digest.algorithm} is ${hex.slice(0, 12)}… but the Hub lists ${digest.hex.slice(0, 12)}…; the partial file was deleted.`, {
        hint: 'Run the pull again; if it happens again, a proxy or mirror (HF_ENDPOINT) is altering files.',
      });
    }
    renameSync(item.partial, item.blob);
    filesDone++;
    report(entry.path, true);
    if (entry.path === 'model_index.json') checkModelIndex(item.blob, name);
  }

  // Every blob is complete and verified: only now does the snapshot (where a model is expected) appear.
  const building = existsSync(snapshotDir) ? snapshotDir : `${snapshotDir}.incomplete-${process.pid}`;
  if (building !== snapshotDir) rmSync(building, { recursive: true, force: true });
  for (const item of plan) linkIntoSnapshot(building, item.entry.path, item.blob);
  if (building !== snapshotDir) renameSync(building, snapshotDir);
  if (ref.revision !== commit) {
    mkdirSync(dirname(join(repoDir, 'refs', ref.revision)), { recursive: true });
    const refFile = join(repoDir, 'refs', ref.revision);
    const tmp = `${refFile}.tmp-${process.pid}`;
    writeFileSync(tmp, commit);
    renameSync(tmp, refFile);
  }

  const index = plan.find((p) => p.entry.path === 'model_index.json');
  if (index) checkModelIndex(index.blob, name);
  emit({ phase: 'done', doneBytes: totalBytes, totalBytes, bytesPerSecond: null, etaMs: 0, filesDone: plan.length, filesTotal: plan.length });
  return { ref, commit, dir: snapshotDir, files: plan.length, totalBytes, downloadedBytes: downloaded, resumedFiles, alreadyCached, newInCache };
}
