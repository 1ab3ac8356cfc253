import { defineStore } from 'pinia';
import { transport } from '../api/transport';
import { blobToBase64 } from '../logic/image-io';

/**
 * Pictures the project keeps next to its file (a keyframe's imported image, its painted mask):
 * written by the host, shown through URLs the host hands out. Failures reach the caller, which
 * says in its own words what could not be done.
 */
export const useAssetStore = defineStore('assets', () => {
  /** Write a PNG for a keyframe; resolves with the path the project refers to it by. */
  async function write(kind: 'image' | 'mask', keyframeId: string, png: Blob): Promise<string> {
    const written = await transport().invoke('assets.write', { kind, keyframeId, pngBase64: await blobToBase64(png) });
    return written.path;
  }

  /** A URL the page can load a project asset from. */
  async function url(path: string): Promise<string> {
    return (await transport().invoke('assets.url', { path })).url;
  }

  return { write, url };
});
