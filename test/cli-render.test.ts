import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('--gif-* flags set the GIF size, plays and palette; a bad one fails before any rendering', () => {
    const gif = join(dir, 'out.gif');
    const bad = cli('render', project, '-o', gif, '--gif-colors', '999');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/GIF option colors is 999: use a whole number from 4 to 256/);
    expect(bad.stderr).not.toMatch(/rendered|UNet/);
    const r = cli('render', project, '-o', gif, '--gif-scale', '0.25', '--gif-plays', '2', '--gif-colors', '64');
    expect(r.code).toBe(0);
    expect(probe(gif).streams[0]).toMatchObject({ codec_name: 'gif', width: 128, height: 128, nb_read_frames: '96' });
    const bytes = readFileSync(gif);
    const at = bytes.indexOf(Buffer.from('NETSCAPE2.0', 'latin1'));
    expect(bytes.readUInt16LE(at + 13)).toBe(1);
  });

  /** The CLI as a child process, with a way to wait for a line on its stderr (an event, never a sleep). */
  function start(args: string[], env: NodeJS.ProcessEnv = process.env) {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stderr = '';
    const waiters: { pattern: RegExp; resolve: () => void }[] = [];
    child.stderr.on('data', (d) => {
      stderr += d;
      for (const w of [...waiters]) if (w.pattern.test(stderr)) w.resolve();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
    return {
      child,
      exited,
      stderr: () => stderr,
      /** Resolves when stderr has matched `pattern`; rejects if the process exits first. */
      line: (pattern: RegExp) =>
        new Promise<void>((resolve, reject) => {
          if (pattern.test(stderr)) return resolve();
          waiters.push({ pattern, resolve });
          void exited.then(() => (pattern.test(stderr) ? resolve() : reject(new Error(`exited before stderr matched ${pattern}:\n${stderr}`))));
        }),
    };
  }

  /** A real earlier export at `path` (what a creator would have there), and its bytes. */
  function previousVideo(path: string): Buffer {
    copyFileSync(join(dir, 'out12.mp4'), path);
    return readFileSync(path);
  }

  const partials = () => readdirSync(dir).filter((f) => f.includes('.partial-') || f.includes('.old-'));

  it('Ctrl-C during the export leaves the old video intact and no partial file', async () => {
    const video = join(dir, 'keep.mp4');
    const old = previousVideo(video);
    const run = start(['render', project, '-o', video, '--preset', 'veryslow', '--crf', '0']);
    // The render itself is all cache by now; interrupt once the first frame went to ffmpeg.
    await run.line(/^encoding \d+ frames to /m);
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 130, signal: null });
    expect(readFileSync(video).equals(old)).toBe(true);
    expect(partials()).toEqual([]);
    expect(run.stderr()).toMatch(/cancel/i);
  });

  it('Ctrl-C the moment the render phase ends cancels the whole command: no export, old target intact, exit 130', async () => {
    const video = join(dir, 'keep-render-end.mp4');
    const old = previousVideo(video);
    const run = start(['render', project, '-o', video]);
    await run.line(/^rendered 1 transitions/m);
    run.child.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 130, signal: null });
    expect(readFileSync(video).equals(old)).toBe(true);
    expect(partials()).toEqual([]);
  });

  it('Ctrl-C after the target was replaced cannot kill the command: exit 0 with the new video', async () => {
    const video = join(dir, 'replaced.mp4');
    const old = previousVideo(video);
    const run = start(['render', project, '-o', video]);
    await run.line(/replaced\.mp4 \(mp4, 96 frames/);
    // Interrupt again and again until it exits: no moment may be left without a handler.
    let exited = false;
    void run.exited.then(() => (exited = true));
    const hammer = setInterval(() => !exited && run.child.kill('SIGINT'), 1);
    const status = await run.exited;
    clearInterval(hammer);
    expect(status).toEqual({ code: 0, signal: null });
    expect(readFileSync(video).equals(old)).toBe(false);
    expect(probe(video).streams[0].nb_read_frames).toBe('96');
  });

  it('refuses to replace a file that is not a video of that format unless --force names it', () => {
    const notes = join(dir, 'notes.mp4');
    writeFileSync(notes, 'my notes, not a video');
    const refused = cli('render', project, '-o', notes);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already exists and is not a MP4 video; it was not replaced.*--force/);
    // Refused before any rendering: no "rendered" line.
    expect(refused.stderr).not.toMatch(/rendered \d+ transitions/);
    expect(readFileSync(notes, 'utf8')).toBe('my notes, not a video');
    const forced = cli('render', project, '-o', notes, '--force');
    expect(forced.code).toBe(0);
    expect(probe(notes).streams[0].nb_read_frames).toBe('96');
  });

  it('refuses -o and --frames-dir in a system folder before rendering', () => {
    const video = cli('render', project, '-o', '/usr/movie.mp4', '--force');
    expect(video.code).toBe(1);
    expect(video.stderr).toMatch(/\/usr is a system folder.*Pick a folder of your own/s);
    expect(video.stderr).not.toMatch(/rendered \d+ transitions/);
    const frames = cli('render', project, '--frames-dir', '/proc/frames');
    expect(frames.code).toBe(1);
    expect(frames.stderr).toMatch(/\/proc is a system folder/);
    expect(frames.stderr).not.toMatch(/rendered \d+ transitions|frames \(/);
  });

  it('--frames-dir writes only into a new, empty or studio-written folder', () => {
    const photos = join(dir, 'photos');
    mkdirSync(photos);
    writeFileSync(join(photos, '00000.png'), 'a holiday photo');
    const r = cli('render', project, '--frames-dir', photos);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/folder the studio did not write/);
    expect(r.stderr).not.toMatch(/rendered \d+ transitions|frames \(/);
    expect(readFileSync(join(photos, '00000.png'), 'utf8')).toBe('a holiday photo');
    // The folder the first test rendered into carries frames.json: rendering into it again is fine.
    expect(cli('render', project, '--frames-dir', join(dir, 'frames')).code).toBe(0);
  });

  it('checks ffmpeg before rendering, and a render that fails before producing anything leaves no cache folder', () => {
    const fresh = join(dir, 'fresh.lbs.json');
    copyFileSync(project, fresh);
    const r = spawnSync(process.execPath, [BIN, 'render', fresh, '-o', join(dir, 'fresh.mp4')], { encoding: 'utf8', env: { ...process.env, FFMPEG_PATH: join(dir, 'no-such-ffmpeg') } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ffmpeg/i);
    expect(r.stderr).not.toMatch(/rendered \d+ transitions/);
    expect(existsSync(join(dir, 'fresh.lbs.cache'))).toBe(false);
    expect(existsSync(join(dir, 'fresh.mp4'))).toBe(false);
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
