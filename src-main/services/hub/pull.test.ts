import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHFHubCachePath } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixtureModel } from '../../engine/testing/fixture-model';
import { readModelFolder } from '../../engine/sd/model-folder';
import { findCachedModel, listCachedRepos, removeCachedRepo, repoCacheDir } from './hub-cache';
import { hubEnv, type HubEnv } from './hub-env';
import { isSafeRepoPath, pullModel, type PullProgress } from './pull';
import { FakeHub } from './testing/fake-hub';

const root = mkdtempSync(join(tmpdir(), 'lbs-hub-'));
let hub: FakeHub;
let cacheCount = 0;

const REPO = 'fixture/sd2-tiny';
const main = { repo: REPO, revision: 'main' };

function freshEnv(extra: Partial<HubEnv> = {}): HubEnv {
  return { endpoint: hub.url, offline: false, cacheDir: join(root, `cache-${cacheCount++}`), ...extra };
}

function resolveRequests(): string[] {
  return hub.requests.filter((r) => r.url.includes('/resolve/') || r.url.startsWith('/cdn/')).map((r) => r.url);
}

beforeAll(async () => {
  await writeFixtureModel(join(root, 'sd2'), { externalData: 'model.onnx_data' });
  mkdirSync(join(root, 'pytorch', 'unet'), { recursive: true });
  writeFileSync(join(root, 'pytorch', 'model_index.json'), JSON.stringify({ _class_name: 'StableDiffusionPipeline' }));
  writeFileSync(join(root, 'pytorch', 'unet', 'diffusion_pytorch_model.safetensors'), 'weights');
  await writeFixtureModel(join(root, 'sdxl'));
  const index = JSON.parse(readFileSync(join(root, 'sdxl', 'model_index.json'), 'utf8'));
  writeFileSync(join(root, 'sdxl', 'model_index.json'), JSON.stringify({ ...index, _class_name: 'ORTStableDiffusionXLPipeline' }));
  hub = await new FakeHub({
    [REPO]: { dir: join(root, 'sd2') },
    'fixture/gated': { dir: join(root, 'sd2'), token: 'hf_secret' },
    'fixture/pytorch-only': { dir: join(root, 'pytorch') },
    'fixture/sdxl-like': { dir: join(root, 'sdxl') },
  }).start();
});

afterAll(() => hub?.stop());

describe('pullModel into the Hugging Face cache layout', () => {
  it('writes blobs named by their LFS sha256 / git oid, snapshot links to them and refs/main, and the snapshot is a model folder', async () => {
    const env = freshEnv();
    const result = await pullModel({ ref: main, env });
    const commit = hub.commitOf(REPO);
    const repoDir = join(env.cacheDir, 'models--fixture--sd2-tiny');
    expect(result.commit).toBe(commit);
    expect(result.dir).toBe(join(repoDir, 'snapshots', commit));
    expect(readFileSync(join(repoDir, 'refs', 'main'), 'utf8')).toBe(commit);
    const unet = hub.file(REPO, 'unet/model.onnx_data');
    const link = join(result.dir, 'unet', 'model.onnx_data');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(join('..', '..', '..', 'blobs', unet.sha256!));
    expect(readFileSync(link).equals(unet.data)).toBe(true);
    const config = hub.file(REPO, 'scheduler/scheduler_config.json');
    expect(existsSync(join(repoDir, 'blobs', config.oid))).toBe(true);
    expect(readdirSync(join(repoDir, 'blobs')).filter((f) => f.endsWith('.incomplete'))).toEqual([]);
    expect(readModelFolder(result.dir).components.unet?.externalData).toHaveLength(1);
    expect(findCachedModel(env.cacheDir, main)?.dir).toBe(result.dir);
    expect(result.downloadedBytes).toBe(result.totalBytes);

    // A second pull finds everything in place and fetches no file.
    const before = resolveRequests().length;
    const again = await pullModel({ ref: main, env });
    expect(again.alreadyCached).toBe(true);
    expect(again.downloadedBytes).toBe(0);
    expect(resolveRequests().length).toBe(before);
  });

  it('reports bytes, rate and ETA as it goes, ending with every byte done', async () => {
    const events: PullProgress[] = [];
    await pullModel({ ref: main, env: freshEnv(), onProgress: (p) => events.push(p) });
    const downloading = events.filter((e) => e.phase === 'downloading');
    expect(downloading.length).toBeGreaterThan(1);
    const doneBytes = downloading.map((e) => e.doneBytes);
    expect(doneBytes).toEqual([...doneBytes].sort((a, b) => a - b));
    expect(downloading.some((e) => e.bytesPerSecond !== null && e.bytesPerSecond > 0 && e.etaMs !== null)).toBe(true);
    const last = events[events.length - 1];
    expect(last.phase).toBe('done');
    expect(last.doneBytes).toBe(last.totalBytes);
    expect(last.filesDone).toBe(last.filesTotal);
  });

  it('resumes a file with an HTTP Range request after the connection drops mid-file, and verifies it', async () => {
    const env = freshEnv();
    const file = hub.file(REPO, 'unet/model.onnx_data');
    const cut = Math.floor(file.data.length / 3);
    hub.dropOnce(REPO, 'unet/model.onnx_data', cut);
    const result = await pullModel({ ref: main, env });
    const ranges = hub.requests.filter((r) => r.url.endsWith('unet/model.onnx_data') && r.range && r.range !== 'bytes=0-0').map((r) => r.range);
    expect(ranges).toContain(`bytes=${cut}-${file.data.length - 1}`);
    expect(readFileSync(join(result.dir, 'unet', 'model.onnx_data')).equals(file.data)).toBe(true);
  });

  it('leaves no snapshot when a download fails, and the next pull continues the partial file', async () => {
    const env = freshEnv();
    const file = hub.file(REPO, 'unet/model.onnx_data');
    hub.dropOnce(REPO, 'unet/model.onnx_data', 1000);
    await expect(pullModel({ ref: main, env, retries: 0 })).rejects.toMatchObject({ code: 'HUB_NETWORK', hint: expect.stringMatching(/resumes from/) });
    const repoDir = repoCacheDir(env.cacheDir, REPO);
    expect(existsSync(join(repoDir, 'snapshots'))).toBe(false);
    expect(existsSync(join(repoDir, 'refs', 'main'))).toBe(false);
    expect(readFileSync(join(repoDir, 'blobs', `${file.sha256}.incomplete`)).length).toBe(1000);
    expect((await listCachedRepos(env.cacheDir)).find((r) => r.repo === REPO)).toMatchObject({ snapshots: [], partialBytes: 1000 });

    const result = await pullModel({ ref: main, env });
    expect(result.resumedFiles).toBe(1);
    // The 1000 bytes already on disk are not fetched again.
    expect(result.downloadedBytes).toBeLessThanOrEqual(result.totalBytes - 1000);
    expect(hub.requests.some((r) => r.url.endsWith('unet/model.onnx_data') && r.range === `bytes=1000-${file.data.length - 1}`)).toBe(true);
    expect(readFileSync(join(result.dir, 'unet', 'model.onnx_data')).equals(file.data)).toBe(true);
  });

  it('cancels between chunks with an AbortSignal, leaving no snapshot; pulling again completes', async () => {
    const env = freshEnv();
    const controller = new AbortController();
    await expect(
      pullModel({ ref: main, env, signal: controller.signal, onProgress: (p) => p.filesDone >= 3 && controller.abort() }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(existsSync(join(repoCacheDir(env.cacheDir, REPO), 'snapshots'))).toBe(false);
    const result = await pullModel({ ref: main, env });
    expect(result.downloadedBytes).toBeLessThan(result.totalBytes);
    expect(readModelFolder(result.dir).isDemo).toBe(false);
  });

  it('refuses a file whose sha256 differs from the LFS id and deletes the damaged bytes', async () => {
    const env = freshEnv();
    hub.corruptFile(REPO, 'text_encoder/model.onnx_data');
    try {
      await expect(pullModel({ ref: main, env })).rejects.toMatchObject({ code: 'HUB_CHECKSUM', message: expect.stringContaining('text_encoder/model.onnx_data') });
    } finally {
      (hub as unknown as { corrupt: Set<string> }).corrupt.clear();
    }
    const blobs = readdirSync(join(repoCacheDir(env.cacheDir, REPO), 'blobs'));
    const sha = hub.file(REPO, 'text_encoder/model.onnx_data').sha256!;
    expect(blobs.filter((b) => b.startsWith(sha))).toEqual([]);
    expect(existsSync(join(repoCacheDir(env.cacheDir, REPO), 'snapshots'))).toBe(false);
  });

  it('answers a gated repo without a token with one line naming HF_TOKEN, and downloads it with the token', async () => {
    const ref = { repo: 'fixture/gated', revision: 'main' };
    await expect(pullModel({ ref, env: freshEnv() })).rejects.toMatchObject({ code: 'HUB_GATED', hint: expect.stringContaining('HF_TOKEN') });
    const result = await pullModel({ ref, env: freshEnv({ token: 'hf_secret' }) });
    expect(readModelFolder(result.dir).components.unet).toBeDefined();
    expect(hub.requests.filter((r) => r.url.includes('fixture/gated') && r.url.includes('/resolve/')).every((r) => r.authorization === 'Bearer hf_secret')).toBe(true);
  });

  it('refuses a repo that is not an SD ONNX layout before fetching any file', async () => {
    const before = resolveRequests().length;
    await expect(pullModel({ ref: { repo: 'fixture/pytorch-only', revision: 'main' }, env: freshEnv() })).rejects.toMatchObject({
      code: 'MODEL_NOT_SD2_ONNX',
      message: expect.stringMatching(/PyTorch \(diffusers\) repo, not an ONNX export/),
      hint: expect.stringContaining('jdp8/sd-turbo-onnx'),
    });
    await expect(pullModel({ ref: { repo: 'fixture/sdxl-like', revision: 'main' }, env: freshEnv() })).rejects.toMatchObject({
      code: 'MODEL_NOT_SD2_ONNX',
      message: expect.stringContaining('Stable Diffusion XL'),
    });
    // The SDXL check reads model_index.json only: it is fetched before any weights.
    const after = resolveRequests().slice(before);
    expect(after.some((u) => u.includes('fixture/pytorch-only'))).toBe(false);
    expect(after.filter((u) => u.includes('fixture/sdxl-like') && u.endsWith('.onnx'))).toEqual([]);
  });

  it('checks free disk space before downloading', async () => {
    const env = freshEnv();
    const before = resolveRequests().length;
    await expect(pullModel({ ref: main, env, freeBytes: () => 1000 })).rejects.toMatchObject({ code: 'DISK_FULL', message: expect.stringMatching(/needs .* but .* has 1 kB free/) });
    expect(resolveRequests().length).toBe(before);
  });

  it('fetches only the files an --include glob matches', async () => {
    const result = await pullModel({ ref: main, env: freshEnv(), include: ['model_index.json', 'tokenizer/*'] });
    expect(readdirSync(result.dir).sort()).toEqual(['model_index.json', 'tokenizer']);
    await expect(pullModel({ ref: main, env: freshEnv(), include: ['nothing/**'] })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });

  it('answers an unknown repo or revision with HUB_NOT_FOUND', async () => {
    await expect(pullModel({ ref: { repo: 'fixture/nope', revision: 'main' }, env: freshEnv() })).rejects.toMatchObject({ code: 'HUB_NOT_FOUND' });
    await expect(pullModel({ ref: { repo: REPO, revision: 'v9' }, env: freshEnv() })).rejects.toMatchObject({ code: 'HUB_NOT_FOUND' });
  });

  it('with HF_HUB_OFFLINE uses the cache without a request, and refuses what is not cached', async () => {
    const env = freshEnv();
    const pulled = await pullModel({ ref: main, env });
    const before = hub.requests.length;
    const offline = await pullModel({ ref: main, env: { ...env, offline: true } });
    expect(offline.dir).toBe(pulled.dir);
    expect(hub.requests.length).toBe(before);
    await expect(pullModel({ ref: main, env: freshEnv({ offline: true }) })).rejects.toMatchObject({ code: 'HUB_OFFLINE' });
    expect(hub.requests.length).toBe(before);
  });

  it('lists cached repos with their refs and usability, and removes one', async () => {
    const env = freshEnv();
    await pullModel({ ref: main, env });
    const [entry] = await listCachedRepos(env.cacheDir);
    expect(entry).toMatchObject({ repo: REPO, refs: { main: hub.commitOf(REPO) }, partialBytes: 0 });
    expect(entry.snapshots).toEqual([expect.objectContaining({ usable: true })]);
    expect(entry.bytes).toBeGreaterThan(0);
    removeCachedRepo(env.cacheDir, REPO);
    expect(await listCachedRepos(env.cacheDir)).toEqual([]);
    expect(() => removeCachedRepo(env.cacheDir, REPO)).toThrow(/not in the Hugging Face cache/);
  });
});

describe('isSafeRepoPath', () => {
  it('accepts repo-relative paths and refuses what could leave the cache folder', () => {
    for (const ok of ['model_index.json', 'unet/model.onnx_data', 'a/b/c.txt', '.gitattributes']) expect(isSafeRepoPath(ok)).toBe(true);
    for (const bad of ['', '/etc/passwd', '../x', 'unet/../../x', 'a//b', './a', 'a\\b', 'C:x', 'a/']) expect(isSafeRepoPath(bad)).toBe(false);
  });
});

describe('hubEnv', () => {
  it('reads HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE and the cache folder the way huggingface_hub does', () => {
    const env = hubEnv({ HF_ENDPOINT: 'http://127.0.0.1:9/', HF_TOKEN: ' hf_x ', HF_HUB_OFFLINE: 'True', HF_HOME: '/data/hf' });
    expect(env).toEqual({ endpoint: 'http://127.0.0.1:9', token: 'hf_x', offline: true, cacheDir: join('/data/hf', 'hub') });
    expect(hubEnv({ HF_HUB_CACHE: '/c', HF_HOME: '/data/hf', HF_HUB_OFFLINE: '0' })).toMatchObject({ cacheDir: '/c', offline: false, endpoint: 'https://huggingface.co' });
    const tokenFile = join(root, 'token');
    writeFileSync(tokenFile, 'hf_from_file\n');
    expect(hubEnv({ HF_TOKEN_PATH: tokenFile }).token).toBe('hf_from_file');
  });

  it("finds the same cache folder as @huggingface/hub's getHFHubCachePath", () => {
    const saved = { ...process.env };
    try {
      for (const vars of [{}, { HF_HOME: '/h' }, { XDG_CACHE_HOME: '/x' }, { HF_HOME: '/h', HUGGINGFACE_HUB_CACHE: '/old' }, { HF_HUB_CACHE: '/new', HF_HOME: '/h' }]) {
        for (const k of ['HF_HOME', 'XDG_CACHE_HOME', 'HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE']) delete process.env[k];
        Object.assign(process.env, vars);
        expect(hubEnv(process.env).cacheDir).toBe(getHFHubCachePath());
      }
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});
