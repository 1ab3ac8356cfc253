/**
 * The security settings of the studio window, as plain data so a test can assert them without
 * Electron. Everything the renderer needs goes through `window.bridge` (the preload); the page
 * itself gets no Node, no remote content, no new windows, no permissions.
 */

export const MEDIA_SCHEME = 'lbs-media';
export const MEDIA_BASE = `${MEDIA_SCHEME}://media`;

/**
 * The CSP of the studio page: sent as a header (dev server) and, because a page loaded from
 * `file://` gets no response headers, as a meta tag the renderer build writes into index.html
 * (`meta: true` leaves out frame-ancestors, which browsers ignore in a meta tag).
 */
export function contentSecurityPolicy(options: { dev?: boolean; devServer?: string; meta?: boolean } = {}): string {
  const dev = options.dev && options.devServer ? ` ${options.devServer} ${options.devServer.replace(/^http/, 'ws')}` : '';
  return [
    "default-src 'self'",
    `script-src 'self'${dev}`,
    `style-src 'self' 'unsafe-inline'${dev}`,
    `img-src 'self' blob: data: ${MEDIA_SCHEME}:`,
    `media-src 'self' blob: ${MEDIA_SCHEME}:`,
    // The mask painter fetch()es the keyframe still and mask to paint over them.
    `connect-src 'self' ${MEDIA_SCHEME}:${dev}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-src 'none'",
    ...(options.meta ? [] : ["frame-ancestors 'none'"]),
    "form-action 'none'",
  ].join('; ');
}

/** Sites a link in the studio may open in the user's browser; anything else is not opened. */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['huggingface.co', 'github.com'];

/** Whether `shell.openExternal` may be given `url`: https only, to an allowed host or its subdomain. */
export function isAllowedExternalUrl(url: string): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol !== 'https:' || target.username || target.password || target.port) return false;
  return EXTERNAL_LINK_HOSTS.some((host) => target.hostname === host || target.hostname.endsWith(`.${host}`));
}

export interface StudioWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  title: string;
  show: boolean;
  backgroundColor: string;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    experimentalFeatures: false;
    navigateOnDragDrop: false;
    spellcheck: boolean;
  };
}

export function studioWindowOptions(preload: string): StudioWindowOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Latent Blending Studio',
    // Shown on ready-to-show, so the user never sees an empty white frame.
    show: false,
    backgroundColor: '#16181d',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: true,
    },
  };
}

/**
 * Whether the window may show `url`: only the studio page itself (same file, or the dev server
 * in development). Everything else — links, dropped files, redirects — is refused.
 */
export function isAppUrl(url: string, appUrl: string): boolean {
  let target: URL;
  let app: URL;
  try {
    target = new URL(url);
    app = new URL(appUrl);
  } catch {
    return false;
  }
  if (app.protocol === 'file:') return target.protocol === 'file:' && target.pathname === app.pathname;
  return target.origin === app.origin;
}

/** The part of an IPC event that identifies who sent it. */
export interface IpcSender {
  senderFrame: { url: string; parent: unknown | null } | null;
  sender: { id: number };
}

/** IPC is answered only for the main frame of our own window showing our own page. */
export function isTrustedSender(event: IpcSender, window: { webContents: { id: number } } | null, appUrl: string): boolean {
  if (!window || event.sender.id !== window.webContents.id) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url, appUrl);
}

/** The project file named on the command line (`latentblend-studio movie.lbs.json`), if any. */
export function projectFromArgv(argv: readonly string[]): string | undefined {
  return argv.slice(1).find((a) => !a.startsWith('-') && /\.json$/i.test(a));
}
