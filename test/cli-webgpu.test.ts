import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { swiftShaderEnv } from '../src-main/engine/testing/swiftshader';
import { decodePng } from '../src-main/media/png';

// `latentblend keyframe --provider webgpu` through Dawn on SwiftShader (CI has no GPU).
const BIN = resolve(__dirname, '../bin/latentblend.mjs');
const dir = mkdtempSync(join(tmpdir(), 'lbs-cli-webgpu-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...swiftShaderEnv(), LBS_DEBUG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const KEYFRAME = ['keyframe', '--prompt', 'a red sunset over the ocean', '--steps', '3', '--width', '64', '--height', '64'];

describe('latentblend on the WebGPU provider', () => {
  it('keyframe --provider webgpu runs on the adapter it names and matches the CPU within 2/255', { timeout: 180_000 }, () => {
    const gpu = cli(...KEYFRAME, '--provider', 'webgpu', '-o', join(dir, 'gpu.png'));
    expect(gpu.code, gpu.stderr).toBe(0);
    expect(gpu.stderr).toContain('webgpu on SwiftShader Device Subzero (software) · Vulkan');
    expect(gpu.stderr).not.toMatch(/unavailable/);
    const cpu = cli(...KEYFRAME, '--provider', 'cpu', '-o', join(dir, 'cpu.png'));
    expect(cpu.code, cpu.stderr).toBe(0);
    const [a, b] = [decodePng(readFileSync(join(dir, 'gpu.png'))), decodePng(readFileSync(join(dir, 'cpu.png')))];
    let diff = 0;
    for (let i = 0; i < a.data.length; i++) diff = Math.max(diff, Math.abs(a.data[i] - b.data[i]));
    expect(diff).toBeLessThanOrEqual(2);
  });

  it('auto says it passed over the software adapter and runs on the CPU, as a note and not a warning', () => {
    const r = cli(...KEYFRAME, '-o', join(dir, 'auto.png'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/note: provider auto: No GPU found, running on the CPU \(.*WebGPU: the only GPU adapter is SwiftShader Device Subzero \(software\) · Vulkan, a CPU emulation/);
    expect(r.stderr).not.toMatch(/unavailable/);
  });

  it('models inspect --provider webgpu reports the adapter', { timeout: 120_000 }, () => {
    const r = cli('models', 'inspect', 'demo', '--provider', 'webgpu', '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.loads).toBe(true);
    expect(report.provider).toMatchObject({ requested: 'webgpu', active: 'webgpu', adapter: { architecture: 'swiftshader', backend: 'Vulkan', software: true } });
  });
});
