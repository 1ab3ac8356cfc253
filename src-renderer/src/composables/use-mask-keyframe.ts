import { ref, type Ref } from 'vue';
import { describeError } from '../api/errors';
import { imageToPngBlob, loadBitmap, readPixels, rgbaToPngBlob } from '../logic/image-io';
import { maskFromRgba, maskToRgba } from '../logic/mask-ops';
import { useAssetStore } from '../stores/assets';
import { useProjectStore } from '../stores/project';
import { useRenderStore } from '../stores/renders';
import type { Keyframe } from '../stores/types';
import type { MaskBrush } from './use-mask-brush';

/**
 * The keyframe the painter works on: opening loads its picture (its own image, else its still)
 * and its saved mask; saving writes the mask (and an imported picture) next to the project and
 * sets them on the keyframe as one undo step.
 */
export function useMaskKeyframe(options: {
  readonly width: number;
  readonly height: number;
  readonly index: Ref<number>;
  readonly keyframe: Ref<Keyframe>;
  readonly brush: MaskBrush;
  readonly background: Ref<ImageBitmap | null>;
  readonly backgroundImported: Ref<boolean>;
  readonly error: Ref<string | null>;
}) {
  const { width: W, height: H, brush, error } = options;
  const assets = useAssetStore();
  const project = useProjectStore();
  const renders = useRenderStore();
  const busy = ref(false);

  async function load(): Promise<void> {
    try {
      const k = options.keyframe.value;
      const imageUrl = k.image ? await assets.url(k.image) : renders.keyframeImage(options.index.value);
      if (imageUrl) options.background.value = await loadBitmap(imageUrl);
      if (k.mask) brush.replace(maskFromRgba(W, H, readPixels(await loadBitmap(await assets.url(k.mask)), W, H)));
    } catch (e) {
      error.value = `Could not load the keyframe's image or mask: ${describeError(e)}`;
    }
    brush.refreshAll();
  }

  /** Resolves true once saved; false when the keyframe has no id yet or writing failed (said in `error`). */
  async function save(): Promise<boolean> {
    const id = options.keyframe.value.id;
    if (!id) return false;
    busy.value = true;
    error.value = null;
    try {
      const index = options.index.value;
      const edits: Array<{ path: (string | number)[]; value: unknown }> = [];
      // Only an imported picture becomes the keyframe's image; a generated keyframe keeps
      // following its prompt and seed, and the mask applies to whatever it renders.
      if (options.backgroundImported.value && options.background.value) {
        edits.push({ path: ['keyframes', index, 'image'], value: await assets.write('image', id, await imageToPngBlob(options.background.value, W, H)) });
      }
      edits.push({ path: ['keyframes', index, 'mask'], value: await assets.write('mask', id, await rgbaToPngBlob(maskToRgba(brush.mask.value), W, H)) });
      project.seal();
      project.apply('Paint mask', edits);
      project.seal();
      return true;
    } catch (e) {
      error.value = describeError(e);
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { busy, load, save };
}
