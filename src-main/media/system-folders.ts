import { posix, win32 } from 'node:path';
import { MediaError } from './errors';

/**
 * Folders that belong to the operating system. Saving or exporting into them is refused for
 * everyone: an admin's slip would overwrite system files, anyone else's fails late with EACCES.
 * `exact` folders are refused only themselves (everything a user owns sits below `/`);
 * the others with everything inside them, except the `allowed` folders in them.
 */
interface SystemFolderRules {
  exact: readonly string[];
  within: readonly string[];
  allowed: readonly string[];
}

const LINUX: SystemFolderRules = {
  exact: ['/'],
  within: ['/etc', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/boot', '/dev', '/proc', '/sys', '/run', '/var'],
  allowed: ['/var/tmp'],
};

const MACOS: SystemFolderRules = {
  exact: ['/'],
  within: ['/etc', '/usr', '/bin', '/sbin', '/dev', '/var', '/private', '/System', '/Library', '/Applications', '/cores', '/Volumes/Recovery'],
  // os.tmpdir() on macOS is under /var/folders (a link to /private/var/folders).
  allowed: ['/var/tmp', '/var/folders', '/private/tmp', '/private/var/tmp', '/private/var/folders'],
};

// Any drive letter: Windows need not live on C:.
const WINDOWS: SystemFolderRules = {
  exact: ['C:\\'],
  within: ['?:\\Windows', '?:\\Program Files', '?:\\Program Files (x86)', '?:\\ProgramData'],
  allowed: [],
};

/**
 * The system folder that `folder` (an absolute path of the folder being written into) is or lies
 * in, or null when it is the user's to write. Pure: the platform is a parameter so that every
 * platform's rules are tested on any machine.
 */
export function systemFolderOf(folder: string, platform: NodeJS.Platform): string | null {
  const windows = platform === 'win32';
  const rules = windows ? WINDOWS : platform === 'darwin' ? MACOS : LINUX;
  const path = windows ? win32 : posix;
  const resolved = path.resolve(folder);
  // Windows and macOS (by default) compare names without case.
  const caseless = windows || platform === 'darwin';
  const norm = (p: string) => (caseless ? p.toLowerCase() : p);
  const target = norm(resolved);
  const sep = path.sep;
  const inside = (root: string) => target === root || target.startsWith(root.endsWith(sep) ? root : root + sep);
  const expand = (rule: string) => norm(windows && rule.startsWith('?:') ? `${resolved.slice(0, 2)}${rule.slice(2)}` : rule);

  if (rules.allowed.some((a) => inside(expand(a)))) return null;
  for (const rule of rules.exact) if (target === expand(rule)) return resolved;
  for (const rule of rules.within) {
    const root = expand(rule);
    if (inside(root)) return windows ? resolved.slice(0, root.length) : rule;
  }
  return null;
}

/**
 * Refuse to write `target` when the folder it goes into is a system folder. `kind: 'dir'` means
 * the target is itself the folder written into (a PNG sequence, `--frames-dir`).
 */
export function assertNotSystemFolder(target: string, kind: 'file' | 'dir', platform: NodeJS.Platform = process.platform): void {
  const path = platform === 'win32' ? win32 : posix;
  const absolute = path.resolve(target);
  const folder = kind === 'dir' ? absolute : path.dirname(absolute);
  const system = systemFolderOf(folder, platform);
  if (system === null) return;
  throw new MediaError('SYSTEM_FOLDER', `Will not write ${absolute}: ${system} is a system folder, and nothing the studio makes belongs there.`, {
    hint: 'Pick a folder of your own (for example in your home folder, Documents or Videos).',
    file: absolute,
  });
}
