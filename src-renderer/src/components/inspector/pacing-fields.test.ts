import { afterEach, describe, expect, it } from 'vitest';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import KeyframeInspector from './keyframe-inspector.vue';
import TransitionInspector from './transition-inspector.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

function numberInput(root: HTMLElement, label: string): HTMLInputElement {
  const l = [...root.querySelectorAll('label')].find((x) => x.textContent?.trim() === label);
  if (!l) throw new Error(`no label "${label}"`);
  return root.querySelector(`#${l.getAttribute('for')}`) as HTMLInputElement;
}

describe('pacing in the inspectors (issue 12)', () => {
  it('the transition inspector chooses the easing; the hug curves get a strength; nothing renders for it', async () => {
    const { wrapper, project, host } = await mountWithStudio(TransitionInspector, ['one', 'two'], { props: { index: 0 } });
    const select = wrapper.get('select[aria-label="Easing"]');
    const options = [...(select.element as HTMLSelectElement).options].map((o) => o.textContent);
    expect(options).toEqual(['Linear', 'Ease in (slow start)', 'Ease out (slow end)', 'Ease in-out', 'Hug the middle', 'Hug the keyframes', 'Even perceived speed']);
    expect(wrapper.text()).not.toContain('Easing strength');
    const before = wrapper.get('[data-testid="easing-curve"]').attributes('d');
    await select.setValue('hug-keyframes');
    await settle();
    expect(project.doc!.transitions[0].easing).toEqual({ curve: 'hug-keyframes', strength: 0.5 });
    expect(host.state.project.transitions[0].easing.curve).toBe('hug-keyframes');
    expect(wrapper.get('[data-testid="easing-curve"]').attributes('d')).not.toBe(before);
    const strength = numberInput(wrapper.element as HTMLElement, 'Easing strength');
    strength.value = '0.8';
    strength.dispatchEvent(new Event('input'));
    // Numbers commit when the entry is complete (change / Enter / leaving the field).
    strength.dispatchEvent(new Event('change'));
    await settle();
    expect(project.doc!.transitions[0].easing.strength).toBe(0.8);
    expect(host.calls.some((c) => c.method === 'renders.start')).toBe(false);
    project.undo();
    await settle();
    expect(project.doc!.transitions[0].easing.strength).toBe(0.5);
  });

  it('the keyframe inspector sets the hold in seconds, and the movie gets longer by it', async () => {
    const { wrapper, project } = await mountWithStudio(KeyframeInspector, ['one', 'two'], { props: { index: 0 } });
    const { usePlayerStore } = await import('../../stores/player');
    const player = usePlayerStore();
    const before = player.layout.totalFrames;
    const hold = numberInput(wrapper.element as HTMLElement, 'Hold');
    hold.value = '1.5';
    hold.dispatchEvent(new Event('input'));
    hold.dispatchEvent(new Event('change'));
    await settle();
    expect(project.doc!.keyframes[0].hold).toBe(1.5);
    expect(player.layout.totalFrames).toBe(before + 1.5 * project.doc!.fps);
    expect(player.layout.spans[0].hold).toBe(1.5 * project.doc!.fps);
  });
});
