import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getRepoFolderName, scanCacheDir } from '@huggingface/hub';
import { readModelFolder } from '../../engine/sd/model-folder';
import { AppError } from '../errors';
import type { HubRef } from '../../engine/jobs/hub-ref';

/**
 * The Hugging Face cache layout, as huggingface_hub (Python) and @huggingface/hub write it:
 * `<cache>/models--owner--name/{blobs/<etag>, snapshots/<commit>/<path> → ../../blobs/<etag>,
 * refs/<revision> = <commit>}`. A download in progress is `blobs/<etag>.incomplete`.
 */
export function repoCacheDir(cacheDir: string, repo: string): string {
  return join(cacheDir, getRepoFolderName({ type: 'model', name: repo }));
}

const COMMIT = /^[0-9a-f]{40}$/;

/** The commit a revision names in the cache (refs/<revision>, or the revision itself when it is a commit). */
export function cachedCommit(cacheDir: string, ref: HubRef): string | undefined {
  const dir = repoCacheDir(cacheDir, ref.repo);
  if (COMMIT.test(ref.revision)) return existsSync(join(dir, 'snapshots', ref.revision)) ? ref.revision : undefined;
  const refFile = join(dir, 'refs', ref.revision);
  if (!existsSync(refFile)) return undefined;
  const commit = readFileSync(refFile, 'utf8').trim();
  return COMMIT.test(commit) ? commit : undefined;
}

export interface CachedModel {
  readonly ref: HubRef;
  readonly commit: string;
  readonly dir: string;
}

/** The snapshot folder of a cached repo revision, or undefined when it is not in the cache. */
export function findCachedModel(cacheDir: string, ref: HubRef): CachedModel | undefined {
  const commit = cachedCommit(cacheDir, ref);
  if (!commit) return undefined;
  const dir = join(repoCacheDir(cacheDir, ref.repo), 'snapshots', commit);
  return existsSync(dir) ? { ref, commit, dir } : undefined;
}

export interface CachedRepoSummary {
  readonly repo: string;
  /** refs (branch/tag names) → commit. */
  readonly refs: Record<string, string>;
  readonly snapshots: { commit: string; dir: string; usable: boolean; problem?: string }[];
  /** Bytes of complete blobs on disk. */
  readonly bytes: number;
  /** Bytes in `.incomplete` files: a download that can be resumed. */
  readonly partialBytes: number;
}

/**
 * Every model repo in the cache with its snapshots and whether each one is a usable SD ONNX
 * folder. Sizes and revisions come from @huggingface/hub's scanCacheDir; the partial downloads
 * and the usability check are ours.
 */
export async function listCachedRepos(cacheDir: string): Promise<CachedRepoSummary[]> {
  if (!existsSync(cacheDir)) return [];
  const scan = await scanCacheDir(cacheDir);
  const out: CachedRepoSummary[] = [];
  for (const repo of scan.repos) {
    if (repo.id.type !== 'model') continue;
    const refs: Record<string, string> = {};
    for (const rev of repo.revisions) for (const r of rev.refs) refs[r] = rev.commitOid;
    const snapshots = repo.revisions.map((rev) => {
      try {
        readModelFolder(rev.path);
        return { commit: rev.commitOid, dir: rev.path, usable: true };
      } catch (error) {
        return { commit: rev.commitOid, dir: rev.path, usable: false, problem: (error as Error).message };
      }
    });
    const blobs = join(repo.path, 'blobs');
    const partialBytes = existsSync(blobs)
      ? readdirSync(blobs)
          .filter((f) => f.endsWith('.incomplete'))
          .reduce((sum, f) => sum + statSync(join(blobs, f)).size, 0)
      : 0;
    out.push({ repo: repo.id.name, refs, snapshots, bytes: repo.size, partialBytes });
  }
  // A repo whose first download was cancelled has no snapshot yet but does have partial blobs.
  for (const entry of readdirSync(cacheDir)) {
    const m = /^models--(.+)$/.exec(entry);
    if (!m) continue;
    const repo = m[1].split('--').join('/');
    if (out.some((r) => r.repo === repo)) continue;
    const blobs = join(cacheDir, entry, 'blobs');
    if (!existsSync(blobs)) continue;
    const partialBytes = readdirSync(blobs)
      .filter((f) => f.endsWith('.incomplete'))
      .reduce((sum, f) => sum + statSync(join(blobs, f)).size, 0);
    out.push({ repo, refs: {}, snapshots: [], bytes: 0, partialBytes });
  }
  return out.sort((a, b) => a.repo.localeCompare(b.repo));
}

/** Delete a repo from the cache (every revision and partial download). */
export function removeCachedRepo(cacheDir: string, repo: string): string {
  const dir = repoCacheDir(cacheDir, repo);
  if (!existsSync(dir)) {
    throw new AppError('NOT_FOUND', `${repo} is not in the Hugging Face cache at ${cacheDir}.`, {
      hint: "Run 'latentblend models list' to see the cached models.",
    });
  }
  rmSync(dir, { recursive: true, force: true });
  return dir;
}


