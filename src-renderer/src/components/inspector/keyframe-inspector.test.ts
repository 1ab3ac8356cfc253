import { afterEach, describe, expect, it } from 'vitest';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import KeyframeInspector from './keyframe-inspector.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

function byLabel(root: HTMLElement, text: string): HTMLInputElement | HTMLTextAreaElement {
  const label = [...root.querySelectorAll('label')].find((l) => l.textContent?.trim() === text);
  if (!label) throw new Error(`no label "${text}"`);
  return root.querySelector(`#${label.getAttribute('for')}`) as HTMLInputElement;
}

/** Type into the field labelled `text`, as a keystroke would (one input event). */
function typeInto(root: HTMLElement, text: string, value: string): HTMLInputElement | HTMLTextAreaElement {
  const field = byLabel(root, text);
  field.value = value;
  field.dispatchEvent(new Event('input'));
  return field;
}

describe('KeyframeInspector', () => {
  it('edits the prompt, negative prompt and seed through labelled fields', async () => {
    const { wrapper, project, host } = await mountWithStudio(KeyframeInspector, undefined, { props: { index: 1 } });
    const root = wrapper.element as HTMLElement;
    typeInto(root, 'Prompt', 'a lighthouse in fog');
    typeInto(root, 'Negative prompt', 'text, watermark');
    // A typed seed is committed when the field is left, never digit by digit.
    typeInto(root, 'Seed', '1234').dispatchEvent(new Event('blur'));
    await settle();
    expect(project.doc!.keyframes[1]).toMatchObject({ prompt: 'a lighthouse in fog', negativePrompt: 'text, watermark', seed: 1234 });
    expect(host.state.project.keyframes[1].seed).toBe(1234);
  });

  it('counts tokens and shows the words cut past the limit', async () => {
    const { wrapper } = await mountWithStudio(KeyframeInspector, undefined, { props: { index: 0 } });
    const words = Array.from({ length: 78 }, (_, i) => `word${'abcdefghijklmnopqrstuvwxyz'[i % 26]}`);
    typeInto(wrapper.element as HTMLElement, 'Negative prompt', words.join(' '));
    await wrapper.vm.$nextTick();
    const cut = wrapper.get('[aria-label="Negative prompt: words past the 77-token limit"]');
    expect(cut.get('s').text()).toBe(words.slice(75).join(' '));
    expect(wrapper.text()).toContain('78 / 75 tokens · 3 cut');
  });

  it('rejects a seed that is not a 32-bit whole number and keeps the old one', async () => {
    const { wrapper, project } = await mountWithStudio(KeyframeInspector, undefined, { props: { index: 0 } });
    const before = project.doc!.keyframes[0].seed;
    typeInto(wrapper.element as HTMLElement, 'Seed', '4294967296');
    await wrapper.vm.$nextTick();
    expect(wrapper.text()).toContain('Use a whole number from 0 to 4294967295');
    expect(project.doc!.keyframes[0].seed).toBe(before);
  });

  it('locks the seed: randomise is disabled until unlocked', async () => {
    const { wrapper, project } = await mountWithStudio(KeyframeInspector, undefined, { props: { index: 0 } });
    await wrapper.get('[aria-label="Lock seed"]').trigger('click');
    expect(project.doc!.keyframes[0].seedLocked).toBe(true);
    expect(wrapper.get('[aria-label="Randomise seed"]').attributes('disabled')).toBeDefined();
    await wrapper.get('[aria-label="Lock seed"]').trigger('click');
    const before = project.doc!.keyframes[0].seed;
    await wrapper.get('[aria-label="Randomise seed"]').trigger('click');
    // A random 32-bit draw repeats the old seed with probability 2⁻³²; undo must restore it exactly.
    project.undo();
    expect(project.doc!.keyframes[0].seed).toBe(before);
  });

  it('starts a keyframe render with "Render keyframe"', async () => {
    const { wrapper, host } = await mountWithStudio(KeyframeInspector, undefined, { props: { index: 2 } });
    await wrapper.findAll('button').find((b) => b.text() === 'Render keyframe')!.trigger('click');
    await settle();
    expect(host.calls.filter((c) => c.method === 'renders.start').map((c) => c.payload)).toEqual([{ scope: { kind: 'keyframe', index: 2 } }]);
  });

  it('puts the seed in use back when the Seed field is left with something that is not a seed', async () => {
    const { wrapper, project } = await mountWithStudio(KeyframeInspector, undefined, { props: { index: 0 } });
    const seedInUse = project.doc!.keyframes[0].seed;
    const seed = typeInto(wrapper.element as HTMLElement, 'Seed', 'abc');
    await wrapper.vm.$nextTick();
    expect(wrapper.get('.error-text').text()).toBe('Use a whole number from 0 to 4294967295');
    seed.dispatchEvent(new Event('blur'));
    await wrapper.vm.$nextTick();
    expect(seed.value).toBe(String(seedInUse));
    expect(wrapper.find('.error-text').exists()).toBe(false);
    expect(wrapper.get('[role="status"]').text()).toBe(`Kept seed ${seedInUse}: "abc" is not a whole number from 0 to 4294967295.`);
    expect(project.doc!.keyframes[0].seed).toBe(seedInUse);
  });

  it('says in the inspector that a mask on the last keyframe does nothing', async () => {
    const { wrapper, project } = await mountWithStudio(KeyframeInspector, ['one', 'two', 'three'], { props: { index: 2 } });
    expect(wrapper.find('[data-testid="mask-unused-note"]').exists()).toBe(false);
    project.setField(['keyframes', 2, 'mask'], 'masks/k3.png');
    project.setField(['keyframes', 1, 'mask'], 'masks/k2.png');
    await settle();
    expect(wrapper.get('[data-testid="mask-unused-note"]').text()).toMatch(/^This mask does nothing: .*keyframe 3 is the last one/);
    expect(wrapper.text()).toContain('Mask unused');
    await wrapper.setProps({ index: 1 });
    expect(wrapper.find('[data-testid="mask-unused-note"]').exists()).toBe(false);
    expect(wrapper.text()).toContain('Mask set');
  });
});

describe('KeyframeInspector: image keyframes', () => {
  it('offers the fit choice only when the keyframe has an image, and stores the choice', async () => {
    const { wrapper, project, host } = await mountWithStudio(KeyframeInspector, undefined, { props: { index: 0 } });
    expect(wrapper.find('#image-fit').exists()).toBe(false);
    project.setField(['keyframes', 0, 'image'], 'photo.png', 'Use an image');
    project.seal();
    await settle();
    const select = wrapper.get('#image-fit');
    // No choice stored yet: the default (crop) is shown.
    expect((select.element as HTMLSelectElement).value).toBe('crop');
    expect(wrapper.text()).toContain('Fit the picture to the project size');
    await select.setValue('fit');
    await settle();
    expect(project.doc!.keyframes[0].imageFit).toBe('fit');
    expect(host.state.project.keyframes[0].imageFit).toBe('fit');
  });
});

describe('KeyframeInspector: Use an image…', () => {
  it('writes the chosen PNG next to the project and makes it the keyframe, then offers the fit', async () => {
    const { wrapper, project, host } = await mountWithStudio(KeyframeInspector, undefined, { props: { index: 1 } });
    const input = wrapper.get('input[type="file"]').element as HTMLInputElement;
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])], 'photo.png', { type: 'image/png' });
    Object.defineProperty(input, 'files', { value: [png], configurable: true });
    input.dispatchEvent(new Event('change'));
    await settle();
    const write = host.calls.find((c) => c.method === 'assets.write');
    const id = project.doc!.keyframes[1].id;
    expect(write?.payload).toMatchObject({ kind: 'image', keyframeId: id, pngBase64: btoa(String.fromCharCode(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3)) });
    expect(project.doc!.keyframes[1].image).toBe(`assets/${id}-image.png`);
    expect(wrapper.find('#image-fit').exists()).toBe(true);
    expect(wrapper.text()).toContain('Replace image…');
  });
});
