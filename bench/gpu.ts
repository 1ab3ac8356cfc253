/**
 * `npm run bench:gpu`: the WebGPU execution provider against the CPU on a model with the compute
 * of SD 2.1-base (random weights, written on demand by engine/benchmark; never committed).
 * Prints ms per UNet step at 512² batch 2 (CFG), VAE decode ms, a medium-preset transition's wall
 * time, the engine's overhead (wall ÷ Σ session.run), what GPU-resident text states save, and
 * the adapter. Numbers only; one run; compare ratios.
 *
 *   npm run bench:gpu                          full size (GPU machine; CPU transition skipped)
 *   npm run bench:gpu -- --scale 0.2 --size 64 --preset lowest --steps 10 --transition-on cpu --repeats 1
 *                                              on a software adapter (SwiftShader: ≈ 50 s a UNet call)
 *
 * Flags: --scale S (channel widths × S, 1 = SD 2.1), --size N (image side), --providers a,b
 * (default webgpu,cpu), --preset P (transition preset, default medium), --frames F (default 72:
 * 3 s at 24 fps), --steps N (override the preset's steps), --transition-on a,b (default: webgpu,
 * plus cpu when scale < 1), --repeats R.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { renderTransition } from '../src-main/engine/blend/transition';
import type { QualityPreset } from '../src-main/engine/blend/fixed-tree';
import { writeSdSizeModel } from '../src-main/engine/benchmark/sd-size-model';
import { GraphBuilder } from '../src-main/engine/onnx/graph-builder';
import { buildModel } from '../src-main/engine/onnx/model';
import { adapterLabel, probeGpuAdapter } from '../src-main/engine/sd/gpu-adapter';
import { loadStableDiffusion } from '../src-main/engine/sd/pipeline';
import type { StableDiffusion } from '../src-main/engine/sd/types';

type Figures = Record<string, number | string>;

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    size: { type: 'string', default: '512' },
    providers: { type: 'string', default: 'webgpu,cpu' },
    preset: { type: 'string', default: 'medium' },
    frames: { type: 'string', default: '72' },
    steps: { type: 'string' },
    'transition-on': { type: 'string' },
    repeats: { type: 'string', default: '3' },
  },
});
const scale = Number(values.scale);
const size = Number(values.size);
const repeats = Math.max(1, Number(values.repeats));
const providers = values.providers!.split(',') as ('webgpu' | 'cpu')[];
const transitionOn = (values['transition-on'] ?? (scale < 1 ? 'webgpu,cpu' : 'webgpu')).split(',');

function print(title: string, figures: Figures): void {
  process.stdout.write(`\n## ${title}\n`);
  for (const [name, value] of Object.entries(figures)) {
    process.stdout.write(`${name.padEnd(52)} ${typeof value === 'number' ? formatNumber(value) : value}\n`);
  }
}

/** Integers as they are; other values to 4 significant digits (a 0.001 ratio must not read 0.00). */
function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}

/** Progress on stderr, so a slow (software) adapter shows where the time goes. */
function progress(text: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function timed(run: () => Promise<unknown>): Promise<number[]> {
  await run(); // warm-up: shader compilation, arena allocation
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times;
}

async function modelDir(): Promise<string> {
  const root = process.env.LBS_CACHE_DIR ?? join(homedir(), '.cache', 'latent-blending-studio');
  const dir = join(root, 'bench', `sd21-size-x${scale}`);
  if (!existsSync(join(dir, 'unet', 'model.onnx_data'))) {
    mkdirSync(dir, { recursive: true });
    const start = performance.now();
    const { unetParameters, vaeParameters } = await writeSdSizeModel(dir, { scale });
    print('benchmark model (generated, random weights)', {
      folder: dir,
      'UNet parameters (SD 2.1-base: 865,910,724)': unetParameters,
      'VAE decoder parameters': vaeParameters,
      'generation time (s)': (performance.now() - start) / 1000,
    });
  }
  return dir;
}

async function unetAndVae(sd: StableDiffusion): Promise<Figures> {
  const cond = await sd.encodePrompt('a lighthouse on a cliff at dawn');
  const uncond = await sd.encodePrompt('');
  const schedule = sd.makeSchedule('ddim', 30);
  const latent = sd.initialNoise(0, size, size);
  // One step of one image with CFG = one UNet call of batch 2.
  const step = () => sd.runTrajectories([{ startLatent: latent, startStep: 10, stopStep: 11, cond: cond.embedding, uncond: uncond.embedding, guidance: 7.5 }], schedule);
  progress(`UNet steps (1 warm-up + ${repeats})`);
  const stepMs = await timed(step);
  progress(`VAE decodes (1 warm-up + ${repeats})`);
  const decodeMs = await timed(() => sd.decode(latent));
  return {
    [`UNet step, ${size}² batch 2 (CFG), median ms`]: median(stepMs),
    'UNet step, min ms': Math.min(...stepMs),
    [`VAE decode ${size}², median ms`]: median(decodeMs),
  };
}

async function transition(sd: StableDiffusion): Promise<Figures> {
  progress(`${values.preset} transition`);
  const before = { ...sd.stats };
  const start = performance.now();
  const result = await renderTransition(sd, {
    a: { prompt: 'a red house on a hill', seed: 1 },
    b: { prompt: 'a blue lake in the mountains', seed: 2 },
    guidance: 7.5,
    guidanceMidDamper: 0.6,
    scheduler: 'ddim',
    width: size,
    height: size,
    mode: { kind: 'fixed', preset: values.preset as QualityPreset, frames: Number(values.frames), depthStrength: 0.5, ...(values.steps ? { steps: Number(values.steps) } : {}) },
  });
  const wall = performance.now() - start;
  const inRun = sd.stats.sessionRunMs - before.sessionRunMs;
  return {
    [`${values.preset} transition (${values.frames} frames), wall s`]: wall / 1000,
    'final images': result.images.length,
    'UNet calls': sd.stats.unetCalls - before.unetCalls,
    'engine overhead (wall ÷ Σ session.run)': wall / inRun,
  };
}

/**
 * What keeping the text states on the GPU saves per UNet call: the same UNet fed its
 * encoder_hidden_states from a CPU tensor vs a GPU tensor (uploaded once by an Identity graph
 * whose output stays on the device). UNet outputs must come back each step anyway: the
 * scheduler and CFG run in JS, and onnxruntime-node cannot download a GPU tensor.
 */
async function gpuResidentText(dir: string): Promise<Figures> {
  const unet = await ort.InferenceSession.create(join(dir, 'unet', 'model.onnx'), { executionProviders: ['webgpu'], logSeverityLevel: 3 });
  const g = new GraphBuilder('upload');
  g.input('x', 'float32', ['b', 77, 1024]);
  g.output('y', 'float32', ['b', 77, 1024]);
  g.node('Identity', ['x'], ['y']);
  const upload = await ort.InferenceSession.create(buildModel({ graph: g }), { executionProviders: ['webgpu'], preferredOutputLocation: 'gpu-buffer', logSeverityLevel: 3 });
  const lat = size / 8;
  const sample = new ort.Tensor('float32', new Float32Array(2 * 4 * lat * lat).fill(0.1), [2, 4, lat, lat]);
  const timestep = new ort.Tensor('int64', new BigInt64Array(2).fill(500n), [2]);
  const hiddenCpu = new ort.Tensor('float32', new Float32Array(2 * 77 * 1024).fill(0.01), [2, 77, 1024]);
  const hiddenGpu = (await upload.run({ x: hiddenCpu })).y;
  // Alternating pairs: a loaded machine drifts, and both feeds must see the same drift.
  const run = async (hidden: ort.Tensor) => {
    const start = performance.now();
    const out = (await unet.run({ sample, timestep, encoder_hidden_states: hidden })).out_sample.data as Float32Array;
    return { ms: performance.now() - start, out };
  };
  await run(hiddenCpu);
  await run(hiddenGpu);
  const fromCpu: number[] = [];
  const fromGpu: number[] = [];
  let maxDiff = 0;
  for (let i = 0; i < repeats; i++) {
    const a = await run(hiddenCpu);
    const b = await run(hiddenGpu);
    fromCpu.push(a.ms);
    fromGpu.push(b.ms);
    for (let j = 0; j < a.out.length; j++) maxDiff = Math.max(maxDiff, Math.abs(a.out[j] - b.out[j]));
  }
  hiddenGpu.dispose();
  await Promise.all([unet.release(), upload.release()]);
  return {
    'UNet call, text states from CPU, median ms': median(fromCpu),
    'UNet call, text states resident on GPU, median ms': median(fromGpu),
    'ratio CPU-fed ÷ GPU-resident': median(fromCpu) / median(fromGpu),
    'max |difference| of the outputs': maxDiff,
  };
}

async function main(): Promise<void> {
  const probe = await probeGpuAdapter();
  print('adapter', {
    adapter: probe.found ? adapterLabel(probe.adapter) : `none: ${probe.reason}`,
    ...(probe.found ? { vendor: probe.adapter.vendor, architecture: probe.adapter.architecture, driver: probe.adapter.description, 'shader-f16': String(probe.adapter.shaderF16) } : {}),
    'model scale (1 = SD 2.1-base)': scale,
    'image size': `${size}×${size}`,
    'ORT threads (CPU)': 'all cores',
  });
  const dir = await modelDir();
  const results: Record<string, Figures> = {};
  for (const provider of providers) {
    progress(`${provider}: loading the model`);
    const start = performance.now();
    const sd = await loadStableDiffusion(dir, { provider });
    const loadS = (performance.now() - start) / 1000;
    if (sd.provider.active !== provider) {
      print(provider, { skipped: `ran on ${sd.provider.active}: ${sd.provider.fallbackReason ?? ''}` });
      await sd.dispose();
      continue;
    }
    const figures: Figures = { 'load s': loadS, ...(await unetAndVae(sd)) };
    if (transitionOn.includes(provider)) Object.assign(figures, await transition(sd));
    else figures['transition'] = 'skipped at this size (pass --transition-on to run it)';
    await sd.dispose();
    if (provider === 'webgpu') {
      progress('GPU-resident text states');
      Object.assign(figures, await gpuResidentText(dir));
    }
    results[provider] = figures;
    print(provider === 'webgpu' ? `WebGPU EP (${probe.found ? adapterLabel(probe.adapter) : 'adapter unknown'})` : 'CPU EP', figures);
  }
  const [gpu, cpu] = [results.webgpu, results.cpu];
  if (gpu && cpu) {
    const key = `UNet step, ${size}² batch 2 (CFG), median ms`;
    const vae = `VAE decode ${size}², median ms`;
    print('WebGPU vs CPU (ratios, this run)', {
      'UNet step speed-up (CPU ms ÷ WebGPU ms)': (cpu[key] as number) / (gpu[key] as number),
      'VAE decode speed-up (CPU ms ÷ WebGPU ms)': (cpu[vae] as number) / (gpu[vae] as number),
      'published reference: ORT CUDA, SD, A100': '≈ 22 ms per CFG step (512², batch 2)',
    });
  }
}

await main();
process.exit(0);
