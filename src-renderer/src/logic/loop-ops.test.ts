import { describe, expect, it } from 'vitest';
import { mountWithStudio, settle } from '../testing/mount-studio';
import ProjectInspector from '../components/inspector/project-inspector.vue';
import { deleteKeyframe, editLooping, insertKeyframe, moveKeyframe, setLoopBack } from './timeline-ops';
import { transitionEnds } from './format';

const k = (id: string) => ({ id });
const looping = { keyframes: [k('a'), k('b'), k('c')], transitions: ['ab', 'bc', 'ca'] };

describe('structural edits of a looping movie (issue 12)', () => {
  it('keep the loop-back transition last when a keyframe is added, moved or deleted', () => {
    expect(editLooping(looping, true, (items) => insertKeyframe(items, 2, k('d'), 'new'))).toEqual({
      keyframes: [k('a'), k('b'), k('c'), k('d')],
      transitions: ['ab', 'bc', 'new', 'ca'],
      loop: true,
    });
    expect(editLooping(looping, true, (items) => moveKeyframe(items, 0, 2)).transitions).toEqual(['ab', 'bc', 'ca']);
    expect(editLooping(looping, true, (items) => deleteKeyframe(items, 2))).toEqual({ keyframes: [k('a'), k('b')], transitions: ['ab', 'ca'], loop: true });
  });

  it('stops looping when fewer than two keyframes are left', () => {
    const two = { keyframes: [k('a'), k('b')], transitions: ['ab', 'ba'] };
    expect(editLooping(two, true, (items) => deleteKeyframe(items, 1))).toEqual({ keyframes: [k('a')], transitions: [], loop: false });
  });

  it('turns the loop on by appending a transition and off by dropping it', () => {
    const open = { keyframes: [k('a'), k('b')], transitions: ['ab'] };
    expect(setLoopBack(open, true, 'ba')).toEqual({ keyframes: open.keyframes, transitions: ['ab', 'ba'], loop: true });
    expect(setLoopBack({ keyframes: open.keyframes, transitions: ['ab', 'ba'] }, false, 'x')).toEqual({ keyframes: open.keyframes, transitions: ['ab'], loop: false });
    expect(() => setLoopBack({ keyframes: [k('a')], transitions: [] }, true, 'x')).toThrow(/at least 2 keyframes/);
  });

  it('names the loop-back transition by the keyframe it returns to', () => {
    expect(transitionEnds(2, 3)).toBe('3 → 1');
    expect(transitionEnds(1, 3)).toBe('2 → 3');
  });
});

describe('the Loop setting', () => {
  it('adds the loop-back transition, keeps it through an added keyframe, and undoes in one step', async () => {
    const { wrapper, project, host } = await mountWithStudio(ProjectInspector, ['one', 'two', 'three']);
    await wrapper.get('[data-testid="loop-toggle"]').setValue(true);
    await settle();
    expect(project.doc!.loop).toBe(true);
    expect(project.doc!.transitions).toHaveLength(3);
    expect(host.state.project.loop).toBe(true);
    project.select({ kind: 'keyframe', index: 2 });
    project.addKeyframe();
    await settle();
    expect(project.doc!.keyframes).toHaveLength(4);
    expect(project.doc!.transitions).toHaveLength(4);
    expect(host.state.project.transitions).toHaveLength(4);
    project.undo();
    project.undo();
    await settle();
    expect(project.doc!.loop).toBe(false);
    expect(project.doc!.transitions).toHaveLength(2);
  });
});
