import { describe, expect, it } from 'vitest';
import { menuTemplate, type MenuItemSpec } from './menu';
import { contentSecurityPolicy, isAllowedExternalUrl, isAppUrl, isTrustedSender, projectFromArgv, studioWindowOptions } from './window-options';

describe('studio window options', () => {
  it('isolate the page: context isolation, sandbox, no Node, web security on', () => {
    const { webPreferences } = studioWindowOptions('/app/out/preload/preload.cjs');
    expect(webPreferences).toMatchObject({
      preload: '/app/out/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('have a strict CSP: own scripts only, no eval, no plugins, no framing; media only from our scheme', () => {
    const csp = contentSecurityPolicy();
    const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(csp).not.toContain('unsafe-eval');
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('media-src')).toContain('lbs-media:');
    // The mask painter reads stills and masks with fetch().
    expect(directives.get('connect-src')).toContain('lbs-media:');
    expect(directives.get('connect-src')).not.toContain('https:');
    expect(directives.get('img-src')).not.toContain('http:');
    expect(directives.get('img-src')).not.toContain('https:');
  });

  it('let the window show only the studio page', () => {
    const app = 'file:///opt/studio/out/renderer/index.html';
    expect(isAppUrl('file:///opt/studio/out/renderer/index.html', app)).toBe(true);
    expect(isAppUrl('file:///opt/studio/out/renderer/index.html#/keyframe', app)).toBe(true);
    expect(isAppUrl('file:///etc/passwd', app)).toBe(false);
    expect(isAppUrl('https://example.com/', app)).toBe(false);
    expect(isAppUrl('not a url', app)).toBe(false);
    expect(isAppUrl('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5174/x', 'http://localhost:5173/')).toBe(false);
  });

  it('answer IPC only from the main frame of our window showing our page', () => {
    const app = 'file:///opt/studio/out/renderer/index.html';
    const win = { webContents: { id: 7 } };
    const from = (id: number, url: string, parent: unknown = null) => ({ sender: { id }, senderFrame: { url, parent } });
    expect(isTrustedSender(from(7, app), win, app)).toBe(true);
    expect(isTrustedSender(from(8, app), win, app)).toBe(false);
    expect(isTrustedSender(from(7, app, { url: app }), win, app)).toBe(false);
    expect(isTrustedSender(from(7, 'https://evil.example/'), win, app)).toBe(false);
    expect(isTrustedSender({ sender: { id: 7 }, senderFrame: null }, win, app)).toBe(false);
    expect(isTrustedSender(from(7, app), null, app)).toBe(false);
  });

  it('find the project passed on the command line', () => {
    expect(projectFromArgv(['/opt/studio/studio', '--enable-logging', '/home/me/movie.lbs.json'])).toBe('/home/me/movie.lbs.json');
    expect(projectFromArgv(['/opt/studio/studio'])).toBeUndefined();
  });
});

describe('app menu', () => {
  const flatten = (items: MenuItemSpec[]): MenuItemSpec[] => items.flatMap((i) => [i, ...flatten(i.submenu ?? [])]);

  it('has the standard shortcuts on Windows and Linux', () => {
    const items = flatten(menuTemplate('linux', { devTools: false }));
    const shortcut = (command: string) => items.find((i) => i.command === command)?.accelerator;
    expect(shortcut('new')).toBe('CmdOrCtrl+N');
    expect(shortcut('open')).toBe('CmdOrCtrl+O');
    expect(shortcut('save')).toBe('CmdOrCtrl+S');
    expect(shortcut('saveAs')).toBe('CmdOrCtrl+Shift+S');
    expect(shortcut('export')).toBe('CmdOrCtrl+E');
    expect(shortcut('undo')).toBe('CmdOrCtrl+Z');
    expect(shortcut('redo')).toBe('Ctrl+Shift+Z');
    expect(items.find((i) => i.role === 'quit')?.accelerator).toBe('Ctrl+Q');
    expect(items.some((i) => i.role === 'toggleDevTools')).toBe(false);
  });

  it('follows macOS conventions (app menu with Quit ⌘Q, ⇧⌘Z redo)', () => {
    const template = menuTemplate('darwin', { devTools: true });
    expect(template[0].label).toBe('Latent Blending Studio');
    const items = flatten(template);
    expect(items.find((i) => i.role === 'quit')?.accelerator).toBe('Cmd+Q');
    expect(items.find((i) => i.command === 'redo')?.accelerator).toBe('Cmd+Shift+Z');
  });
});

describe('links opened in the user\'s browser', () => {
  it('only https links to the allowed sites', () => {
    expect(isAllowedExternalUrl('https://huggingface.co/stabilityai/stable-diffusion-2-1')).toBe(true);
    expect(isAllowedExternalUrl('https://github.com/some/repo/issues')).toBe(true);
    for (const url of [
      'http://huggingface.co/',
      'https://huggingface.co.evil.example/',
      'https://evilhuggingface.co/',
      'https://user:pw@github.com/',
      'https://github.com:8443/',
      'file:///etc/passwd',
      'smb://server/share',
      'ms-msdt:/id PCWDiagnostic',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isAllowedExternalUrl(url), url).toBe(false);
    }
  });

  it('the meta-tag policy is the header policy without frame-ancestors (ignored in a meta tag)', () => {
    expect(contentSecurityPolicy({ meta: true })).toBe(contentSecurityPolicy().replace("; frame-ancestors 'none'", ''));
  });
});
