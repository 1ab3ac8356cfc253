import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventName, isMethodName } from '../../contract/channels';
import type { Bridge, InvokeResult } from '../../contract/contract';

/**
 * The only thing the page gets from Electron: `window.bridge` with `invoke` and `subscribe`,
 * limited to the contract's method and event names. No ipcRenderer, no Node, no other channel.
 */
export const bridge: Bridge = {
  invoke(method, payload): Promise<InvokeResult> {
    if (!isMethodName(method)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `There is no method "${String(method)}".` } });
    }
    return ipcRenderer.invoke(method, payload) as Promise<InvokeResult>;
  },
  subscribe(event, handler) {
    if (!isEventName(event)) throw new Error(`There is no event "${String(event)}".`);
    if (typeof handler !== 'function') throw new Error('subscribe needs a handler function.');
    // The IPC event object (with its sender) never reaches the page: only the payload does.
    const listener = (_e: IpcRendererEvent, payload: unknown) => handler(payload);
    ipcRenderer.on(event, listener);
    return () => {
      ipcRenderer.removeListener(event, listener);
    };
  },
};

contextBridge.exposeInMainWorld('bridge', bridge);
