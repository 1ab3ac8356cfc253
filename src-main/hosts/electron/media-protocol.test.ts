import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MediaRoots } from '../../services/media/media-roots';
import { withTempDir } from '../../services/testing/temp';
import { handleMediaRequest } from './media-protocol';
import { MEDIA_BASE } from './window-options';

function req(url: string, headers: Record<string, string> = {}) {
  return { url, method: 'GET', headers: new Headers(headers) };
}

describe('lbs-media protocol', () => {
  it('serves allow-listed frames and videos with Range, and nothing else', async () => {
    await withTempDir(async (dir) => {
      const project = path.join(dir, 'project');
      await mkdir(path.join(project, 'cache'), { recursive: true });
      const video = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256));
      await writeFile(path.join(project, 'cache', 'movie.mp4'), video);
      await writeFile(path.join(dir, 'secret.png'), 'outside');
      await writeFile(path.join(project, 'movie.lbs.json'), '{}');
      const media = new MediaRoots(MEDIA_BASE);
      const id = media.allow(project);

      const url = media.urlFor(path.join(project, 'cache', 'movie.mp4'));
      const full = await handleMediaRequest(media, req(url));
      expect(full.status).toBe(200);
      expect(Buffer.from(await full.arrayBuffer())).toEqual(video);

      const part = await handleMediaRequest(media, req(url, { range: 'bytes=1000-1099' }));
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe('bytes 1000-1099/4096');
      expect(Buffer.from(await part.arrayBuffer())).toEqual(video.subarray(1000, 1100));

      const refused = [
        `${MEDIA_BASE}/${id}/../secret.png`,
        `${MEDIA_BASE}/${id}/%2e%2e/secret.png`,
        `${MEDIA_BASE}/${id}/cache/..%2f..%2fsecret.png`,
        `${MEDIA_BASE}/${id}/%2F${encodeURIComponent(dir.slice(1))}%2Fsecret.png`,
        `${MEDIA_BASE}/${id}/${encodeURIComponent(path.join(dir, 'secret.png'))}`,
        `${MEDIA_BASE}/${id}/movie.lbs.json`,
        `${MEDIA_BASE}/nosuchroot/cache/movie.mp4`,
        `lbs-media://other/${id}/cache/movie.mp4`,
      ];
      for (const u of refused) {
        const r = await handleMediaRequest(media, req(u));
        expect(r.status, u).toBeGreaterThanOrEqual(400);
        expect(await r.text(), u).not.toContain('outside');
      }
    });
  });
});
