import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPinia, setActivePinia } from 'pinia';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractError, type InvokeResult } from '../src-main/contract/contract';
import type { Transport } from '../src-main/contract/transport';
import { handlersFor } from '../src-main/ipc/handlers';
import { createRouter, type Router } from '../src-main/ipc/router';
import { createStudio, type Studio } from '../src-main/services/studio';
import { RenderJobDouble } from '../src-main/services/testing/render-engine-double';
import { installTransport } from '../src-renderer/src/api/transport';
import { useProjectStore } from '../src-renderer/src/stores/project';

/**
 * The renderer's project store against the real host (router, handlers, ProjectsService) over a
 * JSON wire, as the web host carries it: after any sequence of edits, undos and redos the
 * store's copy of the host's document is the host's document byte for byte, and what the user
 * sees is the same project.
 */
let dir: string;
let studio: Studio;
let router: Router;
const answers: { method: string; bytes: number }[] = [];

function wire(to: Router): Transport {
  return {
    kind: 'websocket',
    async invoke(method, payload) {
      const result = JSON.parse(JSON.stringify(await to.handle(method, JSON.parse(JSON.stringify(payload ?? {}))))) as InvokeResult;
      answers.push({ method, bytes: JSON.stringify(result).length });
      if (!result.ok) throw new ContractError(result.error);
      return result.value as never;
    },
    subscribe: () => () => undefined,
    close() {},
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lbs-edit-roundtrip-'));
  studio = createStudio({ engine: new RenderJobDouble(null), host: 'web', mediaBase: '/media', version: '0.0.0-test', configDir: dir });
  router = createRouter(handlersFor(studio));
  installTransport(wire(router));
});

afterAll(async () => {
  await studio.dispose();
  await rm(dir, { recursive: true, force: true });
});

const hostText = () => JSON.stringify(studio.projects.state()!.project);

function openWindow() {
  const pinia = createPinia();
  setActivePinia(pinia);
  return useProjectStore(pinia);
}

describe('an edit from the renderer to the host and back', () => {
  it('keeps the store\'s copy of the host document byte-identical through edits, undo and redo', async () => {
    await studio.projects.create(['a misty pine forest', 'a quiet harbour', 'a desert at noon']);
    const store = openWindow();
    await store.load();

    const steps: Array<[string, () => void]> = [
      ['type a prompt', () => ['a r', 'a red', 'a red fox'].forEach((t) => store.setField(['keyframes', 0, 'prompt'], t))],
      ['change a transition', () => store.setField(['transitions', 1, 'depthStrength'], 0.4)],
      ['add a keyframe', () => void store.addKeyframe()],
      ['give it an image', () => store.setField(['keyframes', 1, 'image'], 'images/fox.png')],
      ['reorder', () => store.move(3, 0)],
      ['loop', () => store.setLoop(true)],
      ['delete a keyframe', () => store.remove(2)],
      ['undo the delete', () => store.undo()],
      ['undo the loop', () => store.undo()],
      ['redo the loop', () => store.redo()],
      ['undo four steps', () => [1, 2, 3, 4].forEach(() => store.undo())],
      ['redo two', () => [1, 2].forEach(() => store.redo())],
      ['duplicate', () => store.duplicate(0)],
      ['edit while an edit is in flight', () => {
        store.setField(['fps'], 30);
        void Promise.resolve().then(() => store.setField(['keyframes', 0, 'seed'], 7));
      }],
    ];
    for (const [what, step] of steps) {
      step();
      await Promise.resolve();
      await store.flush();
      expect(JSON.stringify(store.hostDoc), what).toBe(hostText());
      expect(store.doc, what).toEqual(studio.projects.state()!.project);
    }
    expect(store.doc!.fps).toBe(30);
    expect(store.doc!.keyframes[0].seed).toBe(7);

    // The host normalises what the user types (a trimmed name): its copy takes the host's value,
    // the field keeps the user's text while they type on.
    store.setField(['name'], 'Fox film  ');
    await store.flush();
    expect(JSON.stringify(store.hostDoc)).toBe(hostText());
    expect(studio.projects.state()!.project.name).toBe('Fox film');
    expect(store.doc!.name).toBe('Fox film  ');

    // An edit answer is the change, not the project.
    const edits = answers.filter((a) => a.method === 'project.update');
    const typical = edits[0].bytes;
    expect(typical).toBeLessThan(hostText().length / 4);
  });

  it('a window whose document another window changed takes the host\'s and sends its edit from there', async () => {
    await studio.projects.create(['one', 'two']);
    const first = openWindow();
    await first.load();
    const second = openWindow();
    await second.load();

    second.setField(['keyframes', 1, 'prompt'], 'changed in the second window');
    await second.flush();
    // The first window's next edit is on a revision the host has moved past: it is refused,
    // the window re-reads, and its document wins as a whole document did before.
    first.setField(['keyframes', 0, 'prompt'], 'changed in the first window');
    await first.flush();
    expect(first.fieldError).toBeNull();
    expect(JSON.stringify(first.hostDoc)).toBe(hostText());
    expect(studio.projects.state()!.project.keyframes.map((k) => k.prompt)).toEqual(['changed in the first window', 'two']);
  });

  it('shows the host\'s validation error on the field and keeps the host document', async () => {
    await studio.projects.create(['one', 'two']);
    const store = openWindow();
    await store.load();
    const before = hostText();
    store.setField(['transitions', 0, 'duration'], -3);
    await expect(store.flush()).rejects.toThrow(/Fix this first/);
    expect(store.fieldError?.path).toEqual(['transitions', 0, 'duration']);
    expect(hostText()).toBe(before);
    store.undo();
    await store.flush();
    expect(store.fieldError).toBeNull();
    expect(JSON.stringify(store.hostDoc)).toBe(before);
  });
});
