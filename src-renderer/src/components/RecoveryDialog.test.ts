import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import { installTransport } from '../api/transport';
import { useProjectStore } from '../stores/project';
import { createFakeHost, sampleProject } from '../testing/fakeHost';
import { settle } from '../testing/mountStudio';
import RecoveryDialog from './RecoveryDialog.vue';

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
