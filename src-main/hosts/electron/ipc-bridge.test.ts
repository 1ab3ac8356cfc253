import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Bridge, EventName, EventPayload } from '../../contract/contract';
import { ContractError, METHOD_NAMES } from '../../contract/contract';
import { handlersFor } from '../../ipc/handlers';
import { createRouter } from '../../ipc/router';
import { createBridgeTransport } from '../../contract/transport';
import { createStudio } from '../../services/studio';
import { RenderJobDouble } from '../../services/testing/render-engine-double';
import { until, withTempDir } from '../../services/testing/temp';
import { bindIpc } from './ipc-bridge';

/**
 * A pair of fake ipcMain / ipcRenderer that behave like Electron's: invoke → the handler
 * registered for that channel with an event naming the sender; webContents.send → listeners.
 * Payloads are structured-cloned, as Electron does.
 */
const APP_URL = 'file:///opt/studio/out/renderer/index.html';
const electron = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, payload: unknown) => unknown>();
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  const sender = { current: { sender: { id: 1 }, senderFrame: { url: 'file:///opt/studio/out/renderer/index.html', parent: null as unknown } } };
  let exposed: Record<string, unknown> = {};
  return {
    handlers,
    listeners,
    sender,
    exposed: () => exposed,
    module: {
      ipcMain: {
        handle: (channel: string, fn: (event: unknown, payload: unknown) => unknown) => {
          if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
          handlers.set(channel, fn);
        },
        removeHandler: (channel: string) => handlers.delete(channel),
      },
      ipcRenderer: {
        invoke: async (channel: string, payload: unknown) => {
          const fn = handlers.get(channel);
          if (!fn) throw new Error(`No handler registered for '${channel}'`);
          return structuredClone(await fn(sender.current, structuredClone(payload)));
        },
        on: (channel: string, fn: (event: unknown, payload: unknown) => void) => {
          if (!listeners.has(channel)) listeners.set(channel, new Set());
          listeners.get(channel)!.add(fn);
        },
        removeListener: (channel: string, fn: (event: unknown, payload: unknown) => void) => listeners.get(channel)?.delete(fn),
      },
      contextBridge: {
        exposeInMainWorld: (key: string, api: unknown) => {
          exposed = { ...exposed, [key]: api };
        },
      },
    },
  };
});
vi.mock('electron', () => electron.module);

const webContents = {
  id: 1,
  isDestroyed: () => false,
  send: (channel: string, payload: unknown) => {
    for (const fn of electron.listeners.get(channel) ?? []) fn({ sender: 'main' }, structuredClone(payload));
  },
};

let unbind: (() => void) | null = null;
afterEach(() => {
  unbind?.();
  unbind = null;
});

async function setUp(dir: string) {
  const engine = new RenderJobDouble(null, 5);
  const studio = createStudio({ engine, host: 'electron', mediaBase: 'lbs-media://media', version: 't', configDir: dir });
  const router = createRouter(handlersFor(studio));
  unbind = bindIpc({ ipcMain: electron.module.ipcMain as never, router, events: studio.events, window: () => ({ webContents }), appUrl: () => APP_URL });
  await import('./preload');
  const bridge = electron.exposed().bridge as Bridge;
  return { engine, studio, bridge };
}

describe('Electron IPC transport (mocked ipcMain / ipcRenderer)', () => {
  it('exposes exactly one object, window.bridge, with invoke and subscribe, and registers one channel per method', async () => {
    await withTempDir(async (dir) => {
      const { bridge } = await setUp(dir);
      expect(Object.keys(electron.exposed())).toEqual(['bridge']);
      expect(Object.keys(bridge).sort()).toEqual(['invoke', 'subscribe']);
      expect([...electron.handlers.keys()].sort()).toEqual([...METHOD_NAMES].sort());
    });
  });

  it('refuses channels outside the contract in the preload', async () => {
    await withTempDir(async (dir) => {
      const { bridge } = await setUp(dir);
      const r = await bridge.invoke('fs.readFile' as never, { path: '/etc/passwd' });
      expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
      expect(() => bridge.subscribe('ELECTRON_BROWSER_REQUIRE' as never, () => {})).toThrow(/no event/);
    });
  });

  it('answers IPC only for the main frame of the studio window', async () => {
    await withTempDir(async (dir) => {
      const { bridge } = await setUp(dir);
      const trusted = electron.sender.current;
      try {
        electron.sender.current = { sender: { id: 1 }, senderFrame: { url: APP_URL, parent: { url: APP_URL } } };
        expect(await bridge.invoke('app.info', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        electron.sender.current = { sender: { id: 2 }, senderFrame: { url: APP_URL, parent: null } };
        expect(await bridge.invoke('app.info', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
        electron.sender.current = { sender: { id: 1 }, senderFrame: { url: 'https://evil.example/', parent: null } };
        expect(await bridge.invoke('app.info', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      } finally {
        electron.sender.current = trusted;
      }
      expect(await bridge.invoke('app.info', {})).toMatchObject({ ok: true, value: { host: 'electron' } });
    });
  });

  it('runs a render job with progress, frames and cancel through window.bridge', async () => {
    await withTempDir(async (dir) => {
      const { engine, bridge, studio } = await setUp(dir);
      const transport = createBridgeTransport(bridge);
      const seen: { event: EventName; payload: unknown }[] = [];
      const offs = (['job.progress', 'job.frame', 'job.done', 'job.error'] as const).map((event) => transport.subscribe(event, (payload) => seen.push({ event, payload })));
      const of = <E extends EventName>(event: E, jobId: string) =>
        seen.filter((s) => s.event === event && (s.payload as { jobId: string }).jobId === jobId).map((s) => s.payload as EventPayload<E>);

      await transport.invoke('project.new', { prompts: ['north', 'south'] });
      const { jobId } = await transport.invoke('renders.start', { scope: { kind: 'transition', index: 0 } });
      await until(() => of('job.done', jobId).length + of('job.error', jobId).length > 0, 'the render over IPC', 10_000);
      expect(of('job.error', jobId)).toEqual([]);
      expect(of('job.progress', jobId).map((p) => `${p.done}/${p.total}`)).toEqual(['1/5', '2/5', '3/5', '4/5', '5/5']);
      const frames = of('job.frame', jobId);
      // Each end of a plain transition is also its keyframe's still (−1: a keyframe frame).
      expect(frames.map((f) => (f.target === 'transition' ? f.position : -1))).toEqual([0, -1, 0.25, 0.5, 0.75, 1, -1]);
      expect(frames.every((f) => f.url.startsWith('lbs-media://media/'))).toBe(true);

      let release: () => void = () => {};
      let steps = 0;
      engine.stepGate = () => (++steps <= 1 ? Promise.resolve() : new Promise<void>((r) => (release = r)));
      const second = await transport.invoke('renders.start', { scope: { kind: 'movie' } });
      await until(() => of('job.progress', second.jobId).length === 1, 'the second render to start', 10_000);
      expect(await transport.invoke('renders.cancel', { jobId: second.jobId })).toEqual({ cancelled: true });
      engine.stepGate = null;
      release();
      await until(() => of('job.error', second.jobId).length > 0, 'the cancel over IPC', 10_000);
      expect(of('job.error', second.jobId)[0].error.code).toBe('CANCELLED');

      await expect(transport.invoke('renders.cancel', { jobId: '' })).rejects.toBeInstanceOf(ContractError);
      offs.forEach((off) => off());
      const before = seen.length;
      await transport.invoke('project.new', {});
      const third = await transport.invoke('renders.start', { scope: { kind: 'movie' } });
      expect(third.jobId).toBeTruthy();
      await new Promise((r) => setTimeout(r, 50));
      expect(seen.length).toBe(before);
      await studio.renders.idle();
    });
  });
});
