import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The public Hub; HF_ENDPOINT replaces it (mirrors, and the tests' local hub). */
export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

export interface HubEnv {
  /** Base URL of the Hub, without a trailing slash. */
  readonly endpoint: string;
  /** Access token for gated and private repos, when one is configured. */
  readonly token?: string;
  /** HF_HUB_OFFLINE: use the cache only, never the network. */
  readonly offline: boolean;
  /** The hub cache folder (models--owner--name/… live in it). */
  readonly cacheDir: string;
}

/** huggingface_hub's reading of a boolean variable ("1", "ON", "YES", "TRUE", any case). */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 'on', 'yes', 'true'].includes(value.trim().toLowerCase());
}

function hfHome(env: NodeJS.ProcessEnv): string {
  return env.HF_HOME ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'huggingface');
}

/** HF_TOKEN, else the token file `huggingface-cli login` writes (HF_TOKEN_PATH, default $HF_HOME/token). */
function readToken(env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env.HF_TOKEN?.trim() || env.HUGGING_FACE_HUB_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  const file = env.HF_TOKEN_PATH ?? join(hfHome(env), 'token');
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8').trim() || undefined;
}

/**
 * The Hub settings the Python tools use, read from the environment: HF_ENDPOINT, HF_TOKEN (or the
 * login token file), HF_HUB_OFFLINE, and the cache folder. The cache folder comes from
 * @huggingface/hub's getHFHubCachePath (HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME/hub,
 * XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub — huggingface_hub's order), so files
 * are shared with Python and other apps.
 */
export function hubEnv(env: NodeJS.ProcessEnv = process.env): HubEnv {
  const endpoint = (env.HF_ENDPOINT?.trim() || DEFAULT_HUB_ENDPOINT).replace(/\/+$/, '');
  const cacheDir = env.HF_HUB_CACHE ?? env.HUGGINGFACE_HUB_CACHE ?? join(hfHome(env), 'hub');
  return { endpoint, token: readToken(env), offline: isTrue(env.HF_HUB_OFFLINE), cacheDir };
}
