import { describeError } from './api/errors';
import { transport } from './api/transport';
import { useAppStore } from './stores/app';
import { usePlayerStore } from './stores/player';
import { useProjectStore } from './stores/project';
import { useRenderStore } from './stores/renders';

/**
 * What the top bar, the keyboard and (under Electron) the app menu can ask for. Everything
 * that would lose unsaved work asks first.
 */
export function useCommands() {
  const app = useAppStore();
  const project = useProjectStore();
  const renders = useRenderStore();
  const player = usePlayerStore();

  async function guard<T>(what: () => Promise<T>): Promise<T | undefined> {
    try {
      return await what();
    } catch (error) {
      app.notify('error', describeError(error));
      return undefined;
    }
  }

  /** True when it is fine to replace the project (saved, discarded, or nothing to lose). */
  async function mayDiscard(action: string): Promise<boolean> {
    if (!project.dirty) return true;
    const answer = await app.askDiscard(action);
    if (answer === 'cancel') return false;
    if (answer === 'discard') return true;
    return (await save()) === true;
  }

  async function save(): Promise<boolean> {
    const result = await guard(() => project.save());
    if (result === 'needs-path') {
      app.dialog = 'saveAs';
      return false;
    }
    if (result === 'saved') app.notify('info', `Saved ${project.path ?? ''}`.trim());
    return result === 'saved';
  }

  /**
   * Ask for a project file: the host's file dialog under Electron, else the studio's own dialog
   * (the browser cannot browse the host's disk), which then does the work itself.
   */
  async function pickProjectFile(mode: 'open' | 'save', use: (path: string) => Promise<unknown>): Promise<void> {
    if (!app.info?.nativeDialogs) {
      app.dialog = mode === 'open' ? 'open' : 'saveAs';
      return;
    }
    const picked = await guard(() => transport().invoke('dialog.pick', { mode, purpose: 'project' }));
    if (picked?.path) await guard(() => use(picked.path!));
  }

  async function saveAs(): Promise<void> {
    // The system's save dialog has asked about replacing an existing file already.
    await pickProjectFile('save', (path) => project.saveAs(path, true));
  }

  async function newProject(): Promise<void> {
    if (!(await mayDiscard('start a new project'))) return;
    await guard(() => project.newProject());
    player.seek(0);
  }

  async function open(): Promise<void> {
    if (!(await mayDiscard('open another project'))) return;
    await pickProjectFile('open', project.open);
  }

  async function renderMovie(): Promise<void> {
    await renders.start({ kind: 'movie' }, 'Movie');
    if (renders.lastError) app.notify('error', renders.lastError);
  }

  function exportMovie(): void {
    app.dialog = 'export';
  }

  async function openPath(filePath: string): Promise<void> {
    if (!(await mayDiscard('open another project'))) return;
    await guard(() => project.open(filePath));
  }

  /** The Electron app menu (and a project passed on the command line) arrive as app.command. */
  function listenToHostCommands(): () => void {
    return transport().subscribe('app.command', ({ command, path }) => {
      const table: Record<typeof command, () => unknown> = {
        new: newProject,
        open: () => (path ? openPath(path) : open()),
        save,
        saveAs,
        export: exportMovie,
        undo: project.undo,
        redo: project.redo,
      };
      void table[command]();
    });
  }

  return { save, saveAs, newProject, open, openPath, renderMovie, exportMovie, undo: project.undo, redo: project.redo, mayDiscard, listenToHostCommands };
}

function typingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'range', 'button'].includes(target.type);
}

/** The studio's keyboard: file and history shortcuts everywhere, player keys outside text fields. */
export function handleStudioKey(event: KeyboardEvent, commands: ReturnType<typeof useCommands>, menuOwnsShortcuts = false): void {
  const player = usePlayerStore();
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (mod) {
    // Under Electron the app menu's accelerators send these as app.command events.
    if (menuOwnsShortcuts) return;
    const typing = typingTarget(event.target);
    const actions: Record<string, () => unknown> = {
      z: () => (event.shiftKey ? commands.redo() : commands.undo()),
      y: () => commands.redo(),
      s: () => (event.shiftKey ? commands.saveAs() : commands.save()),
      o: () => commands.open(),
      n: () => commands.newProject(),
      e: () => commands.exportMovie(),
    };
    const action = actions[key];
    // Undo inside a text field is the project's undo too: fields edit the project directly,
    // and one history keeps Ctrl+Z predictable.
    if (action && !(typing && key === 'a')) {
      event.preventDefault();
      void action();
    }
    return;
  }
  if (typingTarget(event.target) || event.altKey) return;
  switch (event.key) {
    case ' ':
      // Space is the player's, even on a focused button or checkbox: otherwise it re-clicks
      // whatever was clicked last (a second "Render movie", Loop toggled). Enter presses buttons.
      event.preventDefault();
      player.toggle();
      break;
    case 'ArrowLeft':
      event.preventDefault();
      player.step(event.shiftKey ? -Math.round(player.fps) : -1);
      break;
    case 'ArrowRight':
      event.preventDefault();
      player.step(event.shiftKey ? Math.round(player.fps) : 1);
      break;
    case 'j':
    case 'k':
    case 'l':
      event.preventDefault();
      player.shuttle(event.key);
      break;
    case 'Home':
      player.pause();
      player.seek(0);
      break;
    case 'End':
      player.pause();
      player.seek(player.layout.totalFrames - 1);
      break;
  }
}

/**
 * Browsers press a focused button (and toggle a checkbox) on Space's keyup, not only keydown:
 * take that from them too outside text fields, so Space only plays and pauses.
 */
export function handleStudioKeyUp(event: KeyboardEvent): void {
  if (event.key !== ' ' || event.ctrlKey || event.metaKey || event.altKey || typingTarget(event.target)) return;
  // In a dialog Space presses its buttons, as everywhere: the studio's keys stop at its edge.
  if (event.target instanceof Element && event.target.closest('[role="dialog"]')) return;
  event.preventDefault();
}
