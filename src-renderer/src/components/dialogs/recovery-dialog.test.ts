import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import { installTransport } from '../../api/transport';
import { useAppStore } from '../../stores/app';
import { useProjectStore } from '../../stores/project';
import { defineComponent, h } from 'vue';
import { formatWhen } from '../../logic/format';
import { createFakeHost, sampleProject, type FakeHost } from '../../testing/fake-host';
import { settle } from '../../testing/mount-studio';
import DiscardDialog from './discard-dialog.vue';
import RecoveryDialog from './recovery-dialog.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('RecoveryDialog', () => {
  it('offers an autosave after a crash and opens it as unsaved work', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const host = createFakeHost(sampleProject(['saved']));
    host.recoverable = [{ id: 'r1', projectPath: '/films/a.lbs.json', name: 'A', savedAt: 0, project: sampleProject(['typed before the crash']) }];
    installTransport(host);
    const project = useProjectStore();
    await project.load();
    const wrapper = mount(RecoveryDialog, { global: { plugins: [pinia] }, attachTo: document.body });
    await settle();
    expect(document.body.textContent).toContain('/films/a.lbs.json');
    const recover = [...document.body.querySelectorAll('button')].find((b) => b.textContent === 'Recover')!;
    recover.click();
    await settle();
    expect(project.doc!.keyframes[0].prompt).toBe('typed before the crash');
    expect(project.dirty).toBe(true);
    expect(project.path).toBe('/films/a.lbs.json');
    expect(document.body.textContent).not.toContain('Recover unsaved work?');
    wrapper.unmount();
  });

  /** A studio over a fake host offering `drafts`, with the RecoveryDialog and the Save changes? question. */
  async function studioWithDrafts(drafts: FakeHost['recoverable']) {
    const pinia = createPinia();
    setActivePinia(pinia);
    const host = createFakeHost(sampleProject(['open before']));
    host.recoverable = drafts;
    installTransport(host);
    await useAppStore().load();
    const project = useProjectStore();
    await project.load();
    const wrapper = mount(defineComponent({ render: () => [h(RecoveryDialog), h(DiscardDialog)] }), { global: { plugins: [pinia] }, attachTo: document.body });
    await settle();
    return { host, project, wrapper };
  }
  const button = (text: string) => [...document.body.querySelectorAll('button')].find((b) => b.textContent?.trim() === text);

  it('names every draft by its first prompt, keyframe count and time, not "Untitled"', async () => {
    const savedAt = new Date(2026, 11, 1, 7, 5).getTime();
    const { wrapper } = await studioWithDrafts([
      { id: 'u1', projectPath: null, name: 'Untitled', savedAt, project: sampleProject(['', 'a lighthouse in a storm at night, waves breaking over the rocks', 'dawn']) },
      { id: 'u2', projectPath: null, name: 'Untitled', savedAt, project: sampleProject(['a red fox']) },
    ]);
    const items = [...document.body.querySelectorAll('.entries li')].map((li) => [li.querySelector('strong')!.textContent, li.querySelector('.hint')!.textContent]);
    expect(items).toEqual([
      ['“a lighthouse in a storm at night, waves breaking over the…”', `3 keyframes · autosaved ${formatWhen(savedAt)} · Never saved`],
      ['“a red fox”', `1 keyframe · autosaved ${formatWhen(savedAt)} · Never saved`],
    ]);
    expect(document.body.textContent).not.toContain('Untitled');
    wrapper.unmount();
  });

  it('asks before a draft replaces unsaved work, and keeps that work on Cancel', async () => {
    const { project, host, wrapper } = await studioWithDrafts([{ id: 'r1', projectPath: null, name: 'Untitled', savedAt: 0, project: sampleProject(['the draft']) }]);
    project.setField(['keyframes', 0, 'prompt'], 'typed just now');
    await settle();
    button('Recover')!.click();
    await settle();
    expect(document.body.textContent).toContain('Save them before you recover this draft?');
    button('Cancel')!.click();
    await settle();
    expect(project.doc!.keyframes[0].prompt).toBe('typed just now');
    expect(host.calls.some((c) => c.method === 'project.recover')).toBe(false);
    // Don't save: the draft is recovered.
    button('Recover')!.click();
    await settle();
    button("Don't save")!.click();
    await settle();
    expect(project.doc!.keyframes[0].prompt).toBe('the draft');
    wrapper.unmount();
  });

  it('shows nothing when there is nothing to recover', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    installTransport(createFakeHost());
    const wrapper = mount(RecoveryDialog, { global: { plugins: [pinia] }, attachTo: document.body });
    await settle();
    expect(document.body.querySelector('[role="dialog"]')).toBeNull();
    wrapper.unmount();
  });
});
