import { afterEach, describe, expect, it } from 'vitest';
import { mountWithStudio } from '../testing/mountStudio';
import TopBar from './TopBar.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('TopBar', () => {
  it('labels the demo model and says in a few words why the provider fell back, the details one click away', async () => {
    const { wrapper, project } = await mountWithStudio(TopBar);
    expect(wrapper.text()).toContain('Demo model (procedural, not Stable Diffusion)');
    expect(wrapper.text()).toContain('Demo');
    const fallback = wrapper.get('[data-testid="fallback-reason"]');
    // The fake host's reason: "CUDA is not available: no NVIDIA driver found".
    expect(fallback.text()).toBe('CUDA is not available');
    expect(fallback.attributes('aria-label')).toBe('Why not the requested provider: CUDA is not available: no NVIDIA driver found');
    await fallback.trigger('click');
    expect(project.selection).toEqual({ kind: 'project' });
  });
});
