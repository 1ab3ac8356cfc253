import { describe, expect, it } from 'vitest';
import { exportPathFor, safeName, withProjectExtension } from './paths';

describe('exportPathFor', () => {
  it('puts the export next to the project, named after its file', () => {
    expect(exportPathFor('/films/clip.lbs.json', 'Clip', 'mp4')).toBe('/films/clip.mp4');
    expect(exportPathFor('C:\\films\\clip.lbs.json', 'Clip', 'webm')).toBe('C:\\films\\clip.webm');
    expect(exportPathFor('/films/clip.lbs.json', 'Clip', 'png')).toBe('/films/clip-frames');
  });

  it('leaves the path empty for an untitled project', () => {
    expect(exportPathFor(null, 'Untitled', 'gif')).toBe('');
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
