import { afterEach, describe, expect, it } from 'vitest';
import type { Component } from 'vue';
import { MAX_SEED } from '../../../../src-main/contract/contract';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import KeyframeInspector from './keyframe-inspector.vue';
import ProjectInspector from './project-inspector.vue';
import TransitionInspector from './transition-inspector.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

/** mulberry32: a seeded generator, so a failing entry can be replayed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Entries a user types by accident or on purpose, then random ones over the characters numbers use. */
const NAMED = ['99999', '1e9', '1e-9', '', ' ', '-0', '-3', '0', '0.05', '3600.0001', '4294967296', '1.5', 'abc', '0x10', 'Infinity', 'NaN', '12.', '.5', '5e', '+7'];
function entries(count: number, seed: number): string[] {
  const random = generator(seed);
  const chars = '0123456789..-+e ';
  const out = [...NAMED];
  while (out.length < count) {
    const length = 1 + Math.floor(random() * 7);
    out.push(Array.from({ length }, () => chars[Math.floor(random() * chars.length)]).join(''));
  }
  return out;
}

interface Field {
  name: string;
  input: HTMLInputElement;
  min: number;
  max: number;
  integer: boolean;
}

/** Every typed number field in `root`: number inputs (range from their attributes) and the seed. */
function numericFields(root: HTMLElement): Field[] {
  const fields: Field[] = [];
  for (const input of root.querySelectorAll<HTMLInputElement>('input[type="number"]')) {
    const label = root.querySelector(`label[for="${input.id}"]`)?.textContent?.trim() ?? input.id;
    fields.push({ name: label, input, min: Number(input.min), max: Number(input.max), integer: input.inputMode === 'numeric' });
  }
  const seed = root.querySelector<HTMLInputElement>('#seed-input');
  if (seed) fields.push({ name: 'Seed', input: seed, min: 0, max: MAX_SEED, integer: true });
  return fields;
}

/** The number a committed entry must set, or null when the old value must stay. */
function expected(field: Field, text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  if (!Number.isFinite(n) || n < field.min || n > field.max) return null;
  if (field.integer && !Number.isInteger(n)) return null;
  // The seed field takes decimal digits only (no exponent, sign or point).
  if (field.name === 'Seed' && !/^\d+$/.test(t)) return null;
  return n === 0 ? 0 : n;
}

/** Leaves of a JSON document that differ between `a` and `b`. */
function changedLeaves(a: unknown, b: unknown, at: string[] = []): Array<{ path: string; before: unknown; after: unknown }> {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => changedLeaves((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...at, k]));
  }
  return a === b ? [] : [{ path: at.join('.'), before: a, after: b }];
}

const ENDINGS = ['blur', 'enter', 'change'] as const;

async function fuzz(component: Component, props: Record<string, unknown>, prepare?: (root: HTMLElement) => Promise<void>) {
  const { wrapper, project, host } = await mountWithStudio(component, undefined, { props });
  const root = wrapper.element as HTMLElement;
  if (prepare) {
    await prepare(root);
    await settle();
  }
  const fields = numericFields(root);
  expect(fields.length).toBeGreaterThan(0);
  let round = 0;
  for (const field of fields) {
    for (const text of entries(40, 7 + round)) {
      const ending = ENDINGS[round++ % ENDINGS.length];
      // The field may have been replaced after a commit (v-if on a mode); find it again by id.
      const input = root.querySelector<HTMLInputElement>(`#${field.input.id}`)!;
      while (project.syncing) await settle();
      const before = JSON.parse(JSON.stringify(project.doc));
      const updatesBefore = host.calls.filter((c) => c.method === 'project.update').length;
      input.focus();
      // Keystroke by keystroke: every prefix is what the field holds on the way.
      for (let i = 1; i <= text.length; i++) {
        input.value = text.slice(0, i);
        input.dispatchEvent(new Event('input'));
        await wrapper.vm.$nextTick();
        expect(changedLeaves(before, project.doc), `${field.name}: typing "${text.slice(0, i)}" of "${text}" changed the project`).toEqual([]);
      }
      await settle();
      expect(host.calls.filter((c) => c.method === 'project.update').length, `${field.name}: "${text}" reached the host before it was committed`).toBe(updatesBefore);
      const typed = input.value;
      if (ending === 'blur') input.dispatchEvent(new Event('blur'));
      if (ending === 'enter') input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
      if (ending === 'change') input.dispatchEvent(new Event('change'));
      input.dispatchEvent(new Event('blur'));
      await settle();
      const want = expected(field, typed);
      const changes = changedLeaves(before, project.doc);
      const why = `${field.name}: "${typed}" committed by ${ending}`;
      if (want === null) {
        expect(changes, why).toEqual([]);
        // Refused with the range shown, and the field shows the value in use again.
        expect(root.textContent, why).toMatch(field.name === 'Seed' ? /Kept seed/ : new RegExp(`Kept .*${field.min} to ${field.max}`));
      } else {
        const old = changes.length === 0;
        // Either the entry equals the value in use, or exactly that one number changed to it.
        if (!old) expect(changes.map((c) => c.after), why).toEqual([want]);
        expect(Number(input.value) + 0, why).toBe(want);
        // The field's range is within the schema's: the host never refuses the number for its
        // type or range. A rule across fields (a duration too short for its preset at this fps,
        // a depth strength the steps cannot split) may still refuse it, with the fix spelled out.
        const refusal = !old && project.fieldError?.path.join('.') === changes[0].path ? project.fieldError.message : null;
        if (refusal) {
          expect(refusal, `${why}: the field accepted a value outside the schema's range`).not.toMatch(/must be (at least|at most|greater than|less than|a number|a whole number|a multiple)/);
          expect(refusal, why).toMatch(/make it|use |choose/);
        }
      }
      project.seal();
      // Go on from a project the host accepts.
      if (project.fieldError && changes.length > 0) {
        project.undo();
        await settle();
      }
      expect(project.fieldError, `${why}: undo did not bring back an accepted project`).toBeNull();
    }
  }
}

// Each case types a few hundred entries keystroke by keystroke.
describe('every numeric field commits only valid values', { timeout: 60_000 }, () => {
  it('transition inspector (preset mode, crossfeed and feather open)', async () => {
    await fuzz(TransitionInspector, { index: 0 });
  });

  it('transition inspector (time budget mode)', async () => {
    await fuzz(TransitionInspector, { index: 1 }, async (root) => {
      [...root.querySelectorAll<HTMLButtonElement>('[role="radio"]')].find((b) => b.textContent === 'Time budget')!.click();
    });
  });

  it('transition inspector (image count limit)', async () => {
    await fuzz(TransitionInspector, { index: 1 }, async (root) => {
      [...root.querySelectorAll<HTMLButtonElement>('[role="radio"]')].find((b) => b.textContent === 'Time budget')!.click();
      await settle();
      const limit = root.querySelector<HTMLSelectElement>('[aria-label="Adaptive limit"]')!;
      limit.value = 'images';
      limit.dispatchEvent(new Event('change'));
    });
  });

  it('project inspector (fps, explicit steps)', async () => {
    await fuzz(ProjectInspector, {}, async (root) => {
      const auto = [...root.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')].find((c) => c.parentElement?.textContent?.includes('Steps from the quality presets'))!;
      auto.click();
    });
  });

  it('keyframe inspector (seed)', async () => {
    await fuzz(KeyframeInspector, { index: 0 });
  });
});
