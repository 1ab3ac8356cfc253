import { afterEach, describe, expect, it } from 'vitest';
import { mountWithStudio, settle } from '../testing/mountStudio';
import TimelinePanel from './TimelinePanel.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('TimelinePanel', () => {
  it('is the "Timeline" region with one card per keyframe and a block per transition', async () => {
    const { wrapper } = await mountWithStudio(TimelinePanel);
    expect(wrapper.get('section').attributes('aria-label')).toBe('Timeline');
    expect(wrapper.findAll('[data-testid="keyframe-card"]')).toHaveLength(3);
    expect(wrapper.findAll('.block-button').map((b) => b.attributes('aria-label'))).toEqual(['Transition 1 → 2', 'Transition 2 → 3']);
  });

  it('sizes transition blocks by their duration', async () => {
    const { wrapper, project } = await mountWithStudio(TimelinePanel);
    project.setField(['transitions', 0, 'duration'], 4);
    project.setField(['transitions', 1, 'duration'], 12);
    await wrapper.vm.$nextTick();
    const widths = wrapper.findAll('li.block').map((b) => parseFloat((b.element as HTMLElement).style.width));
    expect(widths[1] / widths[0]).toBeCloseTo(3, 9);
  });

  it('adds a keyframe with the "Add keyframe" button and selects it', async () => {
    const { wrapper, project } = await mountWithStudio(TimelinePanel);
    const add = wrapper.findAll('button').find((b) => b.text() === 'Add keyframe')!;
    await add.trigger('click');
    expect(wrapper.findAll('[data-testid="keyframe-card"]')).toHaveLength(4);
    expect(project.selection).toEqual({ kind: 'keyframe', index: 1 });
    expect(wrapper.findAll('[data-testid="keyframe-card"]')[1].attributes('aria-current')).toBe('true');
  });

  it('reorders with Alt+arrow keys and deletes and duplicates from the card', async () => {
    const { wrapper, project } = await mountWithStudio(TimelinePanel);
    await wrapper.findAll('[data-testid="keyframe-card"]')[0].trigger('keydown', { key: 'ArrowRight', altKey: true });
    expect(project.doc!.keyframes.map((k) => k.prompt)).toEqual(['two', 'one', 'three']);
    await wrapper.get('[aria-label="Delete keyframe 3"]').trigger('click');
    expect(project.doc!.keyframes.map((k) => k.prompt)).toEqual(['two', 'one']);
    await wrapper.get('[aria-label="Duplicate keyframe 1"]').trigger('click');
    expect(project.doc!.keyframes.map((k) => k.prompt)).toEqual(['two', 'two', 'one']);
  });

  it('shows each transition\'s render state as frames arrive', async () => {
    const { wrapper, host } = await mountWithStudio(TimelinePanel);
    const states = () => wrapper.findAll('[data-testid="transition-state"]').map((s) => s.text());
    expect(states()).toEqual(['Not rendered', 'Not rendered']);
    host.emit('job.queued', { jobId: 'j1', kind: 'render', label: 'Transition 1 → 2', scope: { kind: 'transition', index: 0 }, status: 'running', progress: null });
    await settle();
    expect(states()[0]).toBe('Rendering…');
    host.emit('job.frame', { jobId: 'j1', target: 'transition', transition: 0, position: 0.5, index: 1, url: 'data:,mid' });
    host.frames = { keyframes: [], transitions: [{ index: 0, complete: true, frames: [{ position: 0, url: 'a' }, { position: 0.5, url: 'b' }, { position: 1, url: 'c' }] }] };
    host.emit('job.done', { jobId: 'j1', kind: 'render', result: { kind: 'render', scope: { kind: 'transition', index: 0 }, frames: 3, fromCache: false } });
    await settle();
    expect(states()).toEqual(['Rendered', 'Not rendered']);
  });

  it('shows a keyframe picture from a rendered movie when the keyframe has no still of its own', async () => {
    const { wrapper, host } = await mountWithStudio(TimelinePanel);
    const thumbs = () => wrapper.findAll('[data-testid="keyframe-card"]').map((c) => c.find('img').attributes('src') ?? null);
    // Render movie without Render keyframe: the keyframes arrive only as transition ends.
    host.emit('job.frame', { jobId: 'm', target: 'transition', transition: 0, position: 0, index: 0, url: 'data:,k1' });
    host.emit('job.frame', { jobId: 'm', target: 'transition', transition: 0, position: 1, index: 2, url: 'data:,k2' });
    host.emit('job.frame', { jobId: 'm', target: 'transition', transition: 1, position: 1, index: 2, url: 'data:,k3' });
    await settle();
    expect(thumbs()).toEqual(['data:,k1', 'data:,k2', 'data:,k3']);
    // A still of its own wins over the transition's end.
    host.emit('job.frame', { jobId: 's', target: 'keyframe', keyframe: 1, url: 'data:,still2' });
    await settle();
    expect(thumbs()[1]).toBe('data:,still2');
  });

  it('scrolls the selected keyframe into view on a long timeline, and the wheel scrolls sideways', async () => {
    const prompts = Array.from({ length: 10 }, (_, i) => `scene ${i + 1}`);
    const { wrapper, project } = await mountWithStudio(TimelinePanel, prompts);
    const scroller = wrapper.get('.track-scroll').element as HTMLElement;
    // No layout in the test DOM: give the scroller a width and a scroll position that is not clamped.
    Object.defineProperty(scroller, 'clientWidth', { value: 600, configurable: true });
    Object.defineProperty(scroller, 'scrollLeft', { value: 0, writable: true, configurable: true });
    const frame = async () => {
      await settle();
      await new Promise((r) => requestAnimationFrame(() => r(undefined)));
    };
    const cardBox = (i: number) => {
      const el = wrapper.findAll('[data-testid="keyframe-card"]')[i].element as HTMLElement;
      return { left: parseFloat(el.style.left), right: parseFloat(el.style.left) + parseFloat(el.style.width) };
    };
    project.select({ kind: 'keyframe', index: 9 });
    await frame();
    const last = cardBox(9);
    expect(scroller.scrollLeft).toBeLessThanOrEqual(last.left);
    expect(scroller.scrollLeft + 600).toBeGreaterThanOrEqual(last.right);
    project.select({ kind: 'keyframe', index: 0 });
    await frame();
    expect(scroller.scrollLeft).toBe(0);
    scroller.dispatchEvent(new WheelEvent('wheel', { deltaY: 120, cancelable: true }));
    expect(scroller.scrollLeft).toBe(120);
  });

  it('during Render movie shows which transition renders now, which are finished and which wait', async () => {
    const { wrapper, host } = await mountWithStudio(TimelinePanel, ['a', 'b', 'c', 'd']);
    const states = () => wrapper.findAll('[data-testid="transition-state"]').map((s) => s.text());
    host.emit('job.queued', { jobId: 'm1', kind: 'render', label: 'Movie', scope: { kind: 'movie' }, status: 'running', progress: null });
    await settle();
    expect(states()).toEqual(['Rendering…', 'Waiting…', 'Waiting…']);
    host.emit('job.frame', { jobId: 'm1', target: 'transition', transition: 1, position: 0.5, index: 1, url: 'data:,mid' });
    await settle();
    expect(states()).toEqual(['Rendered', 'Rendering…', 'Waiting…']);
  });
});

