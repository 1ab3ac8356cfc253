import { afterEach, describe, expect, it } from 'vitest';
import { handleStudioKey, useCommands } from '../../commands';
import { usePlayerStore } from '../../stores/player';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import { defineComponent, h } from 'vue';
import TimelinePanel from './timeline-panel.vue';
import ToastList from '../shell/toast-list.vue';

const cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.splice(0).forEach((undo) => undo());
  document.body.innerHTML = '';
});

/** The studio's window keyboard (as app.vue installs it), and the keys that reached it. */
function studioKeyboard(): string[] {
  const commands = useCommands();
  const reached: string[] = [];
  const onKey = (event: KeyboardEvent) => {
    reached.push(event.key);
    handleStudioKey(event, commands);
  };
  window.addEventListener('keydown', onKey);
  cleanups.push(() => window.removeEventListener('keydown', onKey));
  return reached;
}

function press(target: Element, key: string, init: KeyboardEventInit = {}): void {
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
}

/** The cards and transition buttons, as the keyboard and the accessibility tree see them. */
function timelineItems() {
  const focused = () => document.activeElement?.getAttribute('aria-label') ?? null;
  const stops = () => [...document.querySelectorAll('.track [tabindex="0"]')].map((e) => e.getAttribute('aria-label'));
  const card = (n: number) => document.querySelector(`[aria-label="Keyframe ${n}"]`) as HTMLElement;
  return { focused, stops, card };
}

function givenWidth(wrapper: { get(selector: string): { element: Element } }, width: number): HTMLElement {
  const scroller = wrapper.get('.track-scroll').element as HTMLElement;
  // No layout in the test DOM: give the scroller a width and a scroll position that is not clamped.
  Object.defineProperty(scroller, 'clientWidth', { value: width, configurable: true });
  Object.defineProperty(scroller, 'scrollLeft', { value: 0, writable: true, configurable: true });
  return scroller;
}

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
    const scroller = givenWidth(wrapper, 600);
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

  it('is one Tab stop: the selected item, and the buttons of the selected card', async () => {
    const prompts = Array.from({ length: 10 }, (_, i) => `scene ${i + 1}`);
    const { wrapper, project } = await mountWithStudio(TimelinePanel, prompts);
    const { stops } = timelineItems();
    expect(stops()).toEqual(['Keyframe 1', 'Duplicate keyframe 1', 'Delete keyframe 1']);
    project.select({ kind: 'transition', index: 4 });
    await wrapper.vm.$nextTick();
    expect(stops()).toEqual(['Transition 5 → 6']);
    project.select({ kind: 'project' });
    await wrapper.vm.$nextTick();
    expect(stops()).toEqual(['Keyframe 1', 'Duplicate keyframe 1', 'Delete keyframe 1']);
  });

  it('moves the selection and the focus with the arrows, Home and End; outside the timeline the arrows step the player', async () => {
    const { project } = await mountWithStudio(TimelinePanel);
    const reached = studioKeyboard();
    const player = usePlayerStore();
    const { focused, card } = timelineItems();
    card(1).focus();
    const steps: Array<[string, string]> = [
      ['ArrowRight', 'Transition 1 → 2'],
      ['ArrowRight', 'Keyframe 2'],
      ['ArrowLeft', 'Transition 1 → 2'],
      ['End', 'Keyframe 3'],
      ['ArrowRight', 'Keyframe 3'],
      ['Home', 'Keyframe 1'],
    ];
    for (const [key, expected] of steps) {
      press(document.activeElement!, key);
      await settle();
      expect(focused(), `after ${key}`).toBe(expected);
    }
    expect(project.selection).toEqual({ kind: 'keyframe', index: 0 });
    expect(player.frame).toBe(0);
    expect(reached).toEqual([]); // the player did not also step or jump
    (document.activeElement as HTMLElement).blur();
    press(document.body, 'ArrowRight');
    press(document.body, 'ArrowRight');
    expect(player.frame).toBe(2);
  });

  it('deletes the focused keyframe with Delete or Backspace, and Ctrl+Z brings it back', async () => {
    const { project } = await mountWithStudio(TimelinePanel, ['one', 'two', 'three', 'four']);
    studioKeyboard();
    const prompts = () => project.doc!.keyframes.map((k) => k.prompt);
    const { focused, card } = timelineItems();
    card(2).focus();
    press(card(2), 'Delete');
    await settle();
    expect(prompts()).toEqual(['one', 'three', 'four']);
    expect(focused()).toBe('Keyframe 2'); // the keyboard stays in the timeline, on the next one
    press(document.activeElement!, 'Backspace');
    await settle();
    expect(prompts()).toEqual(['one', 'four']);
    press(document.activeElement!, 'z', { ctrlKey: true });
    press(document.activeElement!, 'z', { ctrlKey: true });
    await settle();
    expect(prompts()).toEqual(['one', 'two', 'three', 'four']);
    // Delete on a transition deletes nothing.
    press(document.querySelector('[aria-label="Transition 1 → 2"]')!, 'Delete');
    expect(prompts()).toEqual(['one', 'two', 'three', 'four']);
  });

  it('says "Keyframe n deleted" with an Undo that brings it back, and hides Undo once something else changed', async () => {
    const WithToasts = defineComponent({ render: () => [h(TimelinePanel), h(ToastList)] });
    const { project, wrapper } = await mountWithStudio(WithToasts, ['one', 'two', 'three']);
    const prompts = () => project.doc!.keyframes.map((k) => k.prompt);
    const undoButton = () => wrapper.findAll('.toast button').find((b) => b.text() === 'Undo');
    await wrapper.get('[aria-label="Delete keyframe 2"]').trigger('click');
    await settle();
    expect(prompts()).toEqual(['one', 'three']);
    expect(wrapper.get('.toast').text()).toContain('Keyframe 2 deleted');
    await undoButton()!.trigger('click');
    await settle();
    expect(prompts()).toEqual(['one', 'two', 'three']);
    expect(wrapper.find('.toast').exists()).toBe(false);

    // Undo in the toast must not undo some later edit instead of the deletion.
    const card = document.querySelector('[aria-label="Keyframe 3"]') as HTMLElement;
    card.focus();
    press(card, 'Delete');
    await settle();
    expect(wrapper.get('.toast').text()).toContain('Keyframe 3 deleted');
    project.setField(['keyframes', 0, 'prompt'], 'edited', 'Edit prompt');
    await settle();
    expect(undoButton()).toBeUndefined();
    expect(wrapper.find('.toast').exists()).toBe(false);
  });

  it('says on the card that a mask on the last keyframe does nothing', async () => {
    const { project, wrapper } = await mountWithStudio(TimelinePanel, ['one', 'two', 'three']);
    project.setField(['keyframes', 0, 'mask'], 'masks/k1.png');
    project.setField(['keyframes', 2, 'mask'], 'masks/k3.png');
    await settle();
    const unused = () => wrapper.findAll('[data-testid="mask-unused"]').map((f) => f.element.closest('[data-testid="keyframe-card"]')!.getAttribute('aria-label'));
    expect(unused()).toEqual(['Keyframe 3']);
    expect(wrapper.get('[data-testid="mask-unused"]').text()).toBe('Mask unused');
    expect(wrapper.get('[data-testid="mask-unused"]').attributes('title')).toMatch(/keyframe 3 is the last one/);
    // With a keyframe after it the mask shapes that transition: no warning.
    project.select({ kind: 'keyframe', index: 2 });
    project.addKeyframe();
    await settle();
    expect(unused()).toEqual([]);
  });

  it('moves the focused keyframe with Alt+arrows, keeps the focus on it, and Ctrl+Z moves it back', async () => {
    const { project } = await mountWithStudio(TimelinePanel);
    studioKeyboard();
    const prompts = () => project.doc!.keyframes.map((k) => k.prompt);
    const { focused, card } = timelineItems();
    card(1).focus();
    press(card(1), 'ArrowRight', { altKey: true });
    await settle();
    press(document.activeElement!, 'ArrowRight', { altKey: true });
    await settle();
    expect(prompts()).toEqual(['two', 'three', 'one']);
    expect(focused()).toBe('Keyframe 3');
    expect(project.selection).toEqual({ kind: 'keyframe', index: 2 });
    press(document.activeElement!, 'z', { ctrlKey: true });
    await settle();
    expect(prompts()).toEqual(['two', 'one', 'three']);
  });

  it('"Fit timeline" zooms so a ten-keyframe movie fits the visible width, with compact cards', async () => {
    const prompts = Array.from({ length: 10 }, (_, i) => `scene ${i + 1}`);
    const { wrapper } = await mountWithStudio(TimelinePanel, prompts);
    const scroller = givenWidth(wrapper, 900);
    scroller.scrollLeft = 300;
    const widthBefore = parseFloat((wrapper.get('ol.track').element as HTMLElement).style.width);
    expect(widthBefore).toBeGreaterThan(900);
    await wrapper.get('button[aria-label="Fit timeline"]').trigger('click');
    const track = wrapper.get('ol.track');
    const last = wrapper.findAll('[data-testid="keyframe-card"]')[9].element as HTMLElement;
    // Nothing to scroll: the track, with its room after the last card, fits inside the
    // scroller's 12 px padding on each side.
    expect(parseFloat((track.element as HTMLElement).style.width)).toBeLessThanOrEqual(900 - 24);
    expect(parseFloat(last.style.left) + parseFloat(last.style.width)).toBeLessThan(parseFloat((track.element as HTMLElement).style.width));
    expect(track.classes()).toContain('compact');
    expect(scroller.scrollLeft).toBe(0);
  });

  it('"Fit timeline" on a short movie zooms in as far as the zoom goes, keeping full cards', async () => {
    const { wrapper } = await mountWithStudio(TimelinePanel);
    givenWidth(wrapper, 3000);
    await wrapper.get('button[aria-label="Fit timeline"]').trigger('click');
    const zoom = wrapper.get('input[aria-label="Timeline zoom"]').element as HTMLInputElement;
    expect(Number(zoom.value)).toBe(Number(zoom.max));
    expect(wrapper.get('ol.track').classes()).not.toContain('compact');
  });
});
