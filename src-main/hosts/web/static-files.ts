import { stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};

export type StaticLookup = { ok: true; file: string; contentType: string } | { ok: false; status: 400 | 403 | 404 };

/**
 * A request path inside the built studio folder. Same rules as media: no `..`, no encoded
 * separators, nothing outside `root`. Unknown paths without an extension fall back to
 * index.html (the studio is a single page).
 */
export async function resolveStatic(root: string, urlPath: string): Promise<StaticLookup> {
  const segments: string[] = [];
  for (const raw of urlPath.split('/').filter((s) => s !== '')) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400 };
    }
    if (s === '.' || s === '..' || /[/\\\0]/.test(s) || /^[A-Za-z]:/.test(s)) return { ok: false, status: 403 };
    segments.push(s);
  }
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  if (file !== base && !file.startsWith(base + path.sep)) return { ok: false, status: 403 };
  const info = await stat(file).catch(() => null);
  if (info?.isFile()) return { ok: true, file, contentType: TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream' };
  if (info?.isDirectory() || path.extname(file) === '') {
    const index = path.join(base, 'index.html');
    if (await stat(index).then((s) => s.isFile(), () => false)) return { ok: true, file: index, contentType: TYPES['.html'] };
  }
  return { ok: false, status: 404 };
}
