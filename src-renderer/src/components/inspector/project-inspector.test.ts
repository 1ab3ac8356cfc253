import { afterEach, describe, expect, it } from 'vitest';
import { buttonNamed } from '../../testing/buttons';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import ProjectInspector from './project-inspector.vue';

afterEach(() => {
  document.body.innerHTML = '';
});


function fieldByLabel(root: HTMLElement, text: string): HTMLInputElement | HTMLSelectElement {
  const label = [...root.querySelectorAll('label')].find((l) => l.querySelector('.field-label')?.textContent?.trim() === text);
  const control = label?.querySelector('input, select');
  if (!control) throw new Error(`no field "${text}"`);
  return control as HTMLInputElement | HTMLSelectElement;
}

describe('ProjectInspector models', () => {
  it('adds a model folder (resolving ~) and makes it the project model', async () => {
    const { wrapper, host, project } = await mountWithStudio(ProjectInspector);
    const root = wrapper.element as HTMLElement;
    buttonNamed('Add model folder…', root).click();
    await settle();
    const input = fieldByLabel(root, 'Model folder') as HTMLInputElement;
    input.value = '~/models/sd21-onnx';
    input.dispatchEvent(new Event('input'));
    await settle();
    expect(root.textContent).toContain('/home/me/models/sd21-onnx');
    buttonNamed('Add model', root).click();
    await settle();
    expect(host.calls.filter((c) => c.method === 'models.add').map((c) => c.payload)).toEqual([{ path: '/home/me/models/sd21-onnx' }]);
    expect(project.doc!.model).toEqual({ path: '/home/me/models/sd21-onnx' });
    const select = fieldByLabel(root, 'Model') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toContain('sd21-onnx');
  });

  it('puts an added inpainting folder into the inpainting model, and shows why a folder is refused', async () => {
    const { wrapper, host, project } = await mountWithStudio(ProjectInspector);
    const root = wrapper.element as HTMLElement;
    buttonNamed('Add model folder…', root).click();
    await settle();
    const input = fieldByLabel(root, 'Model folder') as HTMLInputElement;
    host.failNext('models.add', { code: 'MODEL_FILE_MISSING', message: 'Model folder /home/me/nothing is missing /home/me/nothing/unet/model.onnx.' });
    input.value = '/home/me/nothing';
    input.dispatchEvent(new Event('input'));
    await settle();
    buttonNamed('Add model', root).click();
    await settle();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('missing /home/me/nothing/unet/model.onnx');
    expect(project.doc!.model).toEqual({ id: 'demo' });

    input.value = '/home/me/sd2-inpainting-onnx';
    input.dispatchEvent(new Event('input'));
    await settle();
    buttonNamed('Add model', root).click();
    await settle();
    expect(project.doc!.inpaintingModel).toEqual({ path: '/home/me/sd2-inpainting-onnx' });
    expect(project.doc!.model).toEqual({ id: 'demo' });
  });
});

describe('ProjectInspector few-step models', () => {
  it('offers a few-step model\'s settings and applies them in one undo step', async () => {
    const { wrapper, project } = await mountWithStudio(ProjectInspector);
    const root = wrapper.element as HTMLElement;
    expect(root.querySelector('.few-step')).toBeNull();
    const model = fieldByLabel(root, 'Model') as HTMLSelectElement;
    model.value = JSON.stringify({ id: 'demo-fast' });
    model.dispatchEvent(new Event('change'));
    await settle();
    expect(root.querySelector('.few-step')?.textContent).toMatch(/few-step model .*4 steps, guidance 0 and fast transitions/);
    buttonNamed('Use few-step settings', root).click();
    await settle();
    const doc = project.doc!;
    expect([doc.steps, doc.guidance]).toEqual([4, 0]);
    expect(doc.transitions.map((t) => t.mode.kind)).toEqual(['fast', 'fast']);
    expect(root.querySelector('.few-step')).toBeNull();
    // The user can override: one undo restores the earlier settings at once.
    project.undo();
    await settle();
    expect(project.doc!.guidance).toBe(7.5);
    expect(project.doc!.transitions.map((t) => t.mode.kind)).toEqual(['fixed', 'fixed']);
    expect(project.doc!.model).toEqual({ id: 'demo-fast' });
  });

  it('lets the project use the model\'s own scheduler or name one of the four', async () => {
    const { wrapper, project } = await mountWithStudio(ProjectInspector);
    const root = wrapper.element as HTMLElement;
    const select = fieldByLabel(root, 'Scheduler') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(["The model's own", 'DDIM', 'DPM-Solver++ 2M', 'Euler', 'Euler ancestral']);
    select.value = 'euler-ancestral';
    select.dispatchEvent(new Event('change'));
    await settle();
    expect(project.doc!.scheduler).toBe('euler-ancestral');
    select.value = '';
    select.dispatchEvent(new Event('change'));
    await settle();
    expect(project.doc!.scheduler).toBeUndefined();
  });
});
