import { readFile } from 'node:fs/promises';
import { EngineError } from '../engine/errors';
import { fitGrayImage, fitImage } from '../engine/image-fit';
import { resizeNearest } from '../engine/sd/image-tensors';
import { decodePng, decodePngGray } from '../media/png';
import type { GrayImage, RgbImage } from '../engine/image';
import { imageFitOf, type Project } from '../project/schema';

/**
 * The pictures a render reads from the project's folder: keyframe images (fitted to the project
 * size with the keyframe's imageFit) and masks. Each file is read once per job; `check` reads
 * them all before any model is loaded, so a missing or damaged file fails the job (and `plan`)
 * up front with the file named, never after minutes of diffusion.
 */
export class KeyframePictures {
  private readonly images = new Map<number, Promise<RgbImage>>();
  private readonly masks = new Map<number, Promise<GrayImage>>();

  constructor(private readonly project: Project) {}

  /** Keyframe `index`'s picture at the project size, or undefined when it has none. */
  image(index: number): Promise<RgbImage> | undefined {
    const k = this.project.keyframes[index];
    if (!k?.image) return undefined;
    const file = k.image;
    let image = this.images.get(index);
    if (!image) {
      const { width, height } = this.project;
      image = readProjectPng(file, 'Keyframe image', index, decodePng).then((img) => fitImage(img, width, height, imageFitOf(k)));
      this.images.set(index, image);
    }
    return image;
  }

  /**
   * Keyframe `index`'s mask at the project size, or undefined: fitted like the keyframe's image
   * when it has one (so it stays on the same pixels), else stretched, as masks always were.
   */
  mask(index: number): Promise<GrayImage> | undefined {
    const k = this.project.keyframes[index];
    if (!k?.mask) return undefined;
    let mask = this.masks.get(index);
    if (!mask) {
      const { width, height } = this.project;
      mask = readProjectPng(k.mask, 'Mask', index, decodePngGray).then((m) => {
        if (m.width === width && m.height === height) return m;
        return k.image ? fitGrayImage(m, width, height, imageFitOf(k)) : { width, height, data: resizeNearest(m, width, height) };
      });
      this.masks.set(index, mask);
    }
    return mask;
  }

  /** Read every image and mask of these keyframes; the first bad one throws. */
  async check(indices: Iterable<number>): Promise<void> {
    for (const i of indices) {
      await this.image(i);
      await this.mask(i);
    }
  }
}

/** A keyframe's image or mask; a missing file or one that is not a PNG says which and how to fix it. */
async function readProjectPng<T>(file: string, what: 'Keyframe image' | 'Mask', index: number, decode: (bytes: Buffer) => T): Promise<T> {
  const where = `keyframe ${index + 1}`;
  const bytes = await readFile(file).catch(() => {
    throw new EngineError('INVALID_PROJECT', `${what} ${file} cannot be read (${where}).`, { file, hint: 'Put the PNG next to the project file or fix the path in the keyframe.' });
  });
  try {
    return decode(bytes);
  } catch (error) {
    throw new EngineError('INVALID_PROJECT', `${what} ${file} is not a readable PNG (${bytes.length === 0 ? 'it is empty' : (error as Error).message}; ${where}).`, {
      file,
      cause: error,
      hint: `Save it again as PNG, or choose another ${what === 'Mask' ? 'mask' : 'image'} for the keyframe.`,
    });
  }
}
