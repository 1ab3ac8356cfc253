import { Readable } from 'node:stream';
import type { MediaRoots } from '../../services/media/media-roots';
import { serveFile } from '../../services/media/serve-file';

/**
 * The `lbs-media://media/<rootId>/<path>` handler: frames and videos from the allow-listed
 * roots only, with Range for `<video>` seeking. Returns a fetch Response, as
 * `protocol.handle` wants; Electron-free so it is tested directly.
 */
export async function handleMediaRequest(media: MediaRoots, request: { url: string; method?: string; headers: { get(name: string): string | null } }): Promise<Response> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return new Response('Bad request', { status: 400 });
  }
  if (url.host !== 'media') return new Response('Not found', { status: 404 });
  if (request.method && request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
  // url.pathname keeps percent-encoding, so "%2e%2e" and "%2f" reach the checks undecoded.
  const lookup = await media.resolveReal(url.pathname);
  if (!lookup.ok) return new Response(lookup.reason, { status: lookup.status });
  const served = await serveFile(lookup.file, lookup.contentType, request.headers.get('range'));
  const body = served.body && request.method !== 'HEAD' ? (Readable.toWeb(served.body) as ReadableStream<Uint8Array>) : null;
  if (!body) served.body?.destroy();
  return new Response(body, { status: served.status, headers: served.headers });
}
