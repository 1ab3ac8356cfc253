import type { AppCommand } from '../../contract/contract';

/** A menu item as plain data (the shape of Electron's MenuItemConstructorOptions we use). */
export interface MenuItemSpec {
  label?: string;
  role?: 'quit' | 'about' | 'cut' | 'copy' | 'paste' | 'selectAll' | 'toggleDevTools' | 'togglefullscreen' | 'minimize' | 'close' | 'reload' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'hide' | 'hideOthers' | 'unhide' | 'services';
  accelerator?: string;
  type?: 'separator';
  command?: AppCommand;
  submenu?: MenuItemSpec[];
}

/**
 * The app menu with the standard shortcuts. Project commands (New … Redo) go to the UI as
 * `app.command` events, because the UI decides (unsaved-changes prompt, which undo history).
 */
export function menuTemplate(platform: NodeJS.Platform, options: { devTools: boolean }): MenuItemSpec[] {
  const mac = platform === 'darwin';
  const file: MenuItemSpec = {
    label: '&File',
    submenu: [
      { label: 'New Project', accelerator: 'CmdOrCtrl+N', command: 'new' },
      { label: 'Open…', accelerator: 'CmdOrCtrl+O', command: 'open' },
      { type: 'separator' },
      { label: 'Save', accelerator: 'CmdOrCtrl+S', command: 'save' },
      { label: 'Save As…', accelerator: 'CmdOrCtrl+Shift+S', command: 'saveAs' },
      { type: 'separator' },
      { label: 'Export Video…', accelerator: 'CmdOrCtrl+E', command: 'export' },
      ...(mac ? [] : [{ type: 'separator' } as MenuItemSpec, { label: 'Quit', role: 'quit', accelerator: 'Ctrl+Q' } as MenuItemSpec]),
    ],
  };
  const edit: MenuItemSpec = {
    label: '&Edit',
    submenu: [
      { label: 'Undo', accelerator: 'CmdOrCtrl+Z', command: 'undo' },
      { label: 'Redo', accelerator: mac ? 'Cmd+Shift+Z' : 'Ctrl+Shift+Z', command: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemSpec = {
    label: '&View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
      ...(options.devTools ? [{ role: 'reload' } as MenuItemSpec, { role: 'toggleDevTools' } as MenuItemSpec] : []),
    ],
  };
  const app: MenuItemSpec = {
    label: 'Latent Blending Studio',
    submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit', accelerator: 'Cmd+Q' }],
  };
  return mac ? [app, file, edit, view] : [file, edit, view];
}
