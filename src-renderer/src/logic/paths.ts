import { DEFAULTS, type EXPORT_FORMATS } from '../../../src-main/contract/contract';
import { EXPORT_FORMAT_LABELS } from './labels';

type ExportFormat = (typeof EXPORT_FORMATS)[number];

const ABSOLUTE = /^([A-Za-z]:[\\/]|\/|\\\\)/;

export function isAbsolutePath(p: string): boolean {
  return ABSOLUTE.test(p);
}

/** The separator a folder path uses: backslash for a Windows path, slash otherwise. */
function separatorOf(dir: string): string {
  return /^[A-Za-z]:\\|^\\\\/.test(dir) || (dir.includes('\\') && !dir.includes('/')) ? '\\' : '/';
}

export function joinPath(dir: string, name: string): string {
  const sep = separatorOf(dir);
  return /[\\/]$/.test(dir) ? `${dir}${name}` : `${dir}${sep}${name}`;
}

/** The folder part of a file path (`/films/clip.lbs.json` → `/films`). */
export function folderOf(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  if (cut < 0) return '';
  // Keep the root's own separator: `/clip.lbs.json` is in `/`, `C:\clip.lbs.json` in `C:\`.
  return cut === 0 || (cut === 2 && file[1] === ':') ? file.slice(0, cut + 1) : file.slice(0, cut);
}

/**
 * What the user typed in a path field, as the absolute path the host needs. The browser has
 * no file dialog for the host's disk, so typing is forgiving: `~` is the home folder and a
 * bare name or relative path goes into `baseDir` (the project's folder, else home).
 */
export function resolveUserPath(typed: string, baseDir: string, homeDir: string): string {
  const t = typed.trim();
  if (t === '') return '';
  if (t === '~') return homeDir;
  if (/^~[\\/]/.test(t)) return joinPath(homeDir, t.slice(2));
  if (isAbsolutePath(t)) return t;
  return joinPath(baseDir, t.replace(/^\.[\\/]/, ''));
}

/** Where typed relative paths go: the project's folder once it is saved, else the home folder. */
export function defaultFolder(projectPath: string | null, homeDir: string): string {
  return projectPath ? folderOf(projectPath) : homeDir;
}

/**
 * Default export target: next to the project file, named after the project (`Night drive` →
 * `Night drive.mp4`; a PNG sequence gets a `Night drive-frames` folder). A project still
 * carrying the new-project name ("Untitled") is named after its file instead. An unsaved
 * project exports into the home folder, so Export works before the first save.
 */
export function exportPathFor(projectPath: string | null, projectName: string, format: ExportFormat, homeDir: string): string {
  const dir = defaultFolder(projectPath, homeDir);
  const file = projectPath ? projectPath.slice(Math.max(projectPath.lastIndexOf('/'), projectPath.lastIndexOf('\\')) + 1) : '';
  const fileBase = file.replace(/\.lbs\.json$/i, '').replace(/\.json$/i, '');
  const named = projectName.trim() !== '' && projectName.trim() !== DEFAULTS.name;
  const base = named || !fileBase ? safeName(projectName) : fileBase;
  const ext = EXPORT_FORMAT_LABELS[format].extension;
  return joinPath(dir, format === 'png' ? `${base}-frames` : `${base}${ext}`);
}

/** A file name from a project name: no separators or characters Windows refuses. */
export function safeName(name: string): string {
  return name.replace(/[\\/:*?"<>|]+/g, '-').trim() || 'untitled';
}

/** `~/films/clip` → `~/films/clip.lbs.json`: project files always get their extension. */
export function withProjectExtension(path: string): string {
  const p = path.trim();
  if (p === '') return p;
  return /\.lbs\.json$/i.test(p) ? p : `${p.replace(/\.json$/i, '')}.lbs.json`;
}
