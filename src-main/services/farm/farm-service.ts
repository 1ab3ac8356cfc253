import type { FarmSettings } from '../../contract/contract';
import { AppError } from '../errors';
import type { SettingsStore } from '../settings';
import { checkFarmConnection, type FarmConnectionInfo } from './connection';
import { FarmUrlError, redactedUrl, redisOptionsFromUrl } from './redis-url';

/**
 * The studio's "Render on farm" setting: stored in the settings file (the password stays on
 * this machine: the UI sees the URL masked), checked when set, tested on demand. The studio
 * only connects out to Redis; it never exposes it.
 */
export class FarmService {
  constructor(private readonly settings: SettingsStore) {}

  async get(): Promise<FarmSettings> {
    const { farm } = await this.settings.read();
    return { enabled: farm.enabled, url: farm.url ? redactedUrl(farm.url) : '', cacheDir: farm.cacheDir, configured: farm.url !== '' };
  }

  async set(request: { enabled: boolean; url?: string; cacheDir?: string }): Promise<FarmSettings> {
    const current = (await this.settings.read()).farm;
    const url = request.url === undefined ? current.url : request.url.trim();
    if (url !== '') checkUrl(url);
    if (request.enabled && url === '') {
      throw new AppError('BAD_REQUEST', 'Render on farm needs the Redis URL of the farm.', { path: ['url'], hint: 'Enter redis://[:PASSWORD@]HOST:PORT, test the connection, then switch it on.' });
    }
    await this.settings.update((s) => ({ ...s, farm: { enabled: request.enabled, url, cacheDir: request.cacheDir ?? current.cacheDir } }));
    return this.get();
  }

  async test(url?: string): Promise<FarmConnectionInfo> {
    const target = url?.trim() || (await this.settings.read()).farm.url;
    if (!target) throw new AppError('BAD_REQUEST', 'There is no farm URL to test.', { path: ['url'], hint: 'Enter redis://[:PASSWORD@]HOST:PORT first.' });
    checkUrl(target);
    return checkFarmConnection(target);
  }

  /** Where movie renders go: the farm's URL and shared cache, or undefined to render here. */
  async target(): Promise<{ url: string; cacheDir?: string } | undefined> {
    const { farm } = await this.settings.read();
    return farm.enabled && farm.url ? { url: farm.url, ...(farm.cacheDir ? { cacheDir: farm.cacheDir } : {}) } : undefined;
  }
}

function checkUrl(url: string): void {
  try {
    redisOptionsFromUrl(url);
  } catch (error) {
    if (error instanceof FarmUrlError) throw new AppError('BAD_REQUEST', `Render farm URL: ${error.message}`, { path: ['url'], hint: error.hint });
    throw error;
  }
}
