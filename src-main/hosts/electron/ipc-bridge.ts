import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { METHOD_NAMES, type InvokeResult } from '../../contract/contract';
import type { Router } from '../../ipc/router';
import type { EventHub } from '../../services/events';
import { isTrustedSender } from './window-options';

export interface IpcBridgeOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  router: Router;
  events: EventHub;
  /** The studio window, or null while there is none. */
  window: () => { webContents: Pick<WebContents, 'id' | 'send' | 'isDestroyed'> } | null;
  appUrl: () => string;
}

/**
 * Main-process side of the Electron transport: one `ipcMain.handle` channel per contract method
 * (the preload allow-lists the same names), senders checked, every event forwarded to the window.
 * Returns a function that removes it all.
 */
export function bindIpc(options: IpcBridgeOptions): () => void {
  for (const method of METHOD_NAMES) {
    options.ipcMain.handle(method, async (event: IpcMainInvokeEvent, payload: unknown): Promise<InvokeResult> => {
      if (!isTrustedSender(event as never, options.window(), options.appUrl())) {
        return { ok: false, error: { code: 'FORBIDDEN', message: 'IPC is only answered for the studio page in the main window.' } };
      }
      return options.router.handle(method, payload);
    });
  }
  const unsubscribe = options.events.subscribe((event, payload) => {
    const win = options.window();
    if (win && !win.webContents.isDestroyed()) win.webContents.send(event, payload);
  });
  return () => {
    unsubscribe();
    for (const method of METHOD_NAMES) options.ipcMain.removeHandler(method);
  };
}
