import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ioSignature } from '../onnx/io-signature';
import { DEMO_MARKER_FILE, DEMO_MODEL_NAME, DEMO_MODEL_VERSION, ensureDemoModels, writeDemoModel } from './demo-model';
import { DEMO_WORDS } from './words';
import { demoPromptIds } from './prompt-ids';
import { demoClipVocabulary } from './clip-vocabulary';
import { sd2AlphasCumprod } from './prior';

let root: string;
let text2img: string;
let inpainting: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lbs-demo-'));
  text2img = join(root, 'text2img');
  inpainting = join(root, 'inpainting');
  await writeDemoModel(text2img, 'text2img');
  await writeDemoModel(inpainting, 'inpainting');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

async function signature(dir: string, part: string) {
  const session = await ort.InferenceSession.create(join(dir, part, 'model.onnx'));
  return { inputs: ioSignature(session.inputMetadata), outputs: ioSignature(session.outputMetadata) };
}

describe('demo model folder', () => {
  it('has the SD 2.x ONNX layout and a demo marker', async () => {
    expect(await listFiles(text2img)).toEqual([
      DEMO_MARKER_FILE,
      'model_index.json',
      'scheduler/scheduler_config.json',
      'text_encoder/model.onnx',
      'tokenizer/merges.txt',
      'tokenizer/special_tokens_map.json',
      'tokenizer/tokenizer_config.json',
      'tokenizer/vocab.json',
      'unet/model.onnx',
      'vae_decoder/model.onnx',
      'vae_encoder/model.onnx',
    ]);
    const marker = JSON.parse(await readFile(join(text2img, DEMO_MARKER_FILE), 'utf8'));
    expect(marker).toMatchObject({ name: 'Demo model (procedural, not Stable Diffusion)', version: DEMO_MODEL_VERSION });
    expect(DEMO_MODEL_NAME).toBe('Demo model (procedural, not Stable Diffusion)');
    const index = JSON.parse(await readFile(join(text2img, 'model_index.json'), 'utf8'));
    expect(index._class_name).toBe('OnnxStableDiffusionPipeline');
    expect(index.unet).toEqual(['diffusers', 'OnnxRuntimeModel']);
    const inpaintIndex = JSON.parse(await readFile(join(inpainting, 'model_index.json'), 'utf8'));
    expect(inpaintIndex._class_name).toBe('OnnxStableDiffusionInpaintPipeline');
  });

  it('ships the SD 2 base DDIM scheduler config', async () => {
    const config = JSON.parse(await readFile(join(text2img, 'scheduler', 'scheduler_config.json'), 'utf8'));
    expect(config).toMatchObject({
      _class_name: 'DDIMScheduler',
      num_train_timesteps: 1000,
      beta_start: 0.00085,
      beta_end: 0.012,
      beta_schedule: 'scaled_linear',
      clip_sample: false,
      set_alpha_to_one: false,
      steps_offset: 1,
      prediction_type: 'epsilon',
    });
    expect(config.timestep_spacing).toBeUndefined();
  });

  it('writes a CLIP-format tokenizer that pads with "!" (id 0) and knows its words as whole tokens', async () => {
    const dir = join(text2img, 'tokenizer');
    const vocab = JSON.parse(await readFile(join(dir, 'vocab.json'), 'utf8')) as Record<string, number>;
    const merges = (await readFile(join(dir, 'merges.txt'), 'utf8')).split('\n');
    const special = JSON.parse(await readFile(join(dir, 'special_tokens_map.json'), 'utf8'));
    expect(special.pad_token).toBe('!');
    expect(special.bos_token.content).toBe('<|startoftext|>');
    expect(special.eos_token.content).toBe('<|endoftext|>');
    expect(JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8')).model_max_length).toBe(77);
    expect(merges[0]).toBe('#version: 0.2');
    // CLIP order: 256 byte symbols, the same with </w>, merges, then BOS and EOS last.
    expect(vocab['!']).toBe(0);
    expect(vocab['!</w>']).toBe(256);
    expect(vocab['Ā']).toBe(188); // byte 0x00 is the first shifted byte, after the 188 printable ones
    const size = Object.keys(vocab).length;
    expect(vocab['<|startoftext|>']).toBe(size - 2);
    expect(vocab['<|endoftext|>']).toBe(size - 1);
    expect(new Set(Object.values(vocab)).size).toBe(size);
    for (const line of merges.slice(1).filter((l) => l !== '')) {
      const [a, b] = line.split(' ');
      expect(vocab[a + b], line).toBeDefined();
    }
    const v = demoClipVocabulary();
    for (const word of DEMO_WORDS) {
      const ids = demoPromptIds(word);
      expect([ids[0], v.tokens[ids[1]], ids[2], ids[3]], word).toEqual([v.bosId, `${word}</w>`, v.eosId, 0]);
    }
    // Unknown words still tokenize, into sub-word pieces.
    const unknown = Array.from(demoPromptIds('zqxj')).slice(0, 6);
    expect(unknown.slice(1, 5).map((id) => v.tokens[id])).toEqual(['z', 'q', 'x', 'j</w>']);
  });

  it('declares the I/O names, element types and shapes of SD 2 exports', async () => {
    const text = await signature(text2img, 'text_encoder');
    expect(text.inputs).toEqual({ input_ids: { type: 'int32', shape: ['batch', 'sequence'] } });
    expect(text.outputs.last_hidden_state.type).toBe('float32');
    expect(text.outputs.last_hidden_state.shape).toEqual(['batch', 'sequence', 64]);
    expect(text.outputs.pooler_output.shape).toEqual(['batch', 64]);

    for (const [dir, channels] of [
      [text2img, 4],
      [inpainting, 9],
    ] as const) {
      const unet = await signature(dir, 'unet');
      expect(unet.inputs).toEqual({
        sample: { type: 'float32', shape: ['batch', channels, 'height', 'width'] },
        timestep: { type: 'int64', shape: ['batch'] },
        encoder_hidden_states: { type: 'float32', shape: ['batch', 'sequence', 64] },
      });
      expect(unet.outputs).toEqual({ out_sample: { type: 'float32', shape: ['batch', 4, 'height', 'width'] } });
    }
    const decoder = await signature(text2img, 'vae_decoder');
    expect(decoder.inputs).toEqual({ latent_sample: { type: 'float32', shape: ['batch', 4, 'latent_height', 'latent_width'] } });
    expect(decoder.outputs).toEqual({ sample: { type: 'float32', shape: ['batch', 3, 'height', 'width'] } });
    const encoder = await signature(text2img, 'vae_encoder');
    expect(encoder.inputs).toEqual({ sample: { type: 'float32', shape: ['batch', 3, 'height', 'width'] } });
    expect(encoder.outputs).toEqual({ latent_parameters: { type: 'float32', shape: ['batch', 8, 'latent_height', 'latent_width'] } });
  });

  it('writes the same bytes on every generation and stays small', async () => {
    const again = join(root, 'again');
    await writeDemoModel(again, 'text2img');
    const files = await listFiles(text2img);
    expect(await listFiles(again)).toEqual(files);
    let total = 0;
    for (const f of files) {
      const a = await readFile(join(text2img, f));
      const b = await readFile(join(again, f));
      expect(a.equals(b), f).toBe(true);
      total += a.length;
    }
    expect(total).toBeLessThan(2 * 1024 * 1024);
  });

  it('uses the SD 2 alphas_cumprod (public reference values)', () => {
    const a = sd2AlphasCumprod();
    const reference: [number, number][] = [
      [0, 0.99915],
      [1, 0.998296],
      [500, 0.276332],
      [958, 0.0075348],
      [999, 0.0046601],
    ];
    for (const [t, value] of reference) expect(Math.abs(a[t] - value), `t=${t}`).toBeLessThan(1e-5);
  });
});

describe('ensureDemoModels', () => {
  it('creates both folders once, atomically, and reuses them', async () => {
    const cache = join(root, 'cache');
    const [first, second] = await Promise.all([ensureDemoModels(cache), ensureDemoModels(cache)]);
    expect(first).toEqual({ text2img: join(cache, 'models', 'demo-v1'), inpainting: join(cache, 'models', 'demo-v1-inpainting') });
    expect(second).toEqual(first);
    expect((await readdir(join(cache, 'models'))).sort()).toEqual(['demo-v1', 'demo-v1-inpainting']); // no temp leftovers
    const unet = join(first.text2img, 'unet', 'model.onnx');
    const before = (await stat(unet)).mtimeMs;
    await ensureDemoModels(cache);
    expect((await stat(unet)).mtimeMs).toBe(before);
    const marker = JSON.parse(await readFile(join(first.inpainting, DEMO_MARKER_FILE), 'utf8'));
    expect(marker.variant).toBe('inpainting');
  });

  it('rebuilds a folder whose version marker is outdated or missing', async () => {
    const cache = join(root, 'stale');
    const { text2img: dir, inpainting: inpaintDir } = await ensureDemoModels(cache);
    await writeFile(join(dir, DEMO_MARKER_FILE), JSON.stringify({ name: DEMO_MODEL_NAME, version: 0 }));
    await writeFile(join(dir, 'unet', 'model.onnx'), 'garbage');
    await rm(join(inpaintDir, DEMO_MARKER_FILE));
    await ensureDemoModels(cache);
    expect(JSON.parse(await readFile(join(dir, DEMO_MARKER_FILE), 'utf8')).version).toBe(DEMO_MODEL_VERSION);
    expect((await readFile(join(dir, 'unet', 'model.onnx'))).equals(await readFile(join(text2img, 'unet', 'model.onnx')))).toBe(true);
    expect(JSON.parse(await readFile(join(inpaintDir, DEMO_MARKER_FILE), 'utf8')).version).toBe(DEMO_MODEL_VERSION);
  });

  it('defaults to LBS_CACHE_DIR', async () => {
    const previous = process.env.LBS_CACHE_DIR;
    process.env.LBS_CACHE_DIR = join(root, 'env-cache');
    try {
      const paths = await ensureDemoModels();
      expect(paths.text2img).toBe(join(root, 'env-cache', 'models', 'demo-v1'));
    } finally {
      if (previous === undefined) delete process.env.LBS_CACHE_DIR;
      else process.env.LBS_CACHE_DIR = previous;
    }
  });
});
