import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixtureModel } from '../src-main/engine/testing/fixture-model';
import { FakeHub } from '../src-main/services/hub/testing/fake-hub';

/**
 * `models pull` → `models list` → `keyframe --model owner/name` against a local server speaking
 * the Hub protocol (HF_ENDPOINT), into a Hugging Face cache of the test's own (HF_HUB_CACHE).
 */
const BIN = resolve(__dirname, '../bin/latentblend.mjs');
const root = mkdtempSync(join(tmpdir(), 'lbs-cli-hub-'));
const cache = join(root, 'hf-cache');
let hub: FakeHub;

/** The CLI as a child process, asynchronously: the test's hub must keep answering meanwhile. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, LBS_DEBUG: '', HF_ENDPOINT: hub.url, HF_HUB_CACHE: cache, HF_TOKEN: '', HF_HUB_OFFLINE: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  await writeFixtureModel(join(root, 'sd2'), { externalData: 'model.onnx_data' });
  await writeFixtureModel(join(root, 'gpu'), { cudaOnlyOp: true });
  hub = await new FakeHub({ 'fixture/sd2-tiny': { dir: join(root, 'sd2') }, 'fixture/gpu-only': { dir: join(root, 'gpu') } }).start();
});

afterAll(() => hub?.stop());

describe('latentblend models pull / list / remove and --model owner/name', () => {
  it('pulls with resume after a dropped connection, lists the model, and renders a keyframe from it', async () => {
    const file = hub.file('fixture/sd2-tiny', 'unet/model.onnx_data');
    hub.dropOnce('fixture/sd2-tiny', 'unet/model.onnx_data', 500);
    const pull = await cli(['models', 'pull', 'fixture/sd2-tiny']);
    expect(pull.stderr).toContain('fixture/sd2-tiny @ ');
    expect(pull.code).toBe(0);
    const dir = pull.stdout.trim();
    expect(dir).toBe(join(cache, 'models--fixture--sd2-tiny', 'snapshots', hub.commitOf('fixture/sd2-tiny')));
    expect(hub.requests.some((r) => r.url.endsWith('unet/model.onnx_data') && r.range === `bytes=500-${file.data.length - 1}`)).toBe(true);
    expect(readFileSync(join(dir, 'unet', 'model.onnx_data')).equals(file.data)).toBe(true);

    const list = await cli(['models', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`Hugging Face cache: ${cache}`);
    expect(list.stdout).toMatch(/fixture\/sd2-tiny .* ready {2}\[main=[0-9a-f]{10}\]/);

    const args = ['keyframe', '--prompt', 'a lighthouse', '--steps', '3', '--width', '64', '--height', '64'];
    const byRepo = await cli([...args, '--model', 'fixture/sd2-tiny', '-o', join(root, 'repo.png')]);
    expect(byRepo.stderr).toContain('repo.png');
    expect(byRepo.code).toBe(0);
    const byFolder = await cli([...args, '--model', join(root, 'sd2'), '-o', join(root, 'folder.png')]);
    expect(byFolder.code).toBe(0);
    expect(readFileSync(join(root, 'repo.png')).equals(readFileSync(join(root, 'folder.png')))).toBe(true);

    // Offline, the cached model still resolves with no request to the hub.
    const before = hub.requests.length;
    const offline = await cli([...args, '--model', 'fixture/sd2-tiny', '-o', join(root, 'offline.png')], { HF_HUB_OFFLINE: '1' });
    expect(offline.code).toBe(0);
    expect(hub.requests.length).toBe(before);

    const removed = await cli(['models', 'remove', 'fixture/sd2-tiny']);
    expect(removed.code).toBe(0);
    expect(existsSync(join(cache, 'models--fixture--sd2-tiny'))).toBe(false);
    const gone = await cli([...args, '--model', 'fixture/sd2-tiny', '-o', join(root, 'gone.png')], { HF_HUB_OFFLINE: '1' });
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim().split('\n')).toHaveLength(1);
    expect(gone.stderr).toMatch(/fixture\/sd2-tiny is not in the Hugging Face cache .* HF_HUB_OFFLINE=1/);
    expect(existsSync(join(root, 'gone.png'))).toBe(false);
  });

  it('keyframe --model pulls an uncached repo first, then renders', async () => {
    const r = await cli(['keyframe', '--prompt', 'x', '--steps', '2', '--width', '64', '--height', '64', '--model', 'fixture/sd2-tiny@main', '-o', join(root, 'auto.png')]);
    expect(r.stderr).toContain('not in the Hugging Face cache: downloading it');
    expect(r.code).toBe(0);
    expect(existsSync(join(root, 'auto.png'))).toBe(true);
  });

  it('renders a project whose model is {"hub": "owner/name"}, pulling it first', async () => {
    const project = join(root, 'hub-project.lbs.json');
    writeFileSync(
      project,
      JSON.stringify({
        format: 'latent-blending-studio',
        version: 1,
        model: { hub: 'fixture/sd2-tiny' },
        width: 256,
        height: 256,
        fps: 4,
        steps: 10,
        keyframes: [{ prompt: 'a forest', seed: 1 }, { prompt: 'a harbour', seed: 2 }],
        transitions: [{ duration: 1, depthStrength: 0.5, mode: { kind: 'fixed', preset: 'lowest' } }],
      }),
    );
    const cacheForProject = join(root, 'project-cache');
    const r = await cli(['render', project, '--frames-dir', join(root, 'frames')], { HF_HUB_CACHE: cacheForProject });
    expect(r.stderr).toContain("fixture/sd2-tiny (the project's model) is not in the Hugging Face cache: downloading it.");
    expect(r.code).toBe(0);
    expect(existsSync(join(cacheForProject, 'models--fixture--sd2-tiny', 'refs', 'main'))).toBe(true);
    expect(readdirSync(join(root, 'frames')).filter((f) => f.endsWith('.png')).length).toBe(4);
  });

  it('refuses a GPU-only export after the download with one line saying what to pick instead', async () => {
    const r = await cli(['models', 'pull', 'fixture/gpu-only']);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('downloading'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/fixture\/gpu-only is built for a GPU provider only: its graphs use GroupNorm/);
    expect(lines[0]).toMatch(/The download was removed\. Fix: Run it with --provider cuda on an NVIDIA GPU, or pick a CPU-compatible ONNX export/);
    expect(existsSync(join(cache, 'models--fixture--gpu-only'))).toBe(false);
  });

  it('answers a repo id that is not one with a usage line', async () => {
    const r = await cli(['models', 'pull', 'not a repo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not a Hub repo id/);
  });
});
