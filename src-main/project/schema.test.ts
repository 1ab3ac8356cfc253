import { describe, expect, it } from 'vitest';
import { ProjectError } from './errors';
import { parseProject, parseProjectText } from './parse';
import { createDefaultProject, createProject, resolveProjectPaths, projectBaseName } from './create';

const HEADER = { format: 'latent-blending-studio', version: 1 } as const;

function issuesOf(fn: () => unknown): ProjectError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ProjectError) return err;
    throw err;
  }
  throw new Error('expected a ProjectError');
}

describe('parseProject: defaults', () => {
  it('fills every default from a minimal file', () => {
    const p = parseProject({ ...HEADER, keyframes: [{ prompt: 'a cat' }, { prompt: 'a dog' }] });
    expect(p.model).toEqual({ id: 'demo' });
    expect(p.inpaintingModel).toEqual({ id: 'demo-inpainting' });
    expect(p.provider).toBe('auto');
    expect([p.width, p.height]).toEqual([512, 512]);
    expect(p.steps).toBeUndefined();
    // No scheduler: the model folder's own runs (its scheduler_config.json), DDIM when the engine lacks it.
    expect(p.scheduler).toBeUndefined();
    expect(p.guidance).toBe(7.5);
    expect(p.fps).toBe(24);
    expect(p.keyframes.map((k) => [k.id, k.seed, k.negativePrompt, k.seedLocked])).toEqual([
      ['k1', 0, '', false],
      ['k2', 0, '', false],
    ]);
    // One default transition between the two keyframes.
    expect(p.transitions).toHaveLength(1);
    const t = p.transitions[0];
    expect(t.depthStrength).toBe(0.5);
    expect(t.mode).toEqual({ kind: 'fixed', preset: 'medium' });
    // Method defaults of the SD 2.x era original: damper 0.5, parental crossfeed 0.1/0.8/0.8.
    expect(t.guidanceMidDamper).toBe(0.5);
    expect(t.crossfeed).toEqual({ parental: { power: 0.1, range: 0.8, decay: 0.8 }, keyframe: null });
    expect(t.easing).toEqual({ curve: 'linear', strength: 0.5 });
    expect(p.keyframes[0].hold).toBe(0);
    expect(t.inpaint).toEqual({ feather: true, featherRadius: 8 });
    expect(p.export).toEqual({ format: 'mp4', crf: 18, preset: 'medium', gif: { scale: 1, plays: 0, colors: 256, dither: 'bayer', bayerScale: 3, statsMode: 'diff' } });
  });

  it('fills partial nested objects field by field', () => {
    const p = parseProject({
      ...HEADER,
      keyframes: [{}, {}],
      transitions: [{ crossfeed: { keyframe: { power: 0.3 } }, mode: { kind: 'fixed' } }],
    });
    expect(p.transitions[0].crossfeed.keyframe).toEqual({ power: 0.3, range: 0.6, decay: 0.8 });
    expect(p.transitions[0].crossfeed.parental).toEqual({ power: 0.1, range: 0.8, decay: 0.8 });
    expect(p.transitions[0].mode).toEqual({ kind: 'fixed', preset: 'medium' });
  });

  it('keeps null crossfeed as "off"', () => {
    const p = parseProject({ ...HEADER, keyframes: [{}, {}], transitions: [{ crossfeed: { parental: null } }] });
    expect(p.transitions[0].crossfeed.parental).toBeNull();
  });

  it('assigns free ids without clashing with explicit ones and keeps explicit ids', () => {
    const p = parseProject({ ...HEADER, keyframes: [{}, { id: 'k1' }, {}] });
    expect(p.keyframes.map((k) => k.id)).toEqual(['k2', 'k1', 'k3']);
    expect(new Set(p.keyframes.map((k) => k.id)).size).toBe(3);
  });

  it('accepts a mask without an image, and normalises backslashes', () => {
    const p = parseProject({ ...HEADER, keyframes: [{ mask: 'masks\\sky.png' }, {}] });
    expect(p.keyframes[0].mask).toBe('masks/sky.png');
    expect(p.keyframes[0].image).toBeUndefined();
  });

  it('accepts adaptive transitions with a time budget or an image count', () => {
    const p = parseProject({
      ...HEADER,
      keyframes: [{}, {}, {}],
      transitions: [{ mode: { kind: 'adaptive', budgetSeconds: 20 } }, { mode: { kind: 'adaptive', maxImages: 24 } }],
    });
    expect(p.transitions.map((t) => t.mode)).toEqual([
      { kind: 'adaptive', budgetSeconds: 20 },
      { kind: 'adaptive', maxImages: 24 },
    ]);
  });

  it('accepts the largest seed and a model folder', () => {
    const p = parseProject({ ...HEADER, model: { path: '/models/sd21' }, keyframes: [{ seed: 2 ** 32 - 1 }] });
    expect(p.keyframes[0].seed).toBe(4294967295);
    expect(p.model).toEqual({ path: '/models/sd21' });
    expect(p.transitions).toEqual([]);
  });
});

describe('parseProject: errors name the file, the field and the fix', () => {
  it('reports a depth strength out of range at its exact path', () => {
    const err = issuesOf(() =>
      parseProject({ ...HEADER, keyframes: [{}, {}, {}], transitions: [{}, { depthStrength: 1.5 }] }, 'movie.lbs.json'),
    );
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0].path).toBe('transitions[1].depthStrength');
    expect(err.message).toContain('movie.lbs.json');
    expect(err.message).toContain('transitions[1].depthStrength');
    expect(err.message).toContain('1.5');
    expect(err.file).toBe('movie.lbs.json');
  });

  it('enforces one transition fewer than keyframes, with a count in the message', () => {
    const err = issuesOf(() => parseProject({ ...HEADER, keyframes: [{}, {}, {}], transitions: [{}] }));
    expect(err.issues).toEqual([{ path: 'transitions', message: expect.stringMatching(/has 1 entry but 3 keyframes need exactly 2.*add 1/) }]);
    const tooMany = issuesOf(() => parseProject({ ...HEADER, keyframes: [{}, {}], transitions: [{}, {}] }));
    expect(tooMany.issues[0].message).toMatch(/remove 1/);
  });

  it('rejects unknown keys at their path and suggests the intended name', () => {
    const err = issuesOf(() =>
      parseProject({ ...HEADER, keyframes: [{ promt: 'x' }, {}], transitions: [{ depthStrenght: 0.4 }] }),
    );
    const byPath = Object.fromEntries(err.issues.map((i) => [i.path, i.message]));
    expect(byPath['keyframes[0].promt']).toMatch(/unknown field.*"prompt"/);
    expect(byPath['transitions[0].depthStrenght']).toMatch(/unknown field.*"depthStrength"/);
  });

  it('rejects unknown top-level keys', () => {
    const err = issuesOf(() => parseProject({ ...HEADER, keyframes: [{}], colour: 'red' }));
    expect(err.issues[0].path).toBe('colour');
    expect(err.issues[0].message).toMatch(/unknown field/);
  });

  it('checks image sides: multiple of 8 with the nearest choices, within 256..2048', () => {
    const err = issuesOf(() => parseProject({ ...HEADER, width: 500, height: 4096, keyframes: [{}] }));
    const byPath = Object.fromEntries(err.issues.map((i) => [i.path, i.message]));
    expect(byPath.width).toMatch(/multiple of 8.*496 or 504/);
    expect(byPath.height).toMatch(/at most 2048/);
    expect(() => parseProject({ ...HEADER, width: 256, height: 2048, keyframes: [{}] })).not.toThrow();
    expect(() => parseProject({ ...HEADER, width: 248, keyframes: [{}] })).toThrow(/width: must be at least 256/);
  });

  it('checks seeds are whole numbers in 0..2^32-1', () => {
    expect(() => parseProject({ ...HEADER, keyframes: [{ seed: 2 ** 32 }] })).toThrow(/keyframes\[0\]\.seed/);
    expect(() => parseProject({ ...HEADER, keyframes: [{ seed: -1 }] })).toThrow(/keyframes\[0\]\.seed/);
    expect(() => parseProject({ ...HEADER, keyframes: [{ seed: 1.5 }] })).toThrow(/keyframes\[0\]\.seed: must be a whole number/);
  });

  it('rejects duplicate keyframe ids', () => {
    const err = issuesOf(() => parseProject({ ...HEADER, keyframes: [{ id: 'a' }, { id: 'a' }] }));
    expect(err.issues).toEqual([{ path: 'keyframes[1].id', message: expect.stringContaining('keyframes[0]') }]);
  });

  it('suggests the closest enum value', () => {
    const err = issuesOf(() => parseProject({ ...HEADER, provider: 'cudaa', keyframes: [{}] }));
    expect(err.issues[0]).toEqual({ path: 'provider', message: expect.stringContaining('did you mean "cuda"') });
  });

  it('requires the envelope and keyframes', () => {
    expect(() => parseProject({ version: 1, keyframes: [{}] })).toThrow(/format: is required; set it to "latent-blending-studio"/);
    expect(() => parseProject({ format: 'latent-blending-studio', keyframes: [{}] })).toThrow(/version: is required/);
    expect(() => parseProject({ ...HEADER })).toThrow(/keyframes: is required/);
    expect(() => parseProject({ ...HEADER, keyframes: [] })).toThrow(/keyframes: needs at least 1 entry/);
    expect(() => parseProject([1, 2])).toThrow(/must contain a JSON object/);
  });

  it('refuses files from a newer version', () => {
    expect(() => parseProject({ ...HEADER, version: 7 }, 'x.lbs.json')).toThrow(/newer Latent Blending Studio.*update the app/);
  });

  it('asks an adaptive transition for exactly one limit', () => {
    for (const mode of [{ kind: 'adaptive' }, { kind: 'adaptive', budgetSeconds: 5, maxImages: 10 }]) {
      const err = issuesOf(() => parseProject({ ...HEADER, keyframes: [{}, {}], transitions: [{ mode }] }));
      expect(err.issues[0].path).toBe('transitions[0].mode');
      expect(err.issues[0].message).toMatch(/exactly one of "budgetSeconds".*"maxImages"/);
    }
  });

  it('rejects a depth strength that leaves too few shared or own steps', () => {
    // First injection round(N·d) (half to even) must lie in [3, N − 3]. With N = 12:
    // d = 0.8 → 10 > 9 and d = 0.2 → round(2.4) = 2 < 3; 0.21 → 3 and 0.79 → 9 fit.
    const withDepth = (depthStrength: number) =>
      parseProject({ ...HEADER, steps: 12, keyframes: [{}, {}], transitions: [{ depthStrength }] });
    for (const d of [0.8, 0.2]) {
      const err = issuesOf(() => withDepth(d));
      expect(err.issues[0].path).toBe('transitions[0].depthStrength');
      expect(err.issues[0].message).toMatch(/use 0\.21–0\.79 with 12 steps/);
    }
    expect(() => withDepth(0.21)).not.toThrow();
    expect(() => withDepth(0.79)).not.toThrow();
  });

  it('rejects a fixed-preset transition too short to plan three images', () => {
    // low: F = frames // 16, so 1 s at 24 fps (24 frames) plans 1 image; 48 frames plan 3.
    const err = issuesOf(() =>
      parseProject({ ...HEADER, keyframes: [{}, {}], transitions: [{ duration: 1, mode: { kind: 'fixed', preset: 'low' } }] }),
    );
    expect(err.issues[0].path).toBe('transitions[0].duration');
    expect(err.issues[0].message).toMatch(/24 frames.*"low".*48 frames.*at least 2 s/);
    expect(() =>
      parseProject({ ...HEADER, keyframes: [{}, {}], transitions: [{ duration: 2, mode: { kind: 'fixed', preset: 'low' } }] }),
    ).not.toThrow();
  });

  it('limits CRF to the encoder scale', () => {
    expect(() => parseProject({ ...HEADER, keyframes: [{}], export: { crf: 55 } })).toThrow(/export\.crf.*51/);
    expect(parseProject({ ...HEADER, keyframes: [{}], export: { format: 'webm', crf: 55 } }).export.crf).toBe(55);
  });

  it('rejects absolute and non-PNG image paths', () => {
    const err = issuesOf(() =>
      parseProject({ ...HEADER, keyframes: [{ image: 'C:\\pics\\a.png', mask: 'mask.jpg' }, { image: '/tmp/b.png' }] }),
    );
    const byPath = Object.fromEntries(err.issues.map((i) => [i.path, i.message]));
    expect(byPath['keyframes[0].image']).toMatch(/relative to the project/);
    expect(byPath['keyframes[0].mask']).toMatch(/PNG/);
    expect(byPath['keyframes[1].image']).toMatch(/relative to the project/);
  });

  it('explains malformed model references', () => {
    const err = issuesOf(() => parseProject({ ...HEADER, model: { id: 'sd15' }, keyframes: [{}] }));
    expect(err.issues[0].path).toBe('model');
    expect(err.issues[0].message).toMatch(/"id": "demo".*"path"/);
  });

  it('lists every problem at once', () => {
    const err = issuesOf(() =>
      parseProject({ ...HEADER, guidance: -1, fps: 0, keyframes: [{ seed: 'x' }] }),
    );
    expect(err.issues.map((i) => i.path).sort()).toEqual(['fps', 'guidance', 'keyframes[0].seed']);
    expect(err.message).toMatch(/3 problems/);
  });
});

describe('parseProjectText', () => {
  it('names line and column of a JSON syntax error and spots a trailing comma', () => {
    const text = '{\n  "format": "latent-blending-studio",\n  "version": 1,\n}\n';
    const err = issuesOf(() => parseProjectText(text, 'broken.lbs.json'));
    expect(err.message).toContain('broken.lbs.json');
    expect(err.message).toMatch(/line 4, column 1/);
    expect(err.message).toMatch(/trailing comma/);
  });

  it('points at a missing comma', () => {
    const text = '{\n  "format": "latent-blending-studio"\n  "version": 1\n}';
    expect(() => parseProjectText(text)).toThrow(/line 3, column 3.*comma is missing/);
  });

  it('reports a truncated file', () => {
    expect(() => parseProjectText('{\n  "format": "latent-blending-studio",')).toThrow(/ends too early/);
  });

  it('accepts a UTF-8 byte-order mark', () => {
    const text = `\uFEFF${JSON.stringify({ ...HEADER, keyframes: [{}] })}`;
    expect(parseProjectText(text).keyframes).toHaveLength(1);
  });
});

describe('helpers', () => {
  it('createProject makes one keyframe per prompt and n-1 transitions', () => {
    const p = createProject(['a', 'b', 'c'], 'Trip');
    expect(p.name).toBe('Trip');
    expect(p.keyframes.map((k) => k.prompt)).toEqual(['a', 'b', 'c']);
    expect(p.transitions).toHaveLength(2);
    expect(() => createProject([])).toThrow(/at least one prompt/);
  });

  it('createDefaultProject is a valid two-keyframe demo project', () => {
    const p = createDefaultProject();
    expect(p.keyframes).toHaveLength(2);
    expect(p.model).toEqual({ id: 'demo' });
    expect(parseProject(p)).toEqual(p);
  });

  it('resolveProjectPaths makes file references absolute against the project folder', () => {
    const p = parseProject({
      ...HEADER,
      model: { path: '../models/sd21' },
      keyframes: [{ image: 'img/a.png', mask: 'img/m.png' }, {}],
      export: { audio: 'sound/track.mp3' },
    });
    const r = resolveProjectPaths(p, '/home/me/films/trip.lbs.json');
    expect(r.keyframes[0].image).toBe('/home/me/films/img/a.png');
    expect(r.keyframes[0].mask).toBe('/home/me/films/img/m.png');
    expect(r.keyframes[1].image).toBeUndefined();
    expect(r.export.audio).toBe('/home/me/films/sound/track.mp3');
    expect(r.model).toEqual({ path: '/home/me/models/sd21' });
    expect(r.inpaintingModel).toEqual({ id: 'demo-inpainting' });
    // The input is not modified.
    expect(p.keyframes[0].image).toBe('img/a.png');
  });

  it('projectBaseName strips the .lbs.json extension', () => {
    expect(projectBaseName('/x/movie.lbs.json')).toBe('movie');
    expect(projectBaseName('/x/old.json')).toBe('old');
  });
});

describe('parseProject: limits where a result would be absurd', () => {
  it('refuses more keyframes than a project can hold, fast and with one clear message', () => {
    const keyframes = Array.from({ length: 100_000 }, (_, i) => ({ prompt: `p${i}` }));
    const started = performance.now();
    const error = issuesOf(() => parseProject({ ...HEADER, keyframes }));
    const elapsedMs = performance.now() - started;
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path: 'keyframes' });
    expect(error.message).toMatch(/keyframes: allows at most 1000 entries, got 100000/);
    // Measured, not a timing assertion: reported so a regression to element-by-element parsing shows.
    console.info(`100,000-keyframe document refused in ${elapsedMs.toFixed(1)} ms`);
  });

  it('refuses a transition of more frames than one may have, naming the duration that fits', () => {
    const error = issuesOf(() => parseProject({ ...HEADER, fps: 240, keyframes: [{ prompt: 'a' }, { prompt: 'b' }], transitions: [{ duration: 3600 }] }));
    expect(error.issues.map((i) => i.path)).toContain('transitions[0].duration');
    expect(error.message).toMatch(/3600 s at 240 fps is 864000 frames; one transition may have at most 36000 \(at most 150 s at this fps\)/);
    expect(parseProject({ ...HEADER, fps: 24, keyframes: [{ prompt: 'a' }, { prompt: 'b' }], transitions: [{ duration: 1500 }] }).transitions[0].duration).toBe(1500);
  });

  it('refuses a prompt far longer than CLIP can read', () => {
    const error = issuesOf(() => parseProject({ ...HEADER, keyframes: [{ prompt: 'x'.repeat(4001) }] }));
    expect(error.message).toMatch(/keyframes\[0\]\.prompt: allows at most 4000 characters, got 4001/);
  });
});

describe('parseProject: few-step models (fast transitions, model scheduler)', () => {
  const fast = (mode: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
    parseProject({ ...HEADER, ...extra, keyframes: [{}, {}], transitions: [{ mode: { kind: 'fast', ...mode } }] });

  it('accepts a fast transition and derives 4 steps (SD-Turbo) when every transition is fast', async () => {
    const p = fast({ branches: 12 }, { guidance: 0, model: { id: 'demo-fast' } });
    expect(p.transitions[0].mode).toEqual({ kind: 'fast', branches: 12 });
    const { effectiveSteps } = await import('./quality');
    expect(effectiveSteps(p)).toBe(4);
    expect(p.model).toEqual({ id: 'demo-fast' });
    expect(fast({ injectionStep: 0 }, { steps: 1 }).steps).toBe(1);
  });

  it('names the scheduler the project overrides with, all four kinds', () => {
    for (const scheduler of ['ddim', 'dpmpp-2m', 'euler', 'euler-ancestral']) expect(fast({}, { scheduler }).scheduler).toBe(scheduler);
  });

  it('rejects two limits, an injection step past the last step, and a tree with too few steps', () => {
    expect(issuesOf(() => fast({ branches: 5, maxImages: 9 })).issues[0].message).toMatch(/at most one of "branches"/);
    const k = issuesOf(() => fast({ injectionStep: 4 }, { steps: 4 }));
    expect(k.issues).toEqual([{ path: 'transitions[0].mode.injectionStep', message: expect.stringMatching(/4 is not a step of 4: use 0–3/) }]);
    const tree = issuesOf(() => parseProject({ ...HEADER, steps: 4, keyframes: [{}, {}], transitions: [{}] }));
    expect(tree.issues).toEqual([{ path: 'transitions[0].mode', message: expect.stringMatching(/the fixed tree needs at least 10 steps, the project has 4; use \{"kind": "fast"\}/) }]);
  });
});

describe('parseProject: export.gif', () => {
  it('keeps given GIF choices, fills the rest, and names the bad field', () => {
    const p = parseProject({ ...HEADER, keyframes: [{}, {}], export: { format: 'gif', gif: { scale: 0.5, plays: 3 } } });
    expect(p.export.gif).toEqual({ scale: 0.5, plays: 3, colors: 256, dither: 'bayer', bayerScale: 3, statsMode: 'diff' });
    expect(() => parseProject({ ...HEADER, keyframes: [{}, {}], export: { gif: { colors: 512 } } })).toThrow(/export\.gif\.colors/);
    expect(() => parseProject({ ...HEADER, keyframes: [{}, {}], export: { gif: { dither: 'atkinson' } } })).toThrow(/export\.gif\.dither/);
  });
});
