import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ICNS_TYPES, ICO_SIZES, PNG_SIZES, iconPng } from '../../resources/make-icons';
import { scanImports } from '../architecture/import-graph';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const resources = path.join(repo, 'resources');
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { optionalDependencies?: Record<string, string> };

/** electron-builder's own loader and schema check (what `npm run dist` runs first). */
const builder = createRequire(createRequire(path.join(repo, 'package.json')).resolve('electron-builder/package.json'))(
  'app-builder-lib/out/util/config/config',
) as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<{ asarUnpack: string[]; directories: { buildResources: string } } & Record<string, unknown>>;
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
};
const quietLogger = { isEnabled: false, add() {} };

const dims = (png: Buffer) => {
  const image = PNG.sync.read(png);
  return [image.width, image.height];
};

describe('electron-builder configuration', () => {
  it('passes electron-builder’s schema, which rejects a wrong one', async () => {
    const config = await builder.getConfig(repo, null, null);
    expect(config.directories.buildResources).toBe('resources');
    await expect(builder.validateConfiguration(config, quietLogger)).resolves.toBeUndefined();
    await expect(builder.validateConfiguration({ ...config, asarUnpackk: ['out/**'] }, quietLogger)).rejects.toThrow(/unknown property 'asarUnpackk'/);
    await expect(builder.validateConfiguration({ ...config, compression: 'fastest' }, quietLogger)).rejects.toThrow(/compression/);
  });
});

describe('app icon', () => {
  it('has the Linux PNG set, each the size its name says', () => {
    for (const size of PNG_SIZES) expect(dims(readFileSync(path.join(resources, 'icons', `${size}x${size}.png`)))).toEqual([size, size]);
    expect(dims(readFileSync(path.join(resources, 'icon.png')))).toEqual([512, 512]);
  });

  it('has a Windows .ico whose directory matches its PNG entries, 16 to 256 px', () => {
    const ico = readFileSync(path.join(resources, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, ICO_SIZES.length]);
    const sizes = ICO_SIZES.map((_, i) => {
      const e = 6 + 16 * i;
      const declared = ico.readUInt8(e) || 256;
      const png = ico.subarray(ico.readUInt32LE(e + 12), ico.readUInt32LE(e + 12) + ico.readUInt32LE(e + 8));
      expect(dims(png)).toEqual([declared, declared]);
      return declared;
    });
    expect(sizes).toEqual([...ICO_SIZES]);
  });

  it('has a macOS .icns with PNG entries up to 1024 px', () => {
    const icns = readFileSync(path.join(resources, 'icon.icns'));
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: Record<string, number[]> = {};
    for (let at = 8; at < icns.length; at += icns.readUInt32BE(at + 4)) {
      found[icns.toString('ascii', at, at + 4)] = dims(icns.subarray(at + 8, at + icns.readUInt32BE(at + 4)));
    }
    expect(found).toEqual(Object.fromEntries(Object.entries(ICNS_TYPES).map(([size, type]) => [type, [Number(size), Number(size)]])));
  });

  it('is what resources/make-icons.ts draws (run `npm run icons` after changing it)', () => {
    for (const size of [16, 48]) expect(iconPng(size).equals(readFileSync(path.join(resources, 'icons', `${size}x${size}.png`)))).toBe(true);
  });
});

describe('the built app (npm run build)', () => {
  let config: Awaited<ReturnType<typeof builder.getConfig>>;
  beforeAll(async () => {
    // CI builds before testing; a checkout that has not built yet gets the same build here.
    if (!existsSync(path.join(repo, 'out/main/index.js')) || !existsSync(path.join(repo, 'out/renderer/index.html'))) {
      const r = spawnSync(process.execPath, [path.join(repo, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'error'], { cwd: repo, stdio: 'inherit' });
      if (r.status !== 0) throw new Error('npm run build failed');
    }
    config = await builder.getConfig(repo, null, null);
  });

  /** Files under the repo a glob like `out/main/chunks/**` or `out/main/engine-worker.js` names. */
  function matches(glob: string): string[] {
    const base = glob.replace(/\/\*\*$/, '');
    const abs = path.join(repo, base);
    if (!existsSync(abs)) return [];
    return base === glob ? [base] : readdirSync(abs, { recursive: true }).map((f) => `${base}/${String(f)}`);
  }

  it('has every file asarUnpack names (optional dependencies only where installed)', () => {
    for (const glob of config.asarUnpack) {
      const optional = /^node_modules\/([^/]+)\//.exec(glob)?.[1];
      if (optional && pkg.optionalDependencies?.[optional] !== undefined && !existsSync(path.join(repo, 'node_modules', optional))) continue;
      expect(matches(glob), glob).not.toEqual([]);
    }
    expect(matches('node_modules/onnxruntime-node/**').some((f) => f.endsWith('.node'))).toBe(true);
  });

  it('unpacks everything the engine worker imports, so it loads from outside the asar', () => {
    const unpacked = new Set(config.asarUnpack.flatMap(matches).map((f) => path.join(repo, f)));
    const worker = path.join(repo, 'out/main/engine-worker.js');
    const pending = [worker];
    const seen = new Set<string>();
    while (pending.length) {
      const file = pending.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      expect(unpacked.has(file), path.relative(repo, file)).toBe(true);
      for (const s of scanImports(readFileSync(file, 'utf8'))) if (s.startsWith('.')) pending.push(path.resolve(path.dirname(file), s));
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('starts its main bundle under a mocked electron and loads the built page with the built preload', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lbs-main-'));
    // A dev server URL from the environment would make main load that instead of the built page.
    const { ELECTRON_RENDERER_URL: _devServer, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', path.join(repo, 'test/packaging/register-electron-mock.mjs'), path.join(repo, 'out/main/index.js')], {
      cwd: repo,
      env: { ...env, LBS_CONFIG_DIR: dir, LBS_CACHE_DIR: path.join(dir, 'cache') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const calls: { kind: string; value: any }[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          if (!line.startsWith('ELECTRON-MOCK ')) return;
          calls.push(JSON.parse(line.slice('ELECTRON-MOCK '.length)));
          if (calls.at(-1)!.kind === 'loadFile') resolve();
        });
        child.on('exit', (code) => reject(new Error(`main exited (${code}) before loading the page: ${stderr}`)));
      });
    } finally {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
    const window = calls.find((c) => c.kind === 'window')!.value;
    expect(window).toMatchObject({ sandbox: true, contextIsolation: true });
    expect(window.preload).toBe(path.join(repo, 'out/preload/preload.cjs'));
    expect(existsSync(window.preload)).toBe(true);
    const page = calls.find((c) => c.kind === 'loadFile')!.value as string;
    expect(page).toBe(path.join(repo, 'out/renderer/index.html'));
    const html = readFileSync(page, 'utf8');
    const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => m[1]);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    for (const asset of assets) expect(existsSync(path.join(path.dirname(page), asset)), asset).toBe(true);
    expect(calls.map((c) => c.kind)).toContain('protocol');
  });
});
