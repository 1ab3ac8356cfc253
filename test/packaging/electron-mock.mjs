// A stand-in for the `electron` module, so the built main process (out/main/index.js) can run
// under plain Node in a test. It records what the app asks of Electron on stdout, one
// `ELECTRON-MOCK {json}` line per call the test cares about.
const report = (kind, value) => process.stdout.write(`ELECTRON-MOCK ${JSON.stringify({ kind, value })}\n`);
const noop = () => {};

export const app = {
  requestSingleInstanceLock: () => true,
  on: noop,
  whenReady: () => Promise.resolve(),
  getVersion: () => '0.0.0-mock',
  isPackaged: false,
  quit: () => process.exit(0),
  exit: (code) => process.exit(code),
};
export const protocol = { registerSchemesAsPrivileged: (schemes) => report('registerSchemes', schemes.map((s) => s.scheme)), handle: (scheme) => report('protocol', scheme) };
export const session = {
  defaultSession: { setPermissionRequestHandler: noop, setPermissionCheckHandler: noop, setDevicePermissionHandler: noop, webRequest: { onHeadersReceived: noop } },
};
export const ipcMain = { handle: noop, removeHandler: noop, on: noop };
export const Menu = { buildFromTemplate: (template) => template, setApplicationMenu: noop };
export const dialog = { showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showSaveDialog: async () => ({ canceled: true }), showErrorBox: (title, text) => report('errorBox', { title, text }) };
export const shell = { openExternal: noop };

export class BrowserWindow {
  constructor(options) {
    report('window', { preload: options.webPreferences?.preload, sandbox: options.webPreferences?.sandbox, contextIsolation: options.webPreferences?.contextIsolation });
    this.webContents = { setWindowOpenHandler: noop, on: noop, isDestroyed: () => false, send: noop };
  }
  once = noop;
  on = noop;
  show = noop;
  async loadFile(file) {
    report('loadFile', file);
  }
  async loadURL(url) {
    report('loadURL', url);
  }
}

export default { app, protocol, session, ipcMain, Menu, dialog, shell, BrowserWindow };
