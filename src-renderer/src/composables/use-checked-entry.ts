import { computed, ref, watch } from 'vue';

/** What a typed entry stands for: a usable number, or why it is not one. */
export type EntryReading = number | { problem: string };

export interface CheckedEntryOptions {
  /** The value the project uses now. */
  current: () => number;
  read: (text: string) => EntryReading;
  /** Called with a usable number when the entry is committed (Enter, change or leaving the field). */
  accept: (value: number) => void;
  /** The note shown after an unusable entry was replaced by the value in use. */
  keptNote: (inUse: number, text: string, problem: string) => string;
}

/**
 * A typed number field that never pretends: the text may be anything while the user types,
 * but only usable numbers reach the project, and leaving the field with an unusable entry puts
 * the value in use back and says so. Without this a field could show -3 while the project
 * keeps 3 s.
 *
 * Nothing is committed per keystroke: the prefixes of an entry are not the entry (typing
 * `99999` passes through 999, a 16-minute job; `1e9` passes through 1). A value reaches the
 * project only on commit — Enter, the input's change event, or leaving the field.
 */
export function useCheckedEntry(options: CheckedEntryOptions) {
  const text = ref(String(options.current()));
  // Undo, redo or another control changed the value: show it, unless the text already says it.
  watch(options.current, (value) => {
    if (options.read(text.value) !== value) text.value = String(value);
  });

  const problem = computed(() => {
    const reading = options.read(text.value);
    return typeof reading === 'number' ? null : reading.problem;
  });

  /** Why the last unusable entry was replaced by the value in use; cleared by the next edit. */
  const kept = ref<string | null>(null);

  /** A keystroke: show the text and why it is not usable yet; commit nothing. */
  function input(value: string): void {
    text.value = value;
    kept.value = null;
  }

  /** Commit the typed entry when it is usable (and differs from the value in use). */
  function commit(): void {
    const reading = options.read(text.value);
    if (typeof reading === 'number' && reading !== options.current()) options.accept(reading);
  }

  /** A control that can only produce valid values (a slider): commit at once. */
  function set(value: number): void {
    text.value = String(value);
    kept.value = null;
    commit();
  }

  function leave(): void {
    commit();
    if (!problem.value) return;
    const inUse = options.current();
    kept.value = options.keptNote(inUse, text.value.trim(), problem.value);
    text.value = String(inUse);
  }

  return { text, problem, kept, input, commit, set, leave };
}
