import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { FarmSettings } from '../../../src-main/contract/contract';
import { describeError } from '../api/errors';
import { transport } from '../api/transport';

/**
 * The "Render on farm" setting: movie renders go to `latentblend worker`s through the farm's
 * Redis. The host keeps the URL (the UI only ever sees it with the password masked).
 */
export const useFarmStore = defineStore('farm', () => {
  const settings = ref<FarmSettings>({ enabled: false, url: '', cacheDir: '', configured: false });
  /** The last connection test: what it found, or why it failed. */
  const test = ref<{ ok: true; text: string } | { ok: false; text: string } | null>(null);
  const testing = ref(false);
  const error = ref<string | null>(null);

  async function load(): Promise<void> {
    settings.value = await transport().invoke('farm.get', {});
  }

  /** `url` undefined keeps the stored one. */
  async function save(change: { enabled: boolean; url?: string; cacheDir?: string }): Promise<boolean> {
    try {
      settings.value = await transport().invoke('farm.set', change);
      error.value = null;
      return true;
    } catch (e) {
      error.value = describeError(e);
      return false;
    }
  }

  async function testConnection(url?: string): Promise<void> {
    testing.value = true;
    try {
      const r = await transport().invoke('farm.test', url ? { url } : {});
      const workers = r.workers === 0 ? 'no worker connected yet' : `${r.workers} worker${r.workers === 1 ? '' : 's'} connected`;
      test.value = { ok: true, text: `Connected to ${r.url} (Redis ${r.redisVersion}), ${workers}.` };
    } catch (e) {
      test.value = { ok: false, text: describeError(e) };
    } finally {
      testing.value = false;
    }
  }

  return { settings, test, testing, error, load, save, testConnection };
});
