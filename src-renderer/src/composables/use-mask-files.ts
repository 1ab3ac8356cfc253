import type { Ref } from 'vue';
import { describeError } from '../api/errors';
import { download, loadBitmap, readPixels, rgbaToPngBlob } from '../logic/image-io';
import { fullRect, maskFromRgba, maskToRgba } from '../logic/mask-ops';
import type { MaskBrush } from './use-mask-brush';

/**
 * The painter's files on this computer: import a mask (undoable, like a fill), import a picture
 * to paint over (it becomes the keyframe's image when saved), export the mask as a PNG. A file
 * that cannot be read is said in `error`; the painting is left as it was.
 */
export function useMaskFiles(options: {
  readonly width: number;
  readonly height: number;
  readonly brush: MaskBrush;
  readonly background: Ref<ImageBitmap | null>;
  readonly backgroundImported: Ref<boolean>;
  readonly error: Ref<string | null>;
  readonly fileStem: () => string;
  readonly redraw: () => void;
}) {
  const { width: W, height: H, brush, error } = options;

  async function importMask(file: File | undefined): Promise<void> {
    if (!file) return;
    try {
      const imported = maskFromRgba(W, H, readPixels(await loadBitmap(file), W, H));
      brush.whole((m) => {
        m.data.set(imported.data);
        return fullRect(m);
      });
    } catch (e) {
      error.value = `Could not import the mask: ${describeError(e)}`;
    }
  }

  async function importImage(file: File | undefined): Promise<void> {
    if (!file) return;
    try {
      options.background.value = await loadBitmap(file);
      options.backgroundImported.value = true;
      options.redraw();
    } catch (e) {
      error.value = `Could not import the image: ${describeError(e)}`;
    }
  }

  async function exportMask(): Promise<void> {
    try {
      download(await rgbaToPngBlob(maskToRgba(brush.mask.value), W, H), `${options.fileStem()}-mask.png`);
    } catch (e) {
      error.value = describeError(e);
    }
  }

  return { importMask, importImage, exportMask };
}
