import { existsSync, statSync } from 'node:fs';
import { formatHubRef, parseHubRef, type HubRef } from '../../engine/jobs/hub-ref';
import { AppError } from '../errors';
import { findCachedModel } from './hub-cache';
import { hubEnv, type HubEnv } from './hub-env';

/**
 * A model argument (`--model X`, a project's model) names a folder when such a folder exists,
 * else a Hub repo `owner/name[@revision]` resolved through the Hugging Face cache.
 */
export type ModelArgument = { kind: 'folder'; path: string } | { kind: 'hub'; ref: HubRef };

export function classifyModelArgument(text: string): ModelArgument {
  if (existsSync(text) && statSync(text).isDirectory()) return { kind: 'folder', path: text };
  const ref = parseHubRef(text);
  return ref ? { kind: 'hub', ref } : { kind: 'folder', path: text };
}

/** The snapshot folder of a cached Hub model; a clear error when it has not been pulled. */
export function cachedHubModelDir(ref: HubRef, env: HubEnv = hubEnv()): string {
  const cached = findCachedModel(env.cacheDir, ref);
  if (cached) return cached.dir;
  const name = formatHubRef(ref);
  throw new AppError('MODEL_NOT_DOWNLOADED', `${name} is not in the Hugging Face cache (${env.cacheDir}).`, {
    hint: env.offline
      ? 'HF_HUB_OFFLINE=1 is set: pull it once while online, or point HF_HUB_CACHE at a cache that holds it.'
      : `Download it first: latentblend models pull ${name} (or the Models panel in the studio).`,
  });
}
