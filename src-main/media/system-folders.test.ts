import { describe, expect, it } from 'vitest';
import { posix } from 'node:path';
import { assertNotSystemFolder, realFolderPath, systemFolderOf } from './system-folders';

describe('systemFolderOf', () => {
  it('on Linux refuses / itself and everything in the system trees, not the user folders', () => {
    for (const [folder, system] of [
      ['/', '/'],
      ['/etc', '/etc'],
      ['/etc/ssh', '/etc'],
      ['/usr/local/share', '/usr'],
      ['/bin', '/bin'],
      ['/sbin', '/sbin'],
      ['/lib64', '/lib64'],
      ['/lib/x86_64-linux-gnu', '/lib'],
      ['/boot/grub', '/boot'],
      ['/dev/shm', '/dev'],
      ['/proc/self', '/proc'],
      ['/sys/class', '/sys'],
      ['/var', '/var'],
      ['/var/lib/dpkg', '/var'],
      ['/etc/../usr', '/usr'],
    ]) {
      expect(systemFolderOf(folder, 'linux'), folder).toBe(system);
    }
    for (const folder of ['/home/ann', '/home/ann/Videos', '/tmp', '/tmp/x', '/var/tmp', '/var/tmp/renders', '/mnt/disk', '/media/ann/usb', '/etcetera', '/usrdata', '/srv/movies', '/work/x']) {
      expect(systemFolderOf(folder, 'linux'), folder).toBeNull();
    }
    // Linux file names have case: /Etc is someone's folder.
    expect(systemFolderOf('/ETC', 'linux')).toBeNull();
  });

  it('on macOS refuses /System, /Library, /Applications and the Unix trees, but not the temp folders or ~/Library', () => {
    for (const [folder, system] of [
      ['/', '/'],
      ['/System/Library', '/System'],
      ['/Library/Fonts', '/Library'],
      ['/library', '/Library'],
      ['/Applications/Studio.app', '/Applications'],
      ['/usr/local/bin', '/usr'],
      ['/etc', '/etc'],
      ['/private/etc', '/private'],
      ['/var/db', '/var'],
    ]) {
      expect(systemFolderOf(folder, 'darwin'), folder).toBe(system);
    }
    for (const folder of ['/Users/ann', '/Users/ann/Library/Caches', '/var/folders/x1/T', '/private/var/folders/x1/T', '/private/tmp', '/tmp', '/var/tmp', '/Volumes/Media']) {
      expect(systemFolderOf(folder, 'darwin'), folder).toBeNull();
    }
  });

  it('on Windows refuses the Windows and program folders on any drive, and C:\\ itself, without regard to case', () => {
    for (const [folder, system] of [
      ['C:\\', 'C:\\'],
      ['c:\\', 'c:\\'],
      ['C:\\Windows', 'C:\\Windows'],
      ['C:\\windows\\System32', 'C:\\windows'],
      ['C:\\Program Files\\Studio', 'C:\\Program Files'],
      ['C:\\Program Files (x86)', 'C:\\Program Files (x86)'],
      ['C:\\ProgramData\\x', 'C:\\ProgramData'],
      ['D:\\Windows', 'D:\\Windows'],
      ['C:/Windows/Temp/..', 'C:\\Windows'],
    ]) {
      expect(systemFolderOf(folder, 'win32'), folder).toBe(system);
    }
    for (const folder of ['C:\\Users\\ann\\Videos', 'D:\\', 'D:\\Movies', 'C:\\WindowsBackup', 'C:\\Program Files Old']) {
      expect(systemFolderOf(folder, 'win32'), folder).toBeNull();
    }
  });
});

describe('assertNotSystemFolder', () => {
  it('checks the folder a file goes into, or the folder itself for a frame folder, with one coded error naming it', () => {
    expect(() => assertNotSystemFolder('/etc/movie.mp4', 'file', 'linux')).toThrow(
      expect.objectContaining({
        code: 'SYSTEM_FOLDER',
        file: '/etc/movie.mp4',
        message: expect.stringContaining('/etc is a system folder'),
        hint: expect.stringContaining('Pick a folder of your own'),
      }),
    );
    // /movie.mp4 goes into / itself; /home/movie.mp4 does not.
    expect(() => assertNotSystemFolder('/movie.mp4', 'file', 'linux')).toThrow(expect.objectContaining({ code: 'SYSTEM_FOLDER' }));
    expect(() => assertNotSystemFolder('/home/movie.mp4', 'file', 'linux')).not.toThrow();
    // A frame folder named /usr is written into /usr itself.
    expect(() => assertNotSystemFolder('/usr', 'dir', 'linux')).toThrow(expect.objectContaining({ code: 'SYSTEM_FOLDER' }));
    expect(() => assertNotSystemFolder('/home/ann/frames', 'dir', 'linux')).not.toThrow();
    expect(() => assertNotSystemFolder('C:\\Program Files\\movie.mp4', 'file', 'win32')).toThrow(expect.objectContaining({ code: 'SYSTEM_FOLDER', message: expect.stringContaining('C:\\Program Files is a system folder') }));
    expect(() => assertNotSystemFolder('/Applications/movie.gif', 'file', 'darwin')).toThrow(expect.objectContaining({ code: 'SYSTEM_FOLDER' }));
  });
});

describe('links into system folders', () => {
  // A fake file system: /home/ann/shortcut → /etc, /home → /var/home (as on Fedora Silverblue).
  const links: Record<string, string> = { '/home/ann/shortcut': '/etc', '/home': '/var/home' };
  const existing = new Set(['/', '/etc', '/var', '/var/home', '/var/home/ann', '/home', '/home/ann', '/home/ann/shortcut']);
  const realpath = (p: string): string => {
    if (!existing.has(p)) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    for (const [link, to] of Object.entries(links)) {
      if (p === link || p.startsWith(`${link}/`)) return realpath(to + p.slice(link.length));
    }
    return p;
  };

  it('resolves the existing part of a path and keeps the folders a save will create', () => {
    expect(realFolderPath('/home/ann/shortcut/new/deeper', realpath)).toBe('/etc/new/deeper');
    expect(realFolderPath('/home/ann/Videos', realpath)).toBe('/var/home/ann/Videos');
    expect(realFolderPath('/nowhere/at/all', realpath)).toBe('/nowhere/at/all');
  });

  it('refuses a folder that is a link into a system folder, naming the link, and keeps links into the user\'s own folders', () => {
    expect(() => assertNotSystemFolder('/home/ann/shortcut/movie.mp4', 'file', { platform: 'linux', realpath })).toThrow(
      expect.objectContaining({ code: 'SYSTEM_FOLDER', message: expect.stringContaining('/etc is a system folder (/home/ann/shortcut is a link to /etc)') }),
    );
    expect(() => assertNotSystemFolder('/home/ann/shortcut/new', 'dir', { platform: 'linux', realpath })).toThrow(expect.objectContaining({ code: 'SYSTEM_FOLDER' }));
    expect(() => assertNotSystemFolder('/home/ann/movie.mp4', 'file', { platform: 'linux', realpath })).not.toThrow();
    expect(() => assertNotSystemFolder('/home/ann/shortcut/movie.mp4', 'file', { platform: 'linux', realpath: null })).not.toThrow();
  });

  it('follows real links on this machine', async () => {
    const { mkdtempSync, symlinkSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(posix.join(tmpdir(), 'lbs-links-'));
    symlinkSync('/usr/share', posix.join(dir, 'shared-stuff'));
    expect(() => assertNotSystemFolder(posix.join(dir, 'shared-stuff', 'movie.mp4'), 'file')).toThrow(expect.objectContaining({ code: 'SYSTEM_FOLDER' }));
    expect(() => assertNotSystemFolder(posix.join(dir, 'movie.mp4'), 'file')).not.toThrow();
  });
});
