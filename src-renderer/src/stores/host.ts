import { defineStore } from 'pinia';
import type { Request } from '../../../src-main/contract/contract';
import { transport } from '../api/transport';

/** The operating system through the host: its file dialogs and file manager. */
export const useHostStore = defineStore('host', () => {
  /** The system's file or folder dialog; resolves with the chosen path, or null when cancelled. */
  async function pick(mode: Request<'dialog.pick'>['mode'], purpose: Request<'dialog.pick'>['purpose']): Promise<string | null> {
    return (await transport().invoke('dialog.pick', { mode, purpose })).path ?? null;
  }

  async function showInFolder(path: string): Promise<void> {
    await transport().invoke('shell.showItemInFolder', { path });
  }

  return { pick, showInFolder };
});
