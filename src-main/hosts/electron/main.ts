import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, session, shell, type MenuItemConstructorOptions } from 'electron';
import { EngineClient } from '../../engine/worker/client';
import { projectJobs, type ProjectJobs } from '../../services/project-jobs';
import { handlersFor } from '../../ipc/handlers';
import { createRouter } from '../../ipc/router';
import { engineFromClient } from '../../services/engine';
import { createStudio, type Dialogs, type Studio } from '../../services/studio';
import { desktopShell } from './desktop-shell';
import { bindIpc } from './ipc-bridge';
import { handleMediaRequest } from './media-protocol';
import { menuTemplate, type MenuItemSpec } from './menu';
import { MEDIA_SCHEME, contentSecurityPolicy, isAllowedExternalUrl, isAppUrl, projectFromArgv, studioWindowOptions } from './window-options';

/**
 * The Electron main process: one window with the studio, the engine worker, the services and
 * the IPC bridge. Runs from electron-vite's bundle (out/main/index.js, next to engine-worker.js
 * and out/preload/preload.cjs).
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const devServer = process.env.ELECTRON_RENDERER_URL;
const appUrl = devServer ?? pathToFileURL(path.join(here, '../renderer/index.html')).href;

// Must happen before `ready`: lets <img>/<video> stream lbs-media:// with Range and fetch().
protocol.registerSchemesAsPrivileged([{ scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);

let window: BrowserWindow | null = null;
let studio: Studio | null = null;
let engine: EngineClient<ProjectJobs> | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv) => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
    const file = projectFromArgv(argv);
    if (file) void openFromCommandLine(file);
  });
  app.whenReady().then(start, (error) => {
    console.error(error);
    app.exit(1);
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    void studio?.dispose();
    void engine?.dispose();
  });
}

const dialogs: Dialogs = {
  async pick(request) {
    if (!window) return null;
    const filters =
      request.purpose === 'project'
        ? [{ name: 'Latent Blending project', extensions: ['lbs.json', 'json'] }]
        : request.purpose === 'export'
          ? [{ name: 'Video', extensions: ['mp4', 'webm', 'gif'] }]
          : request.purpose === 'audio'
            ? [{ name: 'Audio', extensions: ['wav', 'mp3', 'm4a', 'ogg', 'flac'] }]
            : request.purpose === 'image' || request.purpose === 'mask'
              ? [{ name: 'PNG image', extensions: ['png'] }]
              : [];
    if (request.mode === 'save') {
      const r = await dialog.showSaveDialog(window, { defaultPath: request.defaultPath, filters });
      return r.canceled ? null : (r.filePath ?? null);
    }
    const r = await dialog.showOpenDialog(window, {
      defaultPath: request.defaultPath,
      filters,
      properties: [request.mode === 'folder' || request.purpose === 'model' ? 'openDirectory' : 'openFile'],
    });
    return r.canceled ? null : (r.filePaths[0] ?? null);
  },
};

async function openFromCommandLine(file: string): Promise<void> {
  try {
    await studio?.projects.open(path.resolve(file));
  } catch (error) {
    if (window) dialog.showErrorBox('Could not open the project', (error as Error).message);
  }
}

function toElectronMenu(items: MenuItemSpec[]): MenuItemConstructorOptions[] {
  return items.map(({ command, submenu, ...item }) => ({
    ...item,
    ...(submenu ? { submenu: toElectronMenu(submenu) } : {}),
    ...(command ? { click: () => studio?.events.emit('app.command', { command }) } : {}),
  }));
}

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  const csp = contentSecurityPolicy({ dev: Boolean(devServer), devServer });
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
}

async function start(): Promise<void> {
  hardenSession();
  engine = new EngineClient({ entry: new URL('./engine-worker.js', import.meta.url), jobs: projectJobs });
  studio = createStudio({ engine: engineFromClient(engine), host: 'electron', mediaBase: `${MEDIA_SCHEME}://media`, version: app.getVersion(), dialogs, shell: desktopShell });
  const router = createRouter(handlersFor(studio), { onInternalError: (method, error) => console.error(`internal error in ${method}:`, error) });
  protocol.handle(MEDIA_SCHEME, (request) => handleMediaRequest(studio!.media, request));
  bindIpc({ ipcMain, router, events: studio.events, window: () => window, appUrl: () => appUrl });
  Menu.setApplicationMenu(Menu.buildFromTemplate(toElectronMenu(menuTemplate(process.platform, { devTools: !app.isPackaged }))));

  const file = projectFromArgv(process.argv);
  if (file) await openFromCommandLine(file);

  window = new BrowserWindow(studioWindowOptions(path.join(here, '../preload/preload.cjs')));
  window.once('ready-to-show', () => window?.show());
  window.on('closed', () => (window = null));
  const contents = window.webContents;
  // No pop-ups; links to the few allowed sites open in the user's browser instead.
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  await (devServer ? window.loadURL(devServer) : window.loadFile(path.join(here, '../renderer/index.html')));
}
