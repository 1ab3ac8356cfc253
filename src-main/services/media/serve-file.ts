import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseRange } from './range';

export interface MediaResponse {
  status: 200 | 206 | 404 | 416;
  headers: Record<string, string>;
  /** Null for errors and HEAD-like empty bodies. */
  body: ReadStream | null;
}

/** `Content-Disposition` that makes a browser save the file under its name (RFC 6266; non-ASCII via filename*). */
export function attachmentHeader(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * A media file as an HTTP-style response with Range support; shared by both hosts.
 * `downloadName` asks the browser to save it (a Download link) rather than play it.
 */
export async function serveFile(file: string, contentType: string, rangeHeader: string | null | undefined, downloadName?: string): Promise<MediaResponse> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) return { status: 404, headers: {}, body: null };
    size = info.size;
  } catch {
    return { status: 404, headers: {}, body: null };
  }
  const base = {
    'Content-Type': contentType,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    ...(downloadName ? { 'Content-Disposition': attachmentHeader(downloadName) } : {}),
  };
  const range = parseRange(rangeHeader, size);
  if (range.kind === 'unsatisfiable') {
    return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}` }, body: null };
  }
  if (range.kind === 'partial') {
    return {
      status: 206,
      headers: { ...base, 'Content-Length': String(range.end - range.start + 1), 'Content-Range': `bytes ${range.start}-${range.end}/${size}` },
      body: createReadStream(file, { start: range.start, end: range.end }),
    };
  }
  return { status: 200, headers: { ...base, 'Content-Length': String(size) }, body: size === 0 ? null : createReadStream(file) };
}
