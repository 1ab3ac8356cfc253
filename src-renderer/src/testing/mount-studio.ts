import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { Component } from 'vue';
import { installTransport } from '../api/transport';
import { useAppStore } from '../stores/app';
import { useProjectStore } from '../stores/project';
import { useRenderStore } from '../stores/renders';
import { createFakeHost, sampleProject, type FakeHost } from './fake-host';

/** Mount a studio component over a fake host with the stores loaded, as the app does at start. */
export async function mountWithStudio<C extends Component>(component: C, prompts = ['one', 'two', 'three'], options: ComponentMountingOptions<C> = {}) {
  const pinia = createPinia();
  setActivePinia(pinia);
  const host: FakeHost = createFakeHost(sampleProject(prompts));
  installTransport(host);
  const renders = useRenderStore();
  renders.connect();
  await useAppStore().load();
  await useProjectStore().load();
  const wrapper = mount(component, { ...options, global: { plugins: [pinia] }, attachTo: document.body } as ComponentMountingOptions<C>);
  return { wrapper, host, project: useProjectStore(), renders, app: useAppStore() };
}

/** Let pending promise callbacks (fake host answers, store updates) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}
