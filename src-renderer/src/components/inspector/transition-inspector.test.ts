import { afterEach, describe, expect, it } from 'vitest';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import TransitionInspector from './transition-inspector.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

async function choosePreset(wrapper: Awaited<ReturnType<typeof mountWithStudio>>['wrapper'], preset: string): Promise<void> {
  await wrapper.get('select[aria-label="Quality preset"]').setValue(preset);
  await settle();
}

function dialogButton(name: string): HTMLButtonElement {
  const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
  if (!button) throw new Error(`no button "${name}"`);
  return button;
}

describe('TransitionInspector: a preset change never wipes keyframe stills silently (issue 9)', () => {
  async function withStills() {
    const mounted = await mountWithStudio(TransitionInspector, ['one', 'two', 'three'], { props: { index: 0 } });
    for (const k of [0, 1, 2]) mounted.host.emit('job.frame', { jobId: 'j', target: 'keyframe', keyframe: k, url: `data:,still-${k}` });
    await settle();
    return mounted;
  }

  it('says before the change what will render again, and Cancel changes nothing', async () => {
    const { wrapper, project } = await withStills();
    await choosePreset(wrapper, 'high');
    expect(document.querySelector('[data-testid="rerender-summary"]')?.textContent).toBe(
      'Every keyframe then renders with 60 steps instead of 30: 3 keyframe stills will render again.',
    );
    expect(project.doc!.transitions[0].mode).toEqual({ kind: 'fixed', preset: 'medium' });
    dialogButton('Cancel').click();
    await settle();
    expect(document.querySelector('[data-testid="rerender-summary"]')).toBeNull();
    expect(project.doc!.transitions[0].mode).toEqual({ kind: 'fixed', preset: 'medium' });
    expect((wrapper.get('select[aria-label="Quality preset"]').element as HTMLSelectElement).value).toBe('medium');
  });

  it('keeps the keyframes by pinning their steps, in one undo step', async () => {
    const { wrapper, project } = await withStills();
    await choosePreset(wrapper, 'high');
    dialogButton('Keep 30 steps').click();
    await settle();
    expect(project.doc!.steps).toBe(30);
    expect(project.doc!.transitions[0].mode).toEqual({ kind: 'fixed', preset: 'high' });
    project.undo();
    await settle();
    expect(project.doc!.steps).toBeUndefined();
    expect(project.doc!.transitions[0].mode).toEqual({ kind: 'fixed', preset: 'medium' });
  });

  it('re-renders with the steps of the new preset when asked', async () => {
    const { wrapper, project } = await withStills();
    await choosePreset(wrapper, 'high');
    dialogButton('Use 60 steps and re-render').click();
    await settle();
    expect(project.doc!.steps).toBeUndefined();
    expect(project.doc!.transitions[0].mode).toEqual({ kind: 'fixed', preset: 'high' });
  });

  it('changes at once when nothing rendered would be lost, or the steps stay the same', async () => {
    const { wrapper, project } = await mountWithStudio(TransitionInspector, ['one', 'two', 'three'], { props: { index: 0 } });
    await choosePreset(wrapper, 'high');
    expect(document.querySelector('[data-testid="rerender-summary"]')).toBeNull();
    expect(project.doc!.transitions[0].mode).toEqual({ kind: 'fixed', preset: 'high' });
    const stilled = await withStills();
    // Transition 2 stays medium: lowering transition 1 keeps N at 30.
    await choosePreset(stilled.wrapper, 'lowest');
    expect(document.querySelector('[data-testid="rerender-summary"]')).toBeNull();
    expect(stilled.project.doc!.transitions[0].mode).toEqual({ kind: 'fixed', preset: 'lowest' });
  });
});
