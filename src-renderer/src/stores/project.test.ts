import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { installTransport } from '../api/transport';
import { createFakeHost, sampleProject, type FakeHost } from '../testing/fake-host';
import { useProjectStore } from './project';

let host: FakeHost;

beforeEach(() => {
  setActivePinia(createPinia());
  host = createFakeHost(sampleProject(['one', 'two', 'three']));
  installTransport(host);
});

async function loaded() {
  const store = useProjectStore();
  await store.load();
  return store;
}

const prompts = (store: ReturnType<typeof useProjectStore>) => store.doc!.keyframes.map((k) => k.prompt);

describe('project store', () => {
  it('loads the host project clean and marks edits unsaved', async () => {
    const store = await loaded();
    expect(prompts(store)).toEqual(['one', 'two', 'three']);
    expect(store.dirty).toBe(false);
    store.setField(['keyframes', 0, 'prompt'], 'uno');
    expect(store.dirty).toBe(true);
    await store.flush();
    expect(host.state.project.keyframes[0].prompt).toBe('uno');
  });

  it('undoes a typing burst in one step and clears the unsaved mark on returning to the saved state', async () => {
    const store = await loaded();
    for (const text of ['o', 'on', 'one!']) store.setField(['keyframes', 0, 'prompt'], text);
    store.seal();
    store.undo();
    expect(prompts(store)[0]).toBe('one');
    expect(store.dirty).toBe(false);
    store.redo();
    expect(prompts(store)[0]).toBe('one!');
    await store.flush();
    expect(host.state.project.keyframes[0].prompt).toBe('one!');
  });

  it('adds a keyframe after the selection with a transition, selects it, and undoes as one step', async () => {
    const store = await loaded();
    store.select({ kind: 'keyframe', index: 0 });
    const added = store.addKeyframe();
    expect(added).toBe(1);
    expect(store.selection).toEqual({ kind: 'keyframe', index: 1 });
    expect(store.doc!.keyframes).toHaveLength(4);
    expect(store.doc!.transitions).toHaveLength(3);
    expect(new Set(store.doc!.keyframes.map((k) => k.id)).size).toBe(4);
    await store.flush(); // the host's schema accepted it
    store.undo();
    expect(prompts(store)).toEqual(['one', 'two', 'three']);
    expect(store.doc!.transitions).toHaveLength(2);
  });

  it('reorders, duplicates and deletes keyframes', async () => {
    const store = await loaded();
    store.move(2, 0);
    expect(prompts(store)).toEqual(['three', 'one', 'two']);
    store.duplicate(0);
    expect(prompts(store)).toEqual(['three', 'three', 'one', 'two']);
    store.remove(1);
    expect(prompts(store)).toEqual(['three', 'one', 'two']);
    store.undo();
    store.undo();
    store.undo();
    expect(prompts(store)).toEqual(['one', 'two', 'three']);
  });

  it('shows the host validation error on the field and refuses to render on it', async () => {
    const store = await loaded();
    store.setField(['transitions', 0, 'depthStrength'], 0.99);
    await expect(store.flush()).rejects.toThrow(/Fix this first/);
    expect(store.fieldError?.path).toEqual(['transitions', 0, 'depthStrength']);
    store.setField(['transitions', 0, 'depthStrength'], 0.6);
    await store.flush();
    expect(store.fieldError).toBeNull();
  });

  it('asks for a path when saving an untitled project, then saves there', async () => {
    const store = await loaded();
    store.setField(['name'], 'Clip');
    expect(await store.save()).toBe('needs-path');
    expect(store.dirty).toBe(true);
    await store.saveAs('/films/clip.lbs.json');
    expect(store.dirty).toBe(false);
    expect(store.path).toBe('/films/clip.lbs.json');
    expect(host.files.get('/films/clip.lbs.json')?.name).toBe('Clip');
  });

  it('sends the host what changed on the revision it holds, and keeps a byte-identical copy of the host document', async () => {
    const store = await loaded();
    const revision = host.state.revision;
    store.setField(['keyframes', 0, 'prompt'], 'uno');
    await store.flush();
    const updates = host.calls.filter((c) => c.method === 'project.update');
    expect(updates.map((c) => c.payload)).toEqual([{ base: revision, changes: [{ path: ['keyframes', 0, 'prompt'], value: 'uno' }] }]);
    store.addKeyframe();
    store.setField(['keyframes', 1, 'image'], 'images\\new.png');
    store.undo();
    store.redo();
    await store.flush();
    expect(JSON.stringify(store.hostDoc)).toBe(JSON.stringify(host.state.project));
    // The host stores the path with forward slashes; the copy says so, the field keeps what was typed.
    expect(store.hostDoc!.keyframes[1].image).toBe('images/new.png');
    expect(store.doc!.keyframes[1].image).toBe('images\\new.png');
  });

  it('selects what an undo brought back', async () => {
    const store = await loaded();
    store.setField(['transitions', 1, 'duration'], 7);
    store.select({ kind: 'keyframe', index: 0 });
    store.undo();
    expect(store.selection).toEqual({ kind: 'transition', index: 1 });
  });
});

describe('render store refresh', () => {
  it('keeps frames announced while a refresh was in flight', async () => {
    const { useRenderStore } = await import('./renders');
    const store = await loaded();
    const renders = useRenderStore();
    renders.connect();
    // The host's answer was computed before the frame arrived: it lacks it.
    const stale = { keyframes: [], transitions: [] };
    const original = host.invoke.bind(host);
    host.invoke = (async (method: string, payload: unknown) => {
      if (method === 'renders.frames') {
        host.emit('job.frame', { jobId: 'j', target: 'keyframe', keyframe: 0, url: 'data:,new' });
        return stale;
      }
      return original(method as never, payload as never);
    }) as typeof host.invoke;
    await renders.refresh();
    expect(renders.stills[0]).toBe('data:,new');
    expect(store.doc).not.toBeNull();
  });
});
