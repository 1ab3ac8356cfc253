import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../testing/temp';
import { MediaRoots } from './media-roots';
import { parseRange } from './range';
import { serveFile } from './serve-file';

describe('MediaRoots', () => {
  it('round-trips a file inside an allowed root, names with spaces and unicode included', () => {
    const roots = new MediaRoots('lbs-media://media');
    roots.allow('/projects/movie');
    const url = roots.urlFor('/projects/movie/cache/frame 1 é#?.png');
    expect(url.startsWith('lbs-media://media/')).toBe(true);
    expect(url).not.toContain(' ');
    expect(url).not.toContain('#');
    const lookup = roots.resolve(url.slice('lbs-media://media'.length));
    expect(lookup).toEqual({ ok: true, file: '/projects/movie/cache/frame 1 é#?.png', contentType: 'image/png' });
  });

  it('refuses every way out of the root', () => {
    const roots = new MediaRoots('/media');
    const id = roots.allow('/projects/movie');
    const attempts = [
      `/${id}/../secret.png`,
      `/${id}/cache/../../secret.png`,
      `/${id}/%2e%2e/secret.png`,
      `/${id}/%2E%2E/secret.png`,
      `/${id}/cache%2f..%2f..%2fsecret.png`,
      `/${id}/..%2fsecret.png`,
      `/${id}/..%5csecret.png`,
      `/${id}/%2fetc%2fpasswd.png`,
      `/${id}//etc/passwd.png`,
      `/${id}/C:%5cWindows%5cwin.png`,
      `/${id}/a%00.png`,
      `/${id}/./a.png`,
      `/${id}/%`,
      `/unknownroot/a.png`,
      `/${id}`,
      `/etc/passwd`,
    ];
    for (const attempt of attempts) {
      const r = roots.resolve(attempt);
      expect(r.ok, attempt).toBe(false);
    }
    // Only media file types, even inside the root.
    expect(roots.resolve(`/${id}/movie.lbs.json`).ok).toBe(false);
  });

  it('will not make a URL for a file outside every root', () => {
    const roots = new MediaRoots('/media');
    roots.allow('/projects/movie');
    expect(() => roots.urlFor('/projects/movie-other/a.png')).toThrow(/not an allowed media file or inside an allowed folder/);
    expect(() => roots.urlFor('/projects/movie')).toThrow();
  });

  it('a single allowed file is served under its own id, and nothing beside it', () => {
    const roots = new MediaRoots('/media');
    roots.allowFile('/home/me/film.mp4');
    const url = roots.urlFor('/home/me/film.mp4');
    expect(roots.resolve(url.slice('/media'.length))).toEqual({ ok: true, file: '/home/me/film.mp4', contentType: 'video/mp4' });
    const id = url.split('/')[2];
    for (const other of ['other.mp4', '..%2fpasswd.png', 'film.mp4/x.png', '']) {
      expect(roots.resolve(`/${id}/${other}`).ok, other).toBe(false);
    }
    expect(() => roots.urlFor('/home/me/other.mp4')).toThrow();
  });

  it('a name that starts with two dots is a file inside the root; only a ".." segment leaves it', () => {
    const roots = new MediaRoots('/media');
    const id = roots.allow('/projects/movie');
    expect(roots.resolve(`/${id}/..dots.png`)).toMatchObject({ ok: true, file: '/projects/movie/..dots.png' });
    expect(roots.urlFor('/projects/movie/..dots.png')).toContain('..dots.png');
    expect(roots.resolve(`/${id}/..`).ok).toBe(false);
  });

  it('refuses a symlink that points outside the root', async () => {
    await withTempDir(async (dir) => {
      const root = path.join(dir, 'root');
      await mkdir(root);
      await writeFile(path.join(dir, 'outside.png'), 'x');
      await writeFile(path.join(root, 'inside.png'), 'y');
      await symlink(path.join(dir, 'outside.png'), path.join(root, 'link.png'));
      const roots = new MediaRoots('/media');
      const id = roots.allow(root);
      expect((await roots.resolveReal(`/${id}/inside.png`)).ok).toBe(true);
      const viaLink = await roots.resolveReal(`/${id}/link.png`);
      expect(viaLink).toMatchObject({ ok: false, status: 403 });
      expect(await roots.resolveReal(`/${id}/missing.png`)).toMatchObject({ ok: false, status: 404 });
    });
  });
});

describe('parseRange (RFC 9110 byte ranges)', () => {
  it('reads the three single-range forms', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(parseRange('bytes=500-', 1000)).toEqual({ kind: 'partial', start: 500, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ kind: 'partial', start: 900, end: 999 });
    // An end past the file is clamped; a suffix longer than the file is the whole file.
    expect(parseRange('bytes=900-5000', 1000)).toEqual({ kind: 'partial', start: 900, end: 999 });
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'partial', start: 0, end: 999 });
  });

  it('says unsatisfiable for a start past the end, and ignores what it does not handle', () => {
    expect(parseRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange(undefined, 1000)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=0-1,5-6', 1000)).toEqual({ kind: 'full' });
    expect(parseRange('items=0-1', 1000)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=9-3', 1000)).toEqual({ kind: 'full' });
  });
});

describe('serveFile', () => {
  it('answers 206 with the requested bytes and Content-Range, 416 past the end', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'v.mp4');
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      await writeFile(file, bytes);
      const partial = await serveFile(file, 'video/mp4', 'bytes=10-19');
      expect(partial.status).toBe(206);
      expect(partial.headers['Content-Range']).toBe('bytes 10-19/256');
      expect(partial.headers['Content-Length']).toBe('10');
      const chunks: Buffer[] = [];
      for await (const c of partial.body!) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks)).toEqual(bytes.subarray(10, 20));
      const full = await serveFile(file, 'video/mp4', null);
      expect(full.status).toBe(200);
      expect(full.headers['Accept-Ranges']).toBe('bytes');
      full.body?.destroy();
      const beyond = await serveFile(file, 'video/mp4', 'bytes=300-');
      expect(beyond.status).toBe(416);
      expect(beyond.headers['Content-Range']).toBe('bytes */256');
      expect((await serveFile(path.join(dir, 'none.mp4'), 'video/mp4', null)).status).toBe(404);
    });
  });
});
