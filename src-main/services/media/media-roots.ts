import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import path from 'node:path';

/** File types the studio shows or plays; nothing else is served even inside a root. */
export const MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.m4a': 'audio/mp4',
  '.ogg': 'audio/ogg',
};

export type MediaLookup =
  | { ok: true; file: string; contentType: string }
  | { ok: false; status: 400 | 403 | 404; reason: string };

function within(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  // Only a `..` segment leaves the root: a file named `..dots.png` is inside it.
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

/**
 * What the UI may load: folders the studio wrote whole (render caches, PNG-sequence exports)
 * and single files (a project's images and masks, an exported video), never the folder a
 * project or an export happens to sit in; and the URL ↔ file mapping for them. A URL names a root by an opaque id and a path
 * inside it: `<base>/<rootId>/<segment>/<segment>`. Lookups refuse anything that could leave
 * the root: `..` and `.` segments, encoded separators, NUL, absolute paths, unknown roots,
 * symlinks pointing outside, and file types that are not media.
 */
export class MediaRoots {
  private readonly roots = new Map<string, string>();
  /** Single files allowed on their own: id → absolute path. */
  private readonly files = new Map<string, string>();

  /** @param base URL prefix without a trailing slash, e.g. `lbs-media://media` or `/media`. */
  constructor(readonly base: string) {}

  static idFor(root: string): string {
    return createHash('sha256').update(root).digest('hex').slice(0, 16);
  }

  allow(dir: string): string {
    const root = path.resolve(dir);
    const id = MediaRoots.idFor(root);
    this.roots.set(id, root);
    return id;
  }

  /** Allow exactly one file (not its folder); its URL is `<base>/<id>/<file name>`. */
  allowFile(file: string): string {
    const abs = path.resolve(file);
    const id = MediaRoots.idFor(`file:${abs}`);
    this.files.set(id, abs);
    return id;
  }

  allowed(): string[] {
    return [...this.roots.values(), ...this.files.values()];
  }

  /** The URL of a file inside an allowed root (the deepest matching root). */
  urlFor(file: string): string {
    const abs = path.resolve(file);
    let best: [string, string] | undefined;
    for (const [id, root] of this.roots) {
      if (within(root, abs) && (!best || root.length > best[1].length)) best = [id, root];
    }
    if (!best) {
      const fileId = MediaRoots.idFor(`file:${abs}`);
      if (this.files.get(fileId) === abs) return `${this.base}/${fileId}/${encodeURIComponent(path.basename(abs))}`;
      throw new Error(`MediaRoots.urlFor: ${abs} is not an allowed media file or inside an allowed folder (allow it first)`);
    }
    const segments = path.relative(best[1], abs).split(path.sep).map(encodeURIComponent);
    return `${this.base}/${best[0]}/${segments.join('/')}`;
  }

  /**
   * Map the path part of a media URL (after the base: `/<rootId>/<segments>`, still
   * percent-encoded) to a file, by string rules only. `resolveReal` adds the symlink check.
   */
  resolve(urlPath: string): MediaLookup {
    const parts = urlPath.replace(/^\/+/, '').split('/');
    if (parts.length < 2) return { ok: false, status: 400, reason: 'a media URL needs a folder id and a file path' };
    const [id, ...encoded] = parts;
    const single = this.files.get(id);
    if (single !== undefined) {
      let name: string;
      try {
        name = decodeURIComponent(encoded.join('/'));
      } catch {
        return { ok: false, status: 400, reason: 'malformed percent-encoding' };
      }
      if (name !== path.basename(single)) return { ok: false, status: 403, reason: 'only the allowed file is served under this id' };
      const type = MEDIA_TYPES[path.extname(single).toLowerCase()];
      if (!type) return { ok: false, status: 403, reason: 'not a media file type' };
      return { ok: true, file: single, contentType: type };
    }
    const root = this.roots.get(id);
    if (!root) return { ok: false, status: 404, reason: 'unknown media folder' };
    const segments: string[] = [];
    for (const seg of encoded) {
      let s: string;
      try {
        s = decodeURIComponent(seg);
      } catch {
        return { ok: false, status: 400, reason: 'malformed percent-encoding' };
      }
      if (s === '' || s === '.' || s === '..') return { ok: false, status: 403, reason: `path segment "${s}" is not allowed` };
      if (/[/\\\0]/.test(s) || /^[A-Za-z]:/.test(s)) return { ok: false, status: 403, reason: 'path segments may not contain separators, drive letters or NUL' };
      segments.push(s);
    }
    const file = path.resolve(root, ...segments);
    if (!within(root, file)) return { ok: false, status: 403, reason: 'path leaves the media folder' };
    const contentType = MEDIA_TYPES[path.extname(file).toLowerCase()];
    if (!contentType) return { ok: false, status: 403, reason: 'not a media file type' };
    return { ok: true, file, contentType };
  }

  /** `resolve`, then follow symlinks on disk and refuse a file whose real path leaves the root. */
  async resolveReal(urlPath: string): Promise<MediaLookup> {
    const lookup = this.resolve(urlPath);
    if (!lookup.ok) return lookup;
    const id = urlPath.replace(/^\/+/, '').split('/')[0];
    // A single allowed file: serve it only while it is a regular file, not a link placed there since.
    const root = this.roots.get(id) ?? path.dirname(this.files.get(id)!);
    let realFile: string;
    let realRoot: string;
    try {
      [realFile, realRoot] = await Promise.all([realpath(lookup.file), realpath(root)]);
    } catch {
      return { ok: false, status: 404, reason: 'no such file' };
    }
    if (!within(realRoot, realFile)) return { ok: false, status: 403, reason: 'the file links outside the media folder' };
    return { ok: true, file: realFile, contentType: lookup.contentType };
  }
}
