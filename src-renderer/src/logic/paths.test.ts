import { describe, expect, it } from 'vitest';
import { defaultFolder, exportPathFor, folderOf, resolveUserPath, safeName, withProjectExtension } from './paths';

describe('exportPathFor', () => {
  it('puts the export next to the project, named after the project', () => {
    expect(exportPathFor('/films/clip.lbs.json', 'Night drive', 'mp4', '/home/me')).toBe('/films/Night drive.mp4');
    expect(exportPathFor('C:\\films\\clip.lbs.json', 'Sea/sky', 'webm', 'C:\\Users\\me')).toBe('C:\\films\\Sea-sky.webm');
    expect(exportPathFor('/films/clip.lbs.json', 'Night drive', 'png', '/home/me')).toBe('/films/Night drive-frames');
  });

  it('names the export after the file while the project keeps the new-project name', () => {
    expect(exportPathFor('/films/clip.lbs.json', 'Untitled', 'mp4', '/home/me')).toBe('/films/clip.mp4');
    expect(exportPathFor('/films/clip.lbs.json', '  ', 'gif', '/home/me')).toBe('/films/clip.gif');
  });

  it('exports an untitled project into the home folder under the project name', () => {
    expect(exportPathFor(null, 'Untitled', 'gif', '/home/me')).toBe('/home/me/Untitled.gif');
    expect(exportPathFor(null, 'Night: drive', 'mp4', 'C:\\Users\\me')).toBe('C:\\Users\\me\\Night- drive.mp4');
  });
});

describe('resolveUserPath', () => {
  it('keeps absolute paths', () => {
    expect(resolveUserPath(' /films/a.mp4 ', '/home/me', '/home/me')).toBe('/films/a.mp4');
    expect(resolveUserPath('D:\\out\\a.mp4', 'C:\\Users\\me', 'C:\\Users\\me')).toBe('D:\\out\\a.mp4');
  });

  it('expands ~ to the home folder', () => {
    expect(resolveUserPath('~/Videos/a.mp4', '/films', '/home/me')).toBe('/home/me/Videos/a.mp4');
    expect(resolveUserPath('~', '/films', '/home/me')).toBe('/home/me');
    expect(resolveUserPath('~\\Videos\\a.mp4', 'C:\\films', 'C:\\Users\\me')).toBe('C:\\Users\\me\\Videos\\a.mp4');
  });

  it('puts a bare name or relative path into the base folder', () => {
    expect(resolveUserPath('clip.lbs.json', '/films', '/home/me')).toBe('/films/clip.lbs.json');
    expect(resolveUserPath('./out/a.mp4', '/films/', '/home/me')).toBe('/films/out/a.mp4');
    expect(resolveUserPath('a.mp4', 'C:\\films', 'C:\\Users\\me')).toBe('C:\\films\\a.mp4');
  });

  it('leaves an empty entry empty', () => {
    expect(resolveUserPath('  ', '/films', '/home/me')).toBe('');
  });
});

describe('folders', () => {
  it('finds the folder of a file, keeping a root as it is', () => {
    expect(folderOf('/films/clip.lbs.json')).toBe('/films');
    expect(folderOf('/clip.lbs.json')).toBe('/');
    expect(folderOf('C:\\clip.lbs.json')).toBe('C:\\');
    expect(folderOf('C:\\films\\clip.lbs.json')).toBe('C:\\films');
  });

  it('defaults to the project folder, else home', () => {
    expect(defaultFolder('/films/clip.lbs.json', '/home/me')).toBe('/films');
    expect(defaultFolder(null, '/home/me')).toBe('/home/me');
  });
});

describe('file names', () => {
  it('replaces characters no file system accepts', () => {
    expect(safeName('a/b: c?')).toBe('a-b- c-');
    expect(safeName('  ')).toBe('untitled');
  });

  it('adds the project extension once', () => {
    expect(withProjectExtension('/f/clip')).toBe('/f/clip.lbs.json');
    expect(withProjectExtension('/f/clip.json')).toBe('/f/clip.lbs.json');
    expect(withProjectExtension('/f/clip.lbs.json ')).toBe('/f/clip.lbs.json');
  });
});
