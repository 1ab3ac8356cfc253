import { shell } from 'electron';
import type { DesktopShell } from '../../services/studio';

/** "Show in folder" through Electron: the system file manager opens with the file selected. */
export const desktopShell: DesktopShell = {
  showItemInFolder: (file) => shell.showItemInFolder(file),
};
