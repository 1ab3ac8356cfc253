import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { HubDownload, ModelEntry, ProviderName, ProviderState, RecentEntry, Response } from '../../../src-main/contract/contract';
import { describeError } from '../api/errors';
import { transport } from '../api/transport';

export type DialogName = 'open' | 'saveAs' | 'export' | 'mask' | null;
export type DiscardAnswer = 'save' | 'discard' | 'cancel';

const INFO_TOAST_MS = 3500;
const ACTION_TOAST_MS = 8000;

export interface ToastAction {
  readonly label: string;
  readonly run: () => void;
  /** While false the button is hidden (the action no longer applies, e.g. later edits). */
  readonly available?: () => boolean;
}

export interface Toast {
  readonly id: number;
  readonly kind: 'error' | 'info';
  readonly message: string;
  readonly action?: ToastAction;
}

/** Host facts (name, demo label, provider, models), dialogs and messages. */
export const useAppStore = defineStore('app', () => {
  const info = ref<Response<'app.info'> | null>(null);
  const models = ref<ModelEntry[]>([]);
  const provider = ref<ProviderState | null>(null);
  /** Hub downloads of this session by id, latest state first-come; kept after they end to show the outcome. */
  const downloads = ref<Record<string, HubDownload>>({});
  const recent = ref<RecentEntry[]>([]);
  const dialog = ref<DialogName>(null);
  const toasts = ref<Toast[]>([]);
  /** The question "save your changes?" while it is on screen. */
  const discardQuestion = ref<{ action: string; resolve: (answer: DiscardAnswer) => void } | null>(null);
  let nextToast = 1;

  async function load(): Promise<void> {
    const t = transport();
    info.value = await t.invoke('app.info', {});
    provider.value = info.value.provider;
    const list = await t.invoke('models.list', {});
    models.value = list.models;
    provider.value = list.provider;
    t.subscribe('models.changed', (m) => {
      models.value = m.models;
      provider.value = m.provider;
    });
    t.subscribe('models.download', (d) => {
      downloads.value = { ...downloads.value, [d.downloadId]: d };
    });
  }

  /** Start a Hub download (owner/name[@revision]); its progress arrives as models.download. */
  async function pullModel(repo: string): Promise<string | null> {
    try {
      const { downloadId } = await transport().invoke('models.pull', { repo });
      if (!downloads.value[downloadId]) {
        downloads.value = {
          ...downloads.value,
          [downloadId]: { downloadId, repo, phase: 'resolving', doneBytes: 0, totalBytes: 0, bytesPerSecond: null, etaMs: null, filesDone: 0, filesTotal: 0 },
        };
      }
      return downloadId;
    } catch (error) {
      notify('error', describeError(error));
      return null;
    }
  }

  async function cancelPull(downloadId: string): Promise<void> {
    try {
      await transport().invoke('models.cancelPull', { downloadId });
    } catch (error) {
      notify('error', describeError(error));
    }
  }

  async function loadRecent(): Promise<void> {
    try {
      recent.value = (await transport().invoke('project.recent', {})).entries;
    } catch (error) {
      notify('error', describeError(error));
    }
  }

  async function setProvider(name: ProviderName): Promise<void> {
    try {
      provider.value = await transport().invoke('models.setProvider', { provider: name });
    } catch (error) {
      notify('error', describeError(error));
    }
  }

  function notify(kind: Toast['kind'], message: string, action?: ToastAction): void {
    const toast: Toast = { id: nextToast++, kind, message, ...(action ? { action } : {}) };
    toasts.value = [...toasts.value.slice(-3), toast];
    // Confirmations fade by themselves (an undoable one stays longer); errors stay until dismissed.
    if (kind === 'info') setTimeout(() => dismiss(toast.id), action ? ACTION_TOAST_MS : INFO_TOAST_MS);
  }

  /** Run a toast's action once and take the toast away. */
  function act(id: number): void {
    const toast = toasts.value.find((t) => t.id === id);
    dismiss(id);
    if (toast?.action && (toast.action.available?.() ?? true)) toast.action.run();
  }

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  /** Ask before losing unsaved work; resolves with the user's answer. */
  function askDiscard(action: string): Promise<DiscardAnswer> {
    return new Promise((resolve) => {
      discardQuestion.value = {
        action,
        resolve: (answer) => {
          discardQuestion.value = null;
          resolve(answer);
        },
      };
    });
  }

  /** Add a model folder after the host checked its layout (a wrong folder is refused with the reason). */
  async function addModelFolder(path: string): Promise<ModelEntry> {
    return (await transport().invoke('models.add', { path })).model;
  }

  /** The Hub's curated models, its cache folder and this session's downloads. */
  async function hubModels(): Promise<Response<'models.hub'>> {
    return transport().invoke('models.hub', {});
  }

  return {
    info,
    models,
    provider,
    downloads,
    pullModel,
    cancelPull,
    addModelFolder,
    hubModels,
    recent,
    dialog,
    toasts,
    discardQuestion,
    load,
    loadRecent,
    setProvider,
    notify,
    act,
    dismiss,
    askDiscard,
  };
});
