import { mkdir, writeFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_WIRE_MESSAGE_BYTES } from '../../contract/contract';
import { RenderJobDouble } from '../../services/testing/render-engine-double';
import { withTempDir } from '../../services/testing/temp';
import { serveStudio, type RunningStudio } from './studio-host';

/**
 * Bounds for a busy 2-core CI machine, far above what the host needs (a few ms per message)
 * and far below what hostile input cost before the limits (0.6 s per deeply nested message,
 * 8.4 s for a 100,000-keyframe update, +600 MB after a 140 MB frame).
 */
const MAX_EVENT_LOOP_STALL_MS = 1500;
const MAX_HEAP_GROWTH_BYTES = 96 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let running: RunningStudio | null = null;
afterAll(async () => {
  await running?.close();
});

/**
 * The hostile client runs in a worker thread: building and sending its messages must not count
 * as the host's event-loop stalls (the host is this thread). It reports each answer it gets.
 */
const HOSTILE_CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const WebSocket = require(workerData.ws);
const { url, maxMessage, revision } = workerData;
const answers = new Map();
let socket;
const connect = () => new Promise((resolve, reject) => {
  const ws = new WebSocket(url, { maxPayload: 2 * maxMessage });
  ws.on('message', (d) => { const m = JSON.parse(String(d)); if (m.type === 'result') { answers.set(m.id, m); } });
  ws.once('open', () => resolve(ws));
  ws.once('error', reject);
});
const answer = (id) => new Promise((resolve) => { const t = () => answers.has(id) ? resolve(answers.get(id)) : setTimeout(t, 1); t(); });
(async () => {
  socket = await connect();
  const out = {};
  const nested = '['.repeat(3000000) + ']'.repeat(3000000);
  parentPort.postMessage({ phase: 'start' });
  for (let i = 0; i < 5; i++) {
    socket.send('{"type":"invoke","id":' + (100 + i) + ',"method":"project.update","payload":' + nested + '}');
    out['nested' + i] = await answer(100 + i);
  }
  const keyframes = Array.from({ length: 100000 }, (_, i) => ({ id: 'k' + i, prompt: 'prompt ' + i, seed: i }));
  socket.send(JSON.stringify({ type: 'invoke', id: 200, method: 'project.update', payload: { base: revision, changes: [{ path: [], value: { format: 'latent-blending-studio', version: 1, keyframes, transitions: [] } }] } }));
  out.huge = await answer(200);
  const closed = new Promise((r) => socket.once('close', (code) => r(code)));
  socket.send('{"type":"invoke","id":300,"method":"assets.write","payload":{"kind":"mask","keyframeId":"k1","pngBase64":"' + 'A'.repeat(maxMessage) + '"}}');
  out.oversizeClose = await closed;
  parentPort.postMessage({ phase: 'done', out });
})().catch((e) => parentPort.postMessage({ phase: 'error', message: String(e && e.stack || e) }));
`;

function open(url: string): Promise<{ ws: WebSocket; answers: Map<number, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const answers = new Map<number, unknown>();
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { type: string; id?: number };
      if (m.type === 'result' && typeof m.id === 'number') answers.set(m.id, m);
    });
    ws.once('open', () => resolve({ ws, answers }));
    ws.once('error', reject);
  });
}

/** Send a request and wait for its answer (an event: the message with that id). */
async function ask(conn: { ws: WebSocket; answers: Map<number, unknown> }, id: number, method: string, payload: unknown): Promise<{ ok: boolean; error?: { code: string } }> {
  conn.ws.send(JSON.stringify({ type: 'invoke', id, method, payload }));
  return new Promise((resolve) => {
    conn.ws.on('message', () => conn.answers.has(id) && resolve(conn.answers.get(id) as { ok: boolean }));
  });
}

describe('web host under hostile authenticated input', () => {
  it('keeps the event loop responsive and memory flat, and answers normal requests after', async () => {
    await withTempDir(async (dir) => {
      const staticDir = path.join(dir, 'ui');
      await mkdir(staticDir, { recursive: true });
      await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>studio</title>');
      running = await serveStudio({ port: 0, host: '127.0.0.1', staticDir, configDir: path.join(dir, 'config'), engine: new RenderJobDouble(null, 6) });
      const url = `ws://127.0.0.1:${running.web.port}/ws?token=${running.web.token}`;
      const conn = await open(url);
      const created = (await ask(conn, 1, 'project.new', { prompts: ['a', 'b'] })) as { ok: boolean; value?: { revision: number } };
      expect(created.ok).toBe(true);

      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      const delay = monitorEventLoopDelay({ resolution: 10 });
      const started = performance.now();
      const client = new Worker(HOSTILE_CLIENT, { eval: true, workerData: { url, maxMessage: MAX_WIRE_MESSAGE_BYTES, revision: created.value?.revision, ws: createRequire(import.meta.url).resolve('ws') } });
      const out = await new Promise<Record<string, { ok: boolean; error?: { code: string } } | number>>((resolve, reject) => {
        client.on('message', (m: { phase: string; out?: Record<string, never>; message?: string }) => {
          if (m.phase === 'start') delay.enable();
          if (m.phase === 'done') resolve(m.out!);
          if (m.phase === 'error') reject(new Error(m.message));
        });
        client.once('error', reject);
      });
      delay.disable();
      await client.terminate();
      // 1. Deeply nested messages, 6 MB each: refused before parsing, with an answer.
      for (let i = 0; i < 5; i++) expect(out[`nested${i}`]).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      // 2. A project with 100,000 keyframes: refused by the schema's limit without walking them.
      expect(out.huge).toMatchObject({ ok: false });
      // 3. A message larger than any the contract needs: the socket is closed (1009, too big) unread.
      expect(out.oversizeClose).toBe(1009);
      const stallMs = delay.max / 1e6;
      // 4. The host still answers.
      const again = await open(url);
      expect((await ask(again, 1, 'project.recent', {})).ok).toBe(true);
      again.ws.close();
      conn.ws.close();
      const elapsedMs = performance.now() - started;
      gc();
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
      console.info(`hostile input: ${elapsedMs.toFixed(0)} ms in all, longest event-loop stall ${stallMs.toFixed(0)} ms, heap growth ${(heapGrowth / 1e6).toFixed(1)} MB`);
      expect(stallMs).toBeLessThan(MAX_EVENT_LOOP_STALL_MS);
      expect(heapGrowth).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
    });
  }, 120_000);
});
