import { realpathSync } from 'node:fs';
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
  // Image-based distributions (Fedora Silverblue, Kinoite, …) keep the user's folders under /var,
  // with /home, /mnt and /srv as links to them: real paths there are the user's.
  allowed: ['/var/tmp', '/var/home', '/var/mnt', '/var/srv', '/var/roothome'],
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
 * The real path of `folder`: links resolved in the part of it that exists, the rest (folders a
 * save will create) appended as written. Null when nothing of it can be resolved.
 */
export function realFolderPath(folder: string, realpath: (p: string) => string = realpathSync.native): string | null {
  const missing: string[] = [];
  let probe = posix.resolve(folder);
  for (;;) {
    try {
      return posix.join(realpath(probe), ...missing.reverse());
    } catch {
      const parent = posix.dirname(probe);
      if (parent === probe) return null;
      missing.push(posix.basename(probe));
      probe = parent;
    }
  }
}

export interface SystemFolderCheck {
  /** The platform whose rules apply (default: this one). */
  platform?: NodeJS.Platform;
  /**
   * Resolves links, so that ~/shortcut → /etc is refused like /etc. By default the file system's,
   * on this machine's own platform (another platform's paths cannot be resolved here); null
   * turns it off.
   */
  realpath?: ((p: string) => string) | null;
}

/**
 * Refuse to write `target` when the folder it goes into is a system folder, by its name or by the
 * folder a link in it leads to. `kind: 'dir'` means the target is itself the folder written into
 * (a PNG sequence, `--frames-dir`).
 */
export function assertNotSystemFolder(target: string, kind: 'file' | 'dir', check: NodeJS.Platform | SystemFolderCheck = {}): void {
  const options: SystemFolderCheck = typeof check === 'string' ? { platform: check } : check;
  const platform = options.platform ?? process.platform;
  const realpath = options.realpath !== undefined ? options.realpath : platform === process.platform ? realpathSync.native : null;
  const path = platform === 'win32' ? win32 : posix;
  const absolute = path.resolve(target);
  const folder = kind === 'dir' ? absolute : path.dirname(absolute);
  let system = systemFolderOf(folder, platform);
  let via = '';
  if (system === null && realpath && platform !== 'win32') {
    const real = realFolderPath(folder, realpath);
    if (real !== null && real !== folder) {
      system = systemFolderOf(real, platform);
      via = ` (${folder} is a link to ${real})`;
    }
  }
  if (system === null) return;
  throw new MediaError('SYSTEM_FOLDER', `Will not write ${absolute}: ${system} is a system folder${via}, and nothing the studio makes belongs there.`, {
    hint: 'Pick a folder of your own (for example in your home folder, Documents or Videos).',
    file: absolute,
  });
}
