import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve(__dirname, '../bin/latentblend.mjs');
const EXAMPLES = resolve(__dirname, '../examples');
const dir = mkdtempSync(join(tmpdir(), 'lbs-cli-render-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function probe(file: string) {
  const r = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-show_streams', '-of', 'json', file], { encoding: 'utf8' });
  return JSON.parse(r.stdout) as { streams: { codec_name: string; pix_fmt: string; width: number; height: number; nb_read_frames: string }[] };
}

describe('latentblend plan and render on the shipped example', () => {
  const project = join(dir, 'transition.lbs.json');
  copyFileSync(join(EXAMPLES, 'transition.lbs.json'), project);

  it('plan prints the tree and an ETA as JSON', () => {
    const r = cli('plan', project);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    // medium preset, depth 0.5, 4 s at 24 fps = 96 frames → F = 96 // 8 = 12; first = round(30·0.5) = 15,
    // idx = [0] ++ int(linspace(15, 27, 5)) = [0, 15, 18, 21, 24, 27]; nb = round(logspace(log 2, log 12, 6)) = [2, 3, 4, 6, 8, 12];
    // every step passes the keep rule (gaps of 3, counts increasing).
    expect(plan.transitions[0]).toMatchObject({ mode: 'fixed', steps: 30, injectionSteps: [0, 15, 18, 21, 24, 27], branches: [2, 3, 4, 6, 8, 12], frames: 96, startFrame: 0 });
    expect(plan).toMatchObject({ fps: 24, frames: 96, keyframeFrames: [0, 95] });
    expect(plan.unetEvaluations).toBe(plan.transitions[0].unetEvaluations);
    expect(plan.etaSeconds).toBeGreaterThan(0);
  });

  it('render writes frames and an mp4 with the right codec, size and frame count', () => {
    const frames = join(dir, 'frames');
    const video = join(dir, 'out.mp4');
    const r = cli('render', project, '--frames-dir', frames, '-o', video);
    expect(r.stderr).toMatch(/96 frames/);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(frames, 'frames.json'), 'utf8'));
    expect(manifest.frames).toHaveLength(96);
    const stream = probe(video).streams[0];
    expect(stream).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: 512, height: 512, nb_read_frames: '96' });
    // A second render is all cache and re-times with --fps without diffusion.
    const again = cli('render', project, '-o', join(dir, 'out12.mp4'), '--fps', '12');
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/^rendered 1 transitions \(0 of \d+ UNet evaluations computed/m);
    expect(probe(join(dir, 'out12.mp4')).streams[0].nb_read_frames).toBe('48');
  });

  it('Ctrl-C during the export leaves the old video intact and no partial file', async () => {
    const video = join(dir, 'keep.mp4');
    writeFileSync(video, 'previous video');
    const child = spawn(process.execPath, [BIN, 'render', project, '-o', video, '--preset', 'veryslow', '--crf', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // The render itself is all cache by now; interrupt once encoding has begun.
    await new Promise((r) => setTimeout(r, 2500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).not.toBe(0);
    expect(readFileSync(video, 'utf8')).toBe('previous video');
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
    expect(stderr).toMatch(/cancel/i);
  });

  it('a project with a mistake opens nothing and names the field', () => {
    const bad = join(dir, 'bad.lbs.json');
    const json = JSON.parse(readFileSync(project, 'utf8'));
    json.transitions[0].depthStrength = 1.5;
    writeFileSync(bad, JSON.stringify(json));
    const r = cli('render', bad, '--frames-dir', join(dir, 'bad-frames'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/transitions\[0\]\.depthStrength/);
    expect(existsSync(join(dir, 'bad-frames'))).toBe(false);
  });
});
