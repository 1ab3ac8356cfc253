import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePng } from '../src-main/media/png';

const BIN = resolve(__dirname, '../bin/latentblend.mjs');
const dir = mkdtempSync(join(tmpdir(), 'lbs-cli-'));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, LBS_DEBUG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('latentblend keyframe', () => {
  it('writes byte-identical PNGs for the same arguments and different ones for another seed', () => {
    const args = ['keyframe', '--prompt', 'a red sunset over the ocean', '--steps', '8', '--width', '256', '--height', '256'];
    const a = cli(...args, '-o', join(dir, 'a.png'));
    expect(a.stderr).toContain('a.png');
    expect(a.code).toBe(0);
    const b = cli(...args, '-o', join(dir, 'b.png'));
    expect(b.code).toBe(0);
    const c = cli(...args, '--seed', '1', '-o', join(dir, 'c.png'));
    expect(c.code).toBe(0);
    const pa = readFileSync(join(dir, 'a.png'));
    expect(pa.equals(readFileSync(join(dir, 'b.png')))).toBe(true);
    expect(pa.equals(readFileSync(join(dir, 'c.png')))).toBe(false);
    expect(decodePng(pa).width).toBe(256);
    // No temporary files are left beside the output.
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  });

  it('refuses -o into a system folder, even with --force, before generating anything', () => {
    const r = cli('keyframe', '--prompt', 'a red sunset', '--steps', '4', '--width', '256', '--height', '256', '-o', '/etc/sunset.png', '--force');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\/etc is a system folder.*Pick a folder of your own/s);
    expect(existsSync('/etc/sunset.png')).toBe(false);
  });

  it('replaces a PNG, but a file of another kind only with --force', () => {
    const notes = join(dir, 'notes.png');
    writeFileSync(notes, 'my notes, not an image');
    const args = ['keyframe', '--prompt', 'a red sunset', '--steps', '4', '--width', '256', '--height', '256', '-o', notes];
    const refused = cli(...args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already exists and is not a PNG image; it was not replaced.*--force/);
    expect(readFileSync(notes, 'utf8')).toBe('my notes, not an image');
    expect(cli(...args, '--force').code).toBe(0);
    expect(decodePng(readFileSync(notes)).width).toBe(256);
    // Now a PNG: replaced without asking.
    expect(cli(...args).code).toBe(0);
  });

  it('answers bad arguments with one clear line and exit code 2', () => {
    const r = cli('keyframe', '--prompt', 'x', '--steps', 'many', '-o', join(dir, 'x.png'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--steps must be a whole number/);
    const size = cli('keyframe', '--prompt', 'x', '--width', '500', '-o', join(dir, 'x.png'));
    expect(size.code).toBe(2);
    expect(size.stderr).toMatch(/multiple of 8/);
    const ambiguous = cli('keyframe', '--prompt', 'x', '--threads', '-1', '-o', join(dir, 'x.png'));
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr.trim().split('\n')).toHaveLength(1);
    const threads = cli('keyframe', '--prompt', 'x', '--threads=-1', '-o', join(dir, 'x.png'));
    expect(threads.code).toBe(2);
    expect(threads.stderr).toMatch(/--threads must be a whole number from 0 to 256/);
    const noOut = cli('keyframe', '--prompt', 'x', '-o', join(dir, 'no-such-folder', 'x.png'));
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/does not exist/);
  });

  it('names the file and the problem for a broken model folder, in one line', () => {
    const model = join(dir, 'broken-model');
    mkdirSync(join(model, 'unet'), { recursive: true });
    mkdirSync(join(model, 'text_encoder'), { recursive: true });
    mkdirSync(join(model, 'vae_decoder'), { recursive: true });
    mkdirSync(join(model, 'scheduler'), { recursive: true });
    mkdirSync(join(model, 'tokenizer'), { recursive: true });
    const r = cli('keyframe', '--prompt', 'x', '--model', model, '-o', join(dir, 'x.png'));
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(join(model, 'text_encoder', 'model.onnx'));
    expect(existsSync(join(dir, 'x.png'))).toBe(false);
  });
});

describe('latentblend models inspect', () => {
  it('describes the demo model and says it loads', () => {
    const r = cli('models', 'inspect', 'demo');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Demo model (procedural, not Stable Diffusion)');
    expect(r.stdout).toMatch(/unet: .*\n\s+in: +sample float32\[/);
    expect(r.stdout).toContain('loads: yes');
  });

  it('names the scheduler used without --scheduler and recognises the few-step demo', () => {
    const demo = cli('models', 'inspect', 'demo');
    expect(demo.stdout).toContain("default scheduler: ddim (the folder's DDIMScheduler)");
    expect(demo.stdout).not.toContain('few-step model');
    const fast = cli('models', 'inspect', 'demo-fast');
    expect(fast.code).toBe(0);
    expect(fast.stdout).toContain("default scheduler: euler (the folder's EulerDiscreteScheduler)");
    expect(fast.stdout).toMatch(/few-step model: .*"trailing" timesteps.*; suggested 4 steps, guidance 0, fast transitions/);
  });

  it('renders a keyframe with each Euler scheduler, the same bytes for the same seed', () => {
    for (const scheduler of ['euler', 'euler-ancestral']) {
      const args = ['keyframe', '--prompt', 'a red sunset over the ocean', '--steps', '4', '--guidance', '0', '--width', '256', '--height', '256', '--scheduler', scheduler];
      const a = cli(...args, '-o', join(dir, `${scheduler}-a.png`));
      expect(a.code, a.stderr).toBe(0);
      expect(cli(...args, '-o', join(dir, `${scheduler}-b.png`)).code).toBe(0);
      expect(readFileSync(join(dir, `${scheduler}-a.png`)).equals(readFileSync(join(dir, `${scheduler}-b.png`)))).toBe(true);
    }
    expect(readFileSync(join(dir, 'euler-a.png')).equals(readFileSync(join(dir, 'euler-ancestral-a.png')))).toBe(false);
  });

  it('exits non-zero and explains a folder that is not a model', () => {
    const r = cli('models', 'inspect', join(dir, 'nothing-here'));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/does not exist or is not a folder/);
    expect(r.stdout).toContain('loads: NO');
  });
});

describe('latentblend serve', () => {
  it('stops cleanly on SIGTERM, like on Ctrl-C', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LBS_CONFIG_DIR: join(dir, 'serve-config') } });
    let stdout = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
    // An event, not a sleep: the line with the URL says the server is listening.
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        if (/http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(stdout)) resolve();
      });
      void exited.then(() => reject(new Error(`serve exited before listening:\n${stdout}`)));
    });
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
  });
});
