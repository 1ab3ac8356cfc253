import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { applyChanges, defaultTransition as schemaDefaultTransition, diffDocuments, type ProjectState } from '../../../src-main/contract/contract';
import { describeError, errorCode, errorPath } from '../api/errors';
import { transport } from '../api/transport';
import { randomSeed } from '../logic/seeds';
import { deleteKeyframe, duplicateKeyframe, editLooping, freshKeyframeId, insertKeyframe, moveKeyframe, setLoopBack } from '../logic/timeline-ops';
import { UndoHistory, formatPath, type Change, type Path } from '../logic/undo-history';
import type { Keyframe, Selection, Transition } from './types';
import type { Project } from '../../../src-main/contract/contract';

export interface FieldError {
  /** Path inside the project document, e.g. ['transitions', 0, 'depthStrength']. */
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * The open project as the user edits it. The document lives here; every edit goes through
 * the undo history (inverse changes) and is then sent to the host with `project.update` as
 * the changes from the host's document (`hostDoc`) to this one. The host validates the result
 * against the project schema and answers with what its document changed in, which `hostDoc`
 * takes, so it stays byte-identical with the host's without a document crossing back. Updates
 * are sent one at a time, always up to the newest document, so fast typing never queues a backlog.
 */
export const useProjectStore = defineStore('project', () => {
  const doc = shallowRef<Project | null>(null);
  const path = ref<string | null>(null);
  const selection = ref<Selection>({ kind: 'keyframe', index: 0 });
  const revision = ref(0);
  const savedRevision = ref(0);
  const canUndo = ref(false);
  const canRedo = ref(false);
  const undoLabel = ref<string | undefined>();
  const redoLabel = ref<string | undefined>();
  const fieldError = ref<FieldError | null>(null);
  const syncing = ref(false);
  /** Bumped after the host accepted an update (the render store refreshes its frames then). */
  const hostRevision = ref(0);
  /**
   * The document as the host holds it (its defaults filled in, its trims and key order), at
   * revision `base`. `doc` is what the user sees and may run ahead of it while an update is
   * in flight or was refused; it differs from it only in edits not yet accepted and in what the
   * host normalised (a name's trailing space, which the field keeps while the user types on).
   */
  const hostDoc = shallowRef<Project | null>(null);
  let base = 0;
  /** Moves on with each adopted document: an answer about an older one is dropped. */
  let generation = 0;

  let history = new UndoHistory<Project>();
  let pendingSync = false;
  let syncLoop: Promise<void> | null = null;

  const dirty = computed(() => doc.value !== null && revision.value !== savedRevision.value);
  const name = computed(() => doc.value?.name ?? '');

  function refreshHistoryFlags(): void {
    revision.value = history.revision;
    canUndo.value = history.canUndo;
    canRedo.value = history.canRedo;
    undoLabel.value = history.undoLabel;
    redoLabel.value = history.redoLabel;
  }

  /** Take a document from the host (new, open, recover) and start a fresh history. */
  function adopt(state: ProjectState): void {
    history = new UndoHistory<Project>();
    doc.value = state.project;
    hostDoc.value = state.project;
    base = state.revision;
    generation++;
    path.value = state.path;
    fieldError.value = null;
    refreshHistoryFlags();
    // A recovered autosave arrives dirty: it is not on disk until the user saves it.
    savedRevision.value = state.dirty ? -1 : history.revision;
    selection.value = { kind: 'keyframe', index: 0 };
    hostRevision.value++;
  }

  async function load(): Promise<void> {
    const { state } = await transport().invoke('project.current', {});
    if (state) adopt(state);
    else adopt(await transport().invoke('project.new', {}));
  }

  function sync(): Promise<void> {
    pendingSync = true;
    if (!syncLoop) {
      syncLoop = (async () => {
        syncing.value = true;
        try {
          // Yield once first: a loop with nothing to send would otherwise finish (and clear
          // syncLoop) before the assignment below stores it, leaving flush() waiting on it forever.
          await Promise.resolve();
          while (pendingSync) {
            pendingSync = false;
            const sent = doc.value;
            const held = hostDoc.value;
            if (!sent || !held) break;
            const changes = diffDocuments(held, sent);
            if (changes.length === 0) {
              // Back at what the host holds (an undo before the update went): nothing to send.
              fieldError.value = null;
              continue;
            }
            const at = generation;
            try {
              const edit = await transport().invoke('project.update', { base, changes });
              if (at !== generation) continue;
              hostDoc.value = applyChanges(held, edit.changes);
              base = edit.revision;
              fieldError.value = null;
              hostRevision.value++;
            } catch (error) {
              if (at !== generation) continue;
              if (errorCode(error) === 'STALE_EDIT') {
                // Another window changed the host's document: take it as it is now and send this
                // document's changes from there (the last edit wins, as with whole documents).
                await reread(at);
                pendingSync = true;
                continue;
              }
              const p = errorPath(error);
              // The host reports a path inside the document under 'project': ['project', 'transitions', 0, …].
              const inProject = p && p[0] === 'project' ? p.slice(1) : (p ?? []);
              fieldError.value = { path: inProject, message: describeError(error) };
              if (errorCode(error) !== 'INVALID_PROJECT' && errorCode(error) !== 'BAD_REQUEST') throw error;
            }
          }
        } finally {
          syncing.value = false;
          syncLoop = null;
        }
      })();
    }
    return syncLoop;
  }

  async function reread(at: number): Promise<void> {
    const { state } = await transport().invoke('project.current', {});
    if (at !== generation) return;
    if (!state) throw new Error('The project was closed in another window.');
    hostDoc.value = state.project;
    base = state.revision;
  }

  /**
   * Wait until the host holds the current document. Throws the validation message when the
   * host rejected it, so a render or save never runs on a stale or invalid project.
   */
  async function flush(): Promise<void> {
    while (syncLoop) await syncLoop;
    if (fieldError.value) throw new Error(`Fix this first: ${fieldError.value.message}`);
  }

  function apply(label: string, edits: ReadonlyArray<{ path: Path; value: unknown }>, coalesceKey?: string): void {
    if (!doc.value) return;
    const next = history.apply(doc.value, label, edits, coalesceKey);
    if (next === doc.value) return;
    doc.value = next;
    refreshHistoryFlags();
    void sync().catch(() => undefined);
  }

  /** Edit one field; repeated edits of the same field merge into one undo step until `seal()`. */
  function setField(fieldPath: Path, value: unknown, label = 'Edit'): void {
    apply(label, [{ path: fieldPath, value }], formatPath(fieldPath));
  }

  /** The host's complaint about the value at `at` or anything inside it, else null. */
  function errorAt(at: Path): string | null {
    const e = fieldError.value;
    return e && at.every((key, i) => e.path[i] === key) ? e.message : null;
  }

  function seal(): void {
    history.seal();
  }

  function structural(label: string, result: { keyframes: Keyframe[]; transitions: Transition[]; loop?: boolean }): void {
    history.seal();
    apply(label, [
      { path: ['keyframes'], value: result.keyframes },
      { path: ['transitions'], value: result.transitions },
      // A looping project that drops below two keyframes stops looping in the same undo step.
      ...(result.loop !== undefined && result.loop !== (doc.value?.loop ?? false) ? [{ path: ['loop'], value: result.loop }] : []),
    ]);
    history.seal();
  }

  /** Structural edits keep a looping project's loop-back transition last (editLooping in logic/timeline-ops.ts). */
  function linear(edit: (items: { keyframes: readonly Keyframe[]; transitions: readonly Transition[] }) => { keyframes: Keyframe[]; transitions: Transition[] }) {
    const d = doc.value!;
    return editLooping(d, d.loop, edit);
  }

  /** Loop the movie: a transition from the last keyframe back to the first (or remove it). */
  function setLoop(on: boolean): void {
    const d = doc.value;
    if (!d || (on && d.keyframes.length < 2)) return;
    structural(on ? 'Loop the movie' : 'Stop looping', setLoopBack(d, on, defaultTransition()));
  }

  function defaultTransition(): Transition {
    const d = doc.value!;
    const near = selection.value.kind === 'transition' ? d.transitions[selection.value.index] : d.transitions[d.transitions.length - 1];
    if (near) return JSON.parse(JSON.stringify(near)) as Transition;
    // The schema's defaults for a transition, as a new project gets them.
    return schemaDefaultTransition();
  }

  /** A new empty keyframe after the selected one (or at the end), selected for typing. */
  function addKeyframe(): number {
    const d = doc.value;
    if (!d) return -1;
    const after =
      selection.value.kind === 'keyframe'
        ? selection.value.index
        : selection.value.kind === 'transition'
          ? selection.value.index
          : d.keyframes.length - 1;
    const keyframe: Keyframe = { id: freshKeyframeId(d.keyframes), prompt: '', negativePrompt: '', seed: randomSeed(), seedLocked: false, hold: 0 };
    const transition = defaultTransition();
    structural('Add keyframe', linear((items) => insertKeyframe(items, Math.min(after, items.keyframes.length - 1), keyframe, transition)));
    selection.value = { kind: 'keyframe', index: after + 1 };
    return after + 1;
  }

  function duplicate(index: number): void {
    const d = doc.value;
    if (!d) return;
    const transition = defaultTransition();
    structural('Duplicate keyframe', linear((items) => duplicateKeyframe(items, index, transition)));
    selection.value = { kind: 'keyframe', index: index + 1 };
  }

  function remove(index: number): void {
    const d = doc.value;
    if (!d || d.keyframes.length <= 1) return;
    structural('Delete keyframe', linear((items) => deleteKeyframe(items, index)));
    selection.value = { kind: 'keyframe', index: Math.min(index, d.keyframes.length - 2) };
  }

  function move(from: number, to: number): void {
    const d = doc.value;
    if (!d || from === to) return;
    structural('Reorder keyframes', linear((items) => moveKeyframe(items, from, to)));
    selection.value = { kind: 'keyframe', index: to };
  }

  /** Select what an undone/redone change touched, so the user sees what came back. */
  function selectChanged(change: Change): void {
    const d = doc.value!;
    const first = change.ops[0]?.path ?? [];
    if ((first[0] === 'keyframes' || first[0] === 'transitions') && typeof first[1] === 'number') {
      selection.value = { kind: first[0] === 'keyframes' ? 'keyframe' : 'transition', index: first[1] };
    } else if (first[0] === 'keyframes') {
      const s = selection.value;
      if (s.kind === 'keyframe') selection.value = { kind: 'keyframe', index: Math.min(s.index, d.keyframes.length - 1) };
      if (s.kind === 'transition') {
        selection.value = d.transitions.length > 0 ? { kind: 'transition', index: Math.min(s.index, d.transitions.length - 1) } : { kind: 'keyframe', index: 0 };
      }
    }
  }

  /** Show a document that undo or redo reached, and what it changed. */
  function arrive(reached: { doc: Project; change: Change } | null): void {
    if (!reached) return;
    doc.value = reached.doc;
    refreshHistoryFlags();
    selectChanged(reached.change);
    void sync().catch(() => undefined);
  }

  function undo(): void {
    if (doc.value) arrive(history.undo(doc.value));
  }

  function redo(): void {
    if (doc.value) arrive(history.redo(doc.value));
  }

  async function newProject(): Promise<void> {
    adopt(await transport().invoke('project.new', {}));
  }

  async function open(filePath: string): Promise<void> {
    adopt(await transport().invoke('project.open', { path: filePath }));
  }

  /** Save; resolves 'needs-path' for an untitled project so the UI can ask where. */
  async function save(): Promise<'saved' | 'needs-path'> {
    const at = revision.value;
    await flush();
    try {
      const state = await transport().invoke('project.save', {});
      path.value = state.path;
      savedRevision.value = at;
      return 'saved';
    } catch (error) {
      if (errorCode(error) === 'NO_PATH') return 'needs-path';
      throw error;
    }
  }

  /** `overwrite`: the user confirmed replacing this path although it is not a project. */
  async function saveAs(filePath: string, overwrite = false): Promise<void> {
    const at = revision.value;
    await flush();
    const state = await transport().invoke('project.saveAs', { path: filePath, ...(overwrite ? { overwrite: filePath } : {}) });
    path.value = state.path;
    savedRevision.value = at;
  }

  function select(next: Selection): void {
    history.seal();
    selection.value = next;
  }

  return {
    doc,
    path,
    name,
    selection,
    dirty,
    revision,
    canUndo,
    canRedo,
    undoLabel,
    redoLabel,
    fieldError,
    errorAt,
    syncing,
    hostRevision,
    hostDoc,
    load,
    adopt,
    flush,
    apply,
    setField,
    seal,
    addKeyframe,
    duplicate,
    remove,
    move,
    setLoop,
    undo,
    redo,
    newProject,
    open,
    save,
    saveAs,
    select,
  };
});
