import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { installTransport } from './api/transport';
import { handleStudioKey, handleStudioKeyUp, useCommands } from './commands';
import { useAppStore } from './stores/app';
import { usePlayerStore } from './stores/player';
import { useProjectStore } from './stores/project';
import { useRenderStore } from './stores/renders';
import { createFakeHost, sampleProject, type FakeHost } from './testing/fake-host';
import { settle } from './testing/mount-studio';

let host: FakeHost;

beforeEach(async () => {
  setActivePinia(createPinia());
  host = createFakeHost(sampleProject(['one', 'two']));
  installTransport(host);
  await useAppStore().load();
  await useProjectStore().load();
});

function key(init: KeyboardEventInit & { key: string }, target: EventTarget = document.body): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  Object.defineProperty(event, 'target', { value: target });
  return event;
}

describe('studio commands', () => {
  it('undoes and redoes with Ctrl+Z and Ctrl+Shift+Z', () => {
    const project = useProjectStore();
    const commands = useCommands();
    project.setField(['keyframes', 0, 'prompt'], 'changed');
    handleStudioKey(key({ key: 'z', ctrlKey: true }), commands);
    expect(project.doc!.keyframes[0].prompt).toBe('one');
    handleStudioKey(key({ key: 'Z', ctrlKey: true, shiftKey: true }), commands);
    expect(project.doc!.keyframes[0].prompt).toBe('changed');
  });

  it('leaves Ctrl shortcuts to the Electron menu, which sends them as app.command', async () => {
    const project = useProjectStore();
    const commands = useCommands();
    commands.listenToHostCommands();
    project.setField(['keyframes', 0, 'prompt'], 'changed');
    handleStudioKey(key({ key: 'z', ctrlKey: true }), commands, true);
    expect(project.doc!.keyframes[0].prompt).toBe('changed');
    host.emit('app.command', { command: 'undo' });
    expect(project.doc!.keyframes[0].prompt).toBe('one');
  });

  it('drives the player with Space, arrows and J/K/L but not while typing', () => {
    const player = usePlayerStore();
    const commands = useCommands();
    handleStudioKey(key({ key: 'ArrowRight' }), commands);
    handleStudioKey(key({ key: 'ArrowRight' }), commands);
    expect(player.frame).toBe(2);
    handleStudioKey(key({ key: 'ArrowRight' }, document.createElement('textarea')), commands);
    expect(player.frame).toBe(2);
    handleStudioKey(key({ key: ' ' }), commands);
    expect(player.playing).toBe(true);
    handleStudioKey(key({ key: 'k' }), commands);
    expect(player.playing).toBe(false);
    handleStudioKey(key({ key: 'j' }), commands);
    expect(player.rate).toBe(-1);
    handleStudioKey(key({ key: 'k' }), commands);
  });

  it('gives Space to the player on a focused button or checkbox, never re-clicking it', () => {
    const player = usePlayerStore();
    const commands = useCommands();
    const button = document.createElement('button');
    const checkbox = Object.assign(document.createElement('input'), { type: 'checkbox' });
    for (const target of [button, checkbox]) {
      const was = player.playing;
      const down = key({ key: ' ' }, target);
      handleStudioKey(down, commands);
      const up = new KeyboardEvent('keyup', { key: ' ', bubbles: true, cancelable: true });
      Object.defineProperty(up, 'target', { value: target });
      handleStudioKeyUp(up);
      expect(player.playing).toBe(!was);
      // Both halves of the key press are taken: the browser neither clicks nor toggles.
      expect(down.defaultPrevented).toBe(true);
      expect(up.defaultPrevented).toBe(true);
    }
  });

  it('leaves Space to the buttons of a dialog', () => {
    const dialog = document.createElement('div');
    dialog.setAttribute('role', 'dialog');
    const button = dialog.appendChild(document.createElement('button'));
    document.body.appendChild(dialog);
    const up = new KeyboardEvent('keyup', { key: ' ', bubbles: true, cancelable: true });
    button.dispatchEvent(up);
    handleStudioKeyUp(up);
    expect(up.defaultPrevented).toBe(false);
    dialog.remove();
  });

  it('leaves Space, J/K/L and arrows to text fields', () => {
    const player = usePlayerStore();
    const commands = useCommands();
    const fields = [document.createElement('textarea'), Object.assign(document.createElement('input'), { type: 'text' }), Object.assign(document.createElement('input'), { type: 'number' })];
    for (const field of fields) {
      for (const k of [' ', 'j', 'k', 'l', 'ArrowLeft', 'ArrowRight']) {
        const down = key({ key: k }, field);
        handleStudioKey(down, commands);
        expect(down.defaultPrevented).toBe(false);
      }
      const up = new KeyboardEvent('keyup', { key: ' ', cancelable: true });
      Object.defineProperty(up, 'target', { value: field });
      handleStudioKeyUp(up);
      expect(up.defaultPrevented).toBe(false);
    }
    expect(player.playing).toBe(false);
    expect(player.frame).toBe(0);
  });

  it('a double click on Render movie queues one render and says the second joined it', async () => {
    const commands = useCommands();
    await Promise.all([commands.renderMovie(), commands.renderMovie()]);
    expect(host.calls.filter((c) => c.method === 'renders.start')).toHaveLength(2);
    expect(useRenderStore().jobs.filter((j) => j.scope?.kind === 'movie')).toHaveLength(1);
    expect(useAppStore().toasts.map((t) => t.message)).toEqual(['Movie: already in the render queue, nothing added.']);
  });

  /** Edit the project, press New and answer the "Save changes?" question. */
  async function newOverUnsavedWork(answer: 'save' | 'discard' | 'cancel'): Promise<string> {
    useProjectStore().setField(['keyframes', 0, 'prompt'], 'precious');
    const pending = useCommands().newProject();
    await settle();
    const asked = useAppStore().discardQuestion;
    if (!asked) throw new Error('New replaced unsaved work without asking');
    asked.resolve(answer);
    await pending;
    return asked.action;
  }

  it('asks before New replaces unsaved work, and keeps it on Cancel', async () => {
    const project = useProjectStore();
    expect(await newOverUnsavedWork('cancel')).toBe('start a new project');
    expect(project.doc!.keyframes[0].prompt).toBe('precious');
    expect(host.calls.some((c) => c.method === 'project.new')).toBe(false);
  });

  it('saves first when the user answers Save, asking for a path on an untitled project', async () => {
    const project = useProjectStore();
    expect(await newOverUnsavedWork('save')).toBe('start a new project');
    expect(useAppStore().dialog).toBe('saveAs');
    expect(project.doc!.keyframes[0].prompt).toBe('precious');
  });
});
