import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFixtureModel } from '../src-main/engine/testing/fixture-model';
import { readModelFolder, componentBytes } from '../src-main/engine/sd/model-folder';

/**
 * Real scale without real weights: a model folder whose UNet carries LBS_BENCH_UNET_GB
 * (default 1) gigabytes of float32 weights in model.onnx_data, as an optimum export does (SD 2.1's
 * fp32 UNet is 3.46 GB). A separate process loads it and runs CFG steps at 512×512; we report
 * load time, peak RSS against the bytes on disk (1.0 would mean one full copy in memory), and
 * time per step.
 */
export async function scaleBench(): Promise<Record<string, number | string>> {
  const gb = Number(process.env.LBS_BENCH_UNET_GB ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'lbs-scale-'));
  try {
    const written = performance.now();
    await writeFixtureModel(dir, { externalData: 'model.onnx_data', unetWeightBytes: gb * 1e9 });
    const writeMs = performance.now() - written;
    const layout = readModelFolder(dir);
    const bytes = ['unet', 'text_encoder', 'vae_decoder'].reduce((s, c) => s + componentBytes(layout.components[c as 'unet']!), 0);
    const probe = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./scale-probe.ts', import.meta.url)), dir, '5', '512'], { encoding: 'utf8' });
    if (probe.status !== 0) throw new Error(`scale probe failed: ${probe.stderr}`);
    const r = JSON.parse(probe.stdout.trim().split('\n').pop()!) as Record<string, number>;
    return {
      'model files on disk (GB)': bytes / 1e9,
      'writing the folder (s)': writeMs / 1000,
      'load time (s)': r.loadMs / 1000,
      'load throughput (GB/s)': bytes / 1e9 / (r.loadMs / 1000),
      'RSS after load − baseline (GB)': (r.rssAfterLoad - r.baselineRss) / 1e9,
      'peak RSS during load (GB)': r.maxRssAfterLoad / 1e9,
      'peak RSS (GB)': r.maxRss / 1e9,
      'peak RSS / model bytes (1.0 = one copy)': r.maxRss / bytes,
      'first CFG step, 512×512 (ms)': r.firstStepMs,
      'CFG step, 512×512 (ms)': r.stepMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
