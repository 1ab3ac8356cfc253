import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheKey, canonicalJson, projectCacheKeys, type CacheContext } from './cacheKey';
import { buildCacheContext, fingerprintModelFolder, hashFile } from './fingerprint';
import { parseProject } from './parse';
import type { Project } from './schema';

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('canonicalJson / cacheKey', () => {
  it('sorts keys at every depth and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [true, { d: 'x', c: null, e: undefined }] })).toBe('{"a":[true,{"c":null,"d":"x"}],"b":1}');
  });

  it('is the SHA-256 of that canonical text', () => {
    expect(cacheKey({ b: 1, a: 2 })).toBe(sha256('{"a":2,"b":1}'));
    expect(cacheKey({ a: 2, b: 1 })).toBe(cacheKey({ b: 1, a: 2 }));
  });

  it('spells equal numbers one way', () => {
    expect(canonicalJson([-0, 0, 1.0, 1e21, 0.1])).toBe('[0,0,1,1e+21,0.1]');
    expect(cacheKey({ x: -0 })).toBe(cacheKey({ x: 0 }));
  });

  it('refuses values without a canonical JSON form, naming where', () => {
    expect(() => canonicalJson({ a: [1, NaN] })).toThrow(/a\[1\]/);
    expect(() => canonicalJson({ a: Infinity })).toThrow(/not a finite number/);
    expect(() => canonicalJson({ t: new Float32Array(2) })).toThrow(/t is a Float32Array/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/Date/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });
});

const CONTEXT: CacheContext = {
  modelFingerprint: 'model-a',
  inpaintingModelFingerprint: 'inpaint-a',
  backend: 'cpu',
  engineVersion: '1',
  fileHashes: { 'mask.png': 'mask-hash-1', 'a.png': 'image-hash-1' },
};

/** Four keyframes, three transitions: two adaptive-free fixed ones and one adaptive. */
function movie(changes: (p: Record<string, any>) => void = () => {}): Project {
  const doc: Record<string, any> = {
    format: 'latent-blending-studio',
    version: 1,
    keyframes: [
      { prompt: 'a red fox', seed: 1 },
      { prompt: 'a lighthouse', seed: 2 },
      { prompt: 'a sunflower field', seed: 3 },
      { prompt: 'a night sky', seed: 4 },
    ],
    transitions: [
      { duration: 3, mode: { kind: 'fixed', preset: 'medium' } },
      { duration: 3, mode: { kind: 'fixed', preset: 'medium' } },
      { duration: 3, mode: { kind: 'adaptive', maxImages: 20 } },
    ],
  };
  changes(doc);
  return parseProject(doc);
}

/** Which keyframe and transition keys differ between two projects. */
function changed(a: Project, b: Project, context: CacheContext = CONTEXT, contextB: CacheContext = context) {
  const ka = projectCacheKeys(a, context);
  const kb = projectCacheKeys(b, contextB);
  return {
    keyframes: ka.keyframes.flatMap((k, i) => (k === kb.keyframes[i] ? [] : [i])),
    transitions: ka.transitions.flatMap((k, i) => (k === kb.transitions[i] ? [] : [i])),
  };
}

describe('projectCacheKeys', () => {
  it('gives distinct keys to distinct keyframes and transitions', () => {
    const k = projectCacheKeys(movie(), CONTEXT);
    expect(new Set([...k.keyframes, ...k.transitions]).size).toBe(7);
    expect(k.keyframes.every((x) => /^[0-9a-f]{64}$/.test(x))).toBe(true);
  });

  it('is stable: the same project and context give the same keys', () => {
    expect(projectCacheKeys(movie(), CONTEXT)).toEqual(projectCacheKeys(movie(), { ...CONTEXT }));
  });

  it('a prompt edit re-keys that keyframe and only the two transitions touching it', () => {
    expect(changed(movie(), movie((p) => (p.keyframes[1].prompt = 'a lighthouse in a storm')))).toEqual({ keyframes: [1], transitions: [0, 1] });
    expect(changed(movie(), movie((p) => (p.keyframes[1].negativePrompt = 'blurry')))).toEqual({ keyframes: [1], transitions: [0, 1] });
    expect(changed(movie(), movie((p) => (p.keyframes[0].seed = 99)))).toEqual({ keyframes: [0], transitions: [0] });
  });

  it('fps, duration, spacing and export settings re-key nothing (no diffusion needed)', () => {
    // 3 s → 3.2 s at 24 fps: 72 → 77 frames, medium F = 9 either way; 25 fps: 75 frames, F = 9.
    expect(changed(movie(), movie((p) => (p.fps = 25)))).toEqual({ keyframes: [], transitions: [] });
    expect(changed(movie(), movie((p) => (p.transitions[0].duration = 3.2)))).toEqual({ keyframes: [], transitions: [] });
    // Adaptive trees do not depend on the frame count at all.
    expect(changed(movie(), movie((p) => (p.transitions[2].duration = 10)))).toEqual({ keyframes: [], transitions: [] });
    expect(changed(movie(), movie((p) => (p.transitions[1].equalPerceptualSpacing = true)))).toEqual({ keyframes: [], transitions: [] });
    // Easing and holds only re-time the rendered images (issue 12).
    for (const curve of ['ease-in', 'hug-keyframes', 'even-perceived-speed']) {
      expect(changed(movie(), movie((p) => (p.transitions[0].easing = { curve, strength: 0.9 })))).toEqual({ keyframes: [], transitions: [] });
    }
    expect(changed(movie(), movie((p) => (p.keyframes[1].hold = 2.5)))).toEqual({ keyframes: [], transitions: [] });
    expect(changed(movie(), movie((p) => (p.export = { format: 'webm', crf: 30, preset: 'slow', audio: 'x.mp3' })))).toEqual({ keyframes: [], transitions: [] });
    expect(changed(movie(), movie((p) => (p.name = 'Other')))).toEqual({ keyframes: [], transitions: [] });
  });

  it('a duration that changes the number of final images F re-keys that transition only', () => {
    // medium: F = frames // 8; 3 s → 72 frames → 9 images, 6 s → 144 frames → 18 images.
    expect(changed(movie(), movie((p) => (p.transitions[1].duration = 6)))).toEqual({ keyframes: [], transitions: [1] });
  });

  it('a preset with the same N and F plans the same tree, so it shares the key', () => {
    // With steps pinned to 30: medium at 72 frames and high at 36 frames both plan F = 9.
    const pinned = (preset: string, duration: number) =>
      movie((p) => {
        p.steps = 30;
        p.transitions[0] = { duration, mode: { kind: 'fixed', preset } };
      });
    expect(changed(pinned('medium', 3), pinned('high', 1.5))).toEqual({ keyframes: [], transitions: [] });
  });

  it('per-transition settings re-key only their transition', () => {
    expect(changed(movie(), movie((p) => (p.transitions[1].depthStrength = 0.6)))).toEqual({ keyframes: [], transitions: [1] });
    expect(changed(movie(), movie((p) => (p.transitions[0].guidanceMidDamper = 1)))).toEqual({ keyframes: [], transitions: [0] });
    expect(changed(movie(), movie((p) => (p.transitions[2].crossfeed = { parental: null })))).toEqual({ keyframes: [], transitions: [2] });
    expect(changed(movie(), movie((p) => (p.transitions[2].mode = { kind: 'adaptive', maxImages: 30 })))).toEqual({ keyframes: [], transitions: [2] });
  });

  it('project-wide render settings and the environment re-key everything', () => {
    const all = { keyframes: [0, 1, 2, 3], transitions: [0, 1, 2] };
    expect(changed(movie(), movie((p) => (p.width = 768)))).toEqual(all);
    expect(changed(movie(), movie((p) => (p.steps = 40)))).toEqual(all);
    expect(changed(movie(), movie((p) => (p.scheduler = 'dpmpp-2m')))).toEqual(all);
    expect(changed(movie(), movie((p) => (p.guidance = 5)))).toEqual(all);
    // Switching every preset from medium (N = 30) to high (N = 60) changes the shared N.
    expect(changed(movie(), movie((p) => p.transitions.slice(0, 2).forEach((t: any) => (t.mode.preset = 'high'))))).toEqual(all);
    expect(changed(movie(), movie(), CONTEXT, { ...CONTEXT, modelFingerprint: 'model-b' })).toEqual(all);
    expect(changed(movie(), movie(), CONTEXT, { ...CONTEXT, backend: 'cuda' })).toEqual(all);
    expect(changed(movie(), movie(), CONTEXT, { ...CONTEXT, engineVersion: '2' })).toEqual(all);
  });

  it('the provider setting itself is not part of any key (the active backend is)', () => {
    expect(changed(movie(), movie((p) => (p.provider = 'cpu')))).toEqual({ keyframes: [], transitions: [] });
  });

  it('keyframe crossfeed chains: K(i+1) then depends on K(i)', () => {
    const chained = (prompt0: string) =>
      movie((p) => {
        p.keyframes[0].prompt = prompt0;
        p.transitions[0].crossfeed = { keyframe: {} };
      });
    // Editing K0 now re-keys K1 too, hence transitions 0 and 1.
    expect(changed(chained('a red fox'), chained('a grey wolf'))).toEqual({ keyframes: [0, 1], transitions: [0, 1] });
    // Turning keyframe crossfeed on re-keys K1 and both transitions touching it.
    expect(changed(movie(), chained('a red fox'))).toEqual({ keyframes: [1], transitions: [0, 1] });
  });

  it('an inpainting transition depends on the mask content, and B on A', () => {
    const masked = (changes: (p: Record<string, any>) => void = () => {}) =>
      movie((p) => {
        p.keyframes[0].mask = 'mask.png';
        changes(p);
      });
    expect(changed(movie(), masked())).toEqual({ keyframes: [1], transitions: [0, 1] });
    // New mask bytes (same file name): K1 is generated inside the new mask.
    expect(changed(masked(), masked(), CONTEXT, { ...CONTEXT, fileHashes: { ...CONTEXT.fileHashes, 'mask.png': 'mask-hash-2' } })).toEqual({
      keyframes: [1],
      transitions: [0, 1],
    });
    expect(changed(masked(), masked((p) => (p.keyframes[0].prompt = 'a grey wolf')))).toEqual({ keyframes: [0, 1], transitions: [0, 1] });
    // Feathering is applied to the transition's frames only.
    expect(changed(masked(), masked((p) => (p.transitions[0].inpaint = { featherRadius: 16 })))).toEqual({ keyframes: [], transitions: [0] });
    // Feather settings of a transition without a mask do nothing.
    expect(changed(movie(), movie((p) => (p.transitions[1].inpaint = { featherRadius: 16 })))).toEqual({ keyframes: [], transitions: [] });
    expect(changed(masked(), masked(), CONTEXT, { ...CONTEXT, inpaintingModelFingerprint: 'inpaint-b' })).toEqual({ keyframes: [1], transitions: [0, 1] });
  });

  it('an imported keyframe image is keyed by its content', () => {
    const imported = movie((p) => (p.keyframes[2].image = 'a.png'));
    expect(changed(movie(), imported)).toEqual({ keyframes: [2], transitions: [1, 2] });
    expect(changed(imported, imported, CONTEXT, { ...CONTEXT, fileHashes: { ...CONTEXT.fileHashes, 'a.png': 'image-hash-2' } })).toEqual({
      keyframes: [2],
      transitions: [1, 2],
    });
  });

  it('names the file whose hash is missing from the context', () => {
    const p = movie((d) => (d.keyframes[3].image = 'missing.png'));
    expect(() => projectCacheKeys(p, CONTEXT)).toThrow(/keyframes\[3\]\.image "missing\.png"/);
    const m = movie((d) => (d.keyframes[0].mask = 'mask.png'));
    expect(() => projectCacheKeys(m, { ...CONTEXT, inpaintingModelFingerprint: undefined })).toThrow(/keyframes\[0\]\.mask.*inpaintingModelFingerprint/);
  });
});

describe('fingerprintModelFolder / buildCacheContext', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'lbs-fp-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function makeModel(root: string, unetBytes: Buffer) {
    await mkdir(path.join(root, 'unet'), { recursive: true });
    await writeFile(path.join(root, 'model_index.json'), '{"_class_name": "StableDiffusionPipeline"}');
    await writeFile(path.join(root, 'unet', 'model.onnx'), unetBytes);
  }

  it('survives copying the folder and ignores hidden files, but sees content and size changes', async () => {
    // 200 KiB so the head and tail samples do not overlap.
    const weights = Buffer.alloc(200 * 1024, 7);
    const a = path.join(dir, 'a');
    await makeModel(a, weights);
    const base = await fingerprintModelFolder(a);

    const copy = path.join(dir, 'copy');
    await cp(a, copy, { recursive: true });
    await writeFile(path.join(copy, '.DS_Store'), 'junk');
    expect(await fingerprintModelFolder(copy)).toBe(base);

    const tailEdit = Buffer.from(weights);
    tailEdit[tailEdit.length - 1] = 8;
    await makeModel(path.join(dir, 'tail'), tailEdit);
    expect(await fingerprintModelFolder(path.join(dir, 'tail'))).not.toBe(base);

    await makeModel(path.join(dir, 'longer'), Buffer.concat([weights, Buffer.alloc(1, 7)]));
    expect(await fingerprintModelFolder(path.join(dir, 'longer'))).not.toBe(base);

    await writeFile(path.join(copy, 'extra.onnx_data'), 'x');
    expect(await fingerprintModelFolder(copy)).not.toBe(base);
  });

  it('explains a missing or wrong model folder', async () => {
    await expect(fingerprintModelFolder(path.join(dir, 'nope'))).rejects.toThrow(/does not exist/);
    await writeFile(path.join(dir, 'file.onnx'), 'x');
    await expect(fingerprintModelFolder(path.join(dir, 'file.onnx'))).rejects.toThrow(/is a file/);
  });

  it('hashes every referenced image and mask relative to the project folder', async () => {
    await makeModel(path.join(dir, 'model'), Buffer.from('unet'));
    await makeModel(path.join(dir, 'inpaint'), Buffer.from('inpaint unet'));
    await mkdir(path.join(dir, 'img'));
    await writeFile(path.join(dir, 'img', 'a.png'), 'image bytes');
    await writeFile(path.join(dir, 'img', 'm.png'), 'mask bytes');
    const project = parseProject({
      format: 'latent-blending-studio',
      version: 1,
      keyframes: [{ image: 'img/a.png', mask: 'img/m.png' }, {}],
    });
    const projectFile = path.join(dir, 'p.lbs.json');
    const context = await buildCacheContext(project, projectFile, {
      modelDir: path.join(dir, 'model'),
      inpaintingModelDir: path.join(dir, 'inpaint'),
      backend: 'cpu',
    });
    expect(context.fileHashes).toEqual({ 'img/a.png': sha256('image bytes'), 'img/m.png': sha256('mask bytes') });
    expect(await hashFile(path.join(dir, 'img', 'a.png'))).toBe(sha256('image bytes'));
    expect(context.modelFingerprint).not.toBe(context.inpaintingModelFingerprint);
    expect(projectCacheKeys(project, context).transitions).toHaveLength(1);

    await expect(buildCacheContext(project, projectFile, { modelDir: path.join(dir, 'model'), backend: 'cpu' })).rejects.toThrow(/inpaintingModelDir/);
    const missing = parseProject({ format: 'latent-blending-studio', version: 1, keyframes: [{ image: 'img/gone.png' }] });
    await expect(buildCacheContext(missing, projectFile, { modelDir: path.join(dir, 'model'), backend: 'cpu' })).rejects.toThrow(
      /keyframes\[0\]\.image: file not found.*gone\.png/,
    );
  });
});
