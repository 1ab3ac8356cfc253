import { request } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handlersFor } from '../../ipc/handlers';
import { createRouter } from '../../ipc/router';
import WebSocket from 'ws';
import type { EventName, EventPayload } from '../../contract/contract';
import { ContractError } from '../../contract/contract';
import { createWebSocketTransport, type WebSocketLike } from '../../contract/transport';
import { RenderJobDouble } from '../../services/testing/render-engine-double';
import { until, withTempDir } from '../../services/testing/temp';
import { parseServeArgs } from '../cli/commands/serve';
import { serveStudio, type RunningStudio } from './studio-host';

let running: RunningStudio | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

function get(port: number, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function wsStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

async function start(dir: string, engine = new RenderJobDouble(null, 6)) {
  const staticDir = path.join(dir, 'ui');
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>studio</title>');
  await writeFile(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(dir, 'secret.txt'), 'top secret');
  running = await serveStudio({ port: 0, host: '127.0.0.1', staticDir, configDir: path.join(dir, 'config'), engine });
  return running;
}

describe('web host', () => {
  it('requires the session token on every HTTP and WebSocket request', async () => {
    await withTempDir(async (dir) => {
      const { web } = await start(dir);
      const { port, token } = web;
      expect(web.url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
      expect(token.length).toBeGreaterThanOrEqual(40);

      expect((await get(port, '/')).status).toBe(401);
      expect((await get(port, '/assets/app.js')).status).toBe(401);
      expect((await get(port, '/media/x/y.png')).status).toBe(401);
      expect((await get(port, `/?token=${token.slice(1)}`)).status).toBe(401);

      const page = await get(port, `/?token=${token}`);
      expect(page.status).toBe(200);
      expect(page.body.toString()).toContain('<title>studio</title>');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      // The cookie set by the first load authorises the page's own asset requests.
      const cookie = String(page.headers['set-cookie']).split(';')[0];
      expect(cookie).toBe(`lbs_token_${port}=${token}`);
      expect((await get(port, '/assets/app.js', { cookie })).status).toBe(200);
      expect((await get(port, '/assets/app.js', { cookie: `lbs_token_${port + 1}=${token}` })).status).toBe(401);

      expect(await wsStatus(`ws://127.0.0.1:${port}/ws`)).toBe(401);
      expect(await wsStatus(`ws://127.0.0.1:${port}/ws?token=nope`)).toBe(401);
      expect(await wsStatus(`ws://127.0.0.1:${port}/ws?token=${token}`)).toBe(101);
      expect(await wsStatus(`ws://127.0.0.1:${port}/ws`, { cookie })).toBe(101);
      expect(await wsStatus(`ws://127.0.0.1:${port}/ws?token=${token}`, { origin: 'http://evil.example' })).toBe(403);
      // Same host and port but another scheme is another origin.
      expect(await wsStatus(`ws://127.0.0.1:${port}/ws?token=${token}`, { origin: `https://127.0.0.1:${port}` })).toBe(403);
      expect(await wsStatus(`ws://127.0.0.1:${port}/ws?token=${token}`, { origin: `chrome-extension://127.0.0.1:${port}` })).toBe(403);
      expect(await wsStatus(`ws://127.0.0.1:${port}/ws?token=${token}`, { origin: `http://127.0.0.1:${port}` })).toBe(101);
      // DNS rebinding: a loopback host answers only to loopback names.
      expect((await get(port, `/?token=${token}`, { host: `evil.example:${port}` })).status).toBe(403);
      expect((await get(port, `/?token=${token}`, { host: `127.999.0.1:${port}` })).status).toBe(403);
    });
  });

  it('serves the files the studio wrote or the project names, never the rest of their folders', async () => {
    await withTempDir(async (dir) => {
      const { web, studio } = await start(dir);
      const q = `?token=${web.token}`;
      const home = path.join(dir, 'home');
      await mkdir(path.join(home, 'Pictures'), { recursive: true });
      await writeFile(path.join(home, 'Pictures', 'private.png'), 'private photo');
      await writeFile(path.join(home, 'other.mp4'), 'someone else\'s video');
      // A project saved in the home folder, naming one image there.
      await writeFile(path.join(home, 'still.png'), 'the keyframe image');
      await studio.projects.create(['a', 'b']);
      const state = studio.projects.state()!;
      studio.projects.update({ ...state.project, keyframes: [{ ...state.project.keyframes[0], image: 'still.png' }, state.project.keyframes[1]] });
      await studio.projects.saveAs(path.join(home, 'film.lbs.json'));
      const still = studio.media.urlFor(path.join(home, 'still.png'));
      expect((await get(web.port, `${still}${q}`)).body.toString()).toBe('the keyframe image');
      // The same id cannot reach a neighbour, and the folder is no root.
      const id = still.split('/')[2];
      expect((await get(web.port, `/media/${id}/other.mp4${q}`)).status).toBe(403);
      expect(() => studio.media.urlFor(path.join(home, 'Pictures', 'private.png'))).toThrow();
      expect(() => studio.media.urlFor(path.join(home, 'other.mp4'))).toThrow();
      // assets.url only for what the project names.
      const router = createRouter(handlersFor(studio));
      expect((await router.handle('assets.url', { path: 'still.png' })).ok).toBe(true);
      const refused = await router.handle('assets.url', { path: 'Pictures/private.png' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      // A file named "..dots.png" inside the project's cache is a file, not a way out.
      const cache = path.join(home, 'film.lbs.cache');
      await mkdir(cache, { recursive: true });
      await writeFile(path.join(cache, '..dots.png'), 'dots');
      expect((await get(web.port, `${studio.media.urlFor(path.join(cache, '..dots.png'))}${q}`)).body.toString()).toBe('dots');
    });
  });

  it('serves no file outside the studio folder or the media roots', async () => {
    await withTempDir(async (dir) => {
      const { web, studio } = await start(dir);
      const q = `?token=${web.token}`;
      const project = path.join(dir, 'p');
      await mkdir(project);
      await writeFile(path.join(project, 'frame.png'), 'png-bytes');
      const id = studio.media.allow(project);
      expect((await get(web.port, `/media/${id}/frame.png${q}`)).body.toString()).toBe('png-bytes');
      const attempts = [
        `/media/${id}/../secret.txt`,
        `/media/${id}/%2e%2e/secret.txt`,
        `/media/${id}/..%2fsecret.txt`,
        `/media/${id}/%2e%2e%2fsecret.txt`,
        `/media/${id}/%2Ftmp%2Fsecret.png`,
        `/media/${id}/../../../../etc/passwd`,
        `/../secret.txt`,
        `/%2e%2e/secret.txt`,
        `/assets/..%2f..%2fsecret.txt`,
        `/assets/%5c..%5c..%5csecret.txt`,
        `/${encodeURIComponent(path.join(dir, 'secret.txt'))}`,
      ];
      for (const attempt of attempts) {
        const res = await get(web.port, `${attempt}${q}`);
        expect(res.body.toString(), attempt).not.toContain('top secret');
        expect(res.body.toString(), attempt).not.toContain('root:');
      }
    });
  });

  it('serves media with Range requests for seeking', async () => {
    await withTempDir(async (dir) => {
      const { web, studio } = await start(dir);
      const folder = path.join(dir, 'exports');
      await mkdir(folder);
      const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
      await writeFile(path.join(folder, 'movie.mp4'), bytes);
      studio.media.allowFile(path.join(folder, 'movie.mp4'));
      const url = studio.media.urlFor(path.join(folder, 'movie.mp4'));
      const res = await get(web.port, `${url}?token=${web.token}`, { range: 'bytes=100-199' });
      expect(res.status).toBe(206);
      expect(res.headers['content-range']).toBe('bytes 100-199/1000');
      expect(res.headers['content-type']).toBe('video/mp4');
      expect(res.body).toEqual(bytes.subarray(100, 200));
    });
  });

  it('serves an exported file as a download under its own name only when asked (?download), token still required', async () => {
    await withTempDir(async (dir) => {
      const { web, studio } = await start(dir);
      const folder = path.join(dir, 'exports');
      await mkdir(folder);
      const bytes = Buffer.from('a small video');
      await writeFile(path.join(folder, 'Nuit à la mer.mp4'), bytes);
      studio.media.allowFile(path.join(folder, 'Nuit à la mer.mp4'));
      const url = studio.media.urlFor(path.join(folder, 'Nuit à la mer.mp4'));
      const played = await get(web.port, `${url}?token=${web.token}`);
      expect(played.headers['content-disposition']).toBeUndefined();
      const saved = await get(web.port, `${url}?download=1&token=${web.token}`);
      expect(saved.status).toBe(200);
      expect(saved.body).toEqual(bytes);
      expect(saved.headers['content-disposition']).toBe(`attachment; filename="Nuit _ la mer.mp4"; filename*=UTF-8''${encodeURIComponent('Nuit à la mer.mp4')}`);
      expect((await get(web.port, `${url}?download=1`)).status).toBe(401);
    });
  });

  it('runs a render job over the WebSocket transport with progress, frames and cancel', async () => {
    await withTempDir(async (dir) => {
      const engine = new RenderJobDouble(null, 6);
      const { web } = await start(dir, engine);
      const transport = createWebSocketTransport(`ws://127.0.0.1:${web.port}/ws?token=${web.token}`, (u) => new WebSocket(u) as unknown as WebSocketLike);
      const seen: { event: EventName; payload: unknown }[] = [];
      for (const event of ['job.queued', 'job.progress', 'job.frame', 'job.done', 'job.error'] as const) {
        transport.subscribe(event, (payload) => seen.push({ event, payload }));
      }
      const of = <E extends EventName>(event: E, jobId: string) =>
        seen.filter((s) => s.event === event && (s.payload as { jobId: string }).jobId === jobId).map((s) => s.payload as EventPayload<E>);

      const info = await transport.invoke('app.info', {});
      expect(info).toMatchObject({ host: 'web', nativeDialogs: false });
      await transport.invoke('project.new', { prompts: ['one', 'two', 'three'] });

      const { jobId } = await transport.invoke('renders.start', { scope: { kind: 'movie' } });
      await until(() => of('job.done', jobId).length + of('job.error', jobId).length > 0, 'the movie render over WebSocket', 10_000);
      expect(of('job.error', jobId)).toEqual([]);
      const progress = of('job.progress', jobId);
      expect(progress.map((p) => p.done)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect(progress.every((p) => p.total === 12 && p.kind === 'render')).toBe(true);
      const frame = of('job.frame', jobId)[0];
      expect(frame).toMatchObject({ target: 'transition', transition: 0, position: 0 });
      const image = await get(web.port, `${frame.url}?token=${web.token}`);
      expect(image.status).toBe(200);
      expect(image.headers['content-type']).toBe('image/png');
      const frames = await transport.invoke('renders.frames', {});
      expect(frames.transitions.map((t) => [t.index, t.complete, t.frames.length])).toEqual([[0, true, 6], [1, true, 6]]);

      // Cancel mid-render: the job stops between steps and reports CANCELLED.
      let release: () => void = () => {};
      let steps = 0;
      engine.stepGate = () => (++steps <= 2 ? Promise.resolve() : new Promise<void>((r) => (release = r)));
      const second = await transport.invoke('renders.start', { scope: { kind: 'transition', index: 1 } });
      await until(() => of('job.progress', second.jobId).length === 2, 'the second render to progress', 10_000);
      expect(await transport.invoke('renders.cancel', { jobId: second.jobId })).toEqual({ cancelled: true });
      engine.stepGate = null;
      release();
      await until(() => of('job.error', second.jobId).length > 0, 'the cancel over WebSocket');
      expect(of('job.error', second.jobId)[0].error.code).toBe('CANCELLED');
      expect(of('job.done', second.jobId)).toEqual([]);

      // A typed error arrives as a ContractError with code and field path.
      const error = await transport.invoke('renders.start', { scope: { kind: 'transition', index: 7 } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ContractError);
      expect(error).toMatchObject({ code: 'BAD_REQUEST', path: ['scope', 'index'] });
      transport.close();
    });
  });

  it('answers malformed WebSocket messages without dropping the connection', async () => {
    await withTempDir(async (dir) => {
      const { web } = await start(dir);
      const ws = new WebSocket(`ws://127.0.0.1:${web.port}/ws?token=${web.token}`);
      await new Promise((r) => ws.on('open', r));
      const answers: unknown[] = [];
      ws.on('message', (d) => answers.push(JSON.parse(d.toString())));
      ws.send('not json');
      ws.send(JSON.stringify({ type: 'invoke', id: 1 }));
      ws.send(JSON.stringify({ type: 'invoke', id: 2, method: 'renders.start', payload: { scope: 'movie' } }));
      ws.send(JSON.stringify({ type: 'invoke', id: 3, method: 'project.current', payload: {} }));
      await until(() => answers.length >= 3, 'the answers');
      expect(answers).toEqual([
        expect.objectContaining({ id: 1, ok: false, error: expect.objectContaining({ code: 'BAD_REQUEST' }) }),
        expect.objectContaining({ id: 2, ok: false, error: expect.objectContaining({ code: 'BAD_REQUEST', path: ['scope'] }) }),
        expect.objectContaining({ id: 3, ok: true, value: { state: null } }),
      ]);
      ws.close();
    });
  });
});

describe('serve arguments', () => {
  it('binds to loopback by default and flags an explicit other host', () => {
    expect(parseServeArgs([])).toEqual({ port: 7860, host: '127.0.0.1', open: false, exposed: false });
    expect(parseServeArgs(['--port', '9000', '--open'])).toMatchObject({ port: 9000, open: true });
    expect(parseServeArgs(['--host', '0.0.0.0'])).toMatchObject({ host: '0.0.0.0', exposed: true });
    expect(parseServeArgs(['--host', '::1']).exposed).toBe(false);
    expect(() => parseServeArgs(['--port', '99999'])).toThrow(/--port must be a whole number from 0 to 65535/);
    expect(() => parseServeArgs(['extra'])).toThrow(/unexpected argument/);
  });
});
