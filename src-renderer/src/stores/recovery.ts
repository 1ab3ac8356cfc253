import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { RecoveryEntry } from '../../../src-main/contract/contract';
import { transport } from '../api/transport';
import { useProjectStore } from './project';

/** Autosaves the host kept from a studio that closed before saving (offered once at start). */
export const useRecoveryStore = defineStore('recovery', () => {
  const entries = ref<RecoveryEntry[]>([]);

  /** Ask the host what can be recovered; a host without recovery simply offers none. */
  async function load(): Promise<void> {
    try {
      entries.value = (await transport().invoke('project.recoverable', {})).entries;
    } catch {
      entries.value = [];
    }
  }

  /** Open the draft in place of the open project (the caller asked about unsaved work first). */
  async function recover(entry: RecoveryEntry): Promise<void> {
    useProjectStore().adopt(await transport().invoke('project.recover', { id: entry.id }));
    entries.value = [];
  }

  /** Delete the draft; it leaves the list even when the host could not delete it (the error is rethrown). */
  async function discard(entry: RecoveryEntry): Promise<void> {
    try {
      await transport().invoke('project.discardRecovery', { id: entry.id });
    } finally {
      entries.value = entries.value.filter((x) => x.id !== entry.id);
    }
  }

  function dismiss(): void {
    entries.value = [];
  }

  return { entries, load, recover, discard, dismiss };
});
