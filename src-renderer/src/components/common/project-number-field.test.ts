import { afterEach, describe, expect, it } from 'vitest';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import ProjectNumberField from './project-number-field.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

const duration = { path: ['transitions', 0, 'duration'], label: 'Duration', min: 0.1, max: 3600, step: 0.1, unit: 's' };

describe('ProjectNumberField', () => {
  it('edits its number in the project, and one undo puts back the value from before the field was entered', async () => {
    const { wrapper, project } = await mountWithStudio(ProjectNumberField, undefined, { props: duration });
    const before = project.doc!.transitions[0].duration;
    const input = wrapper.get('input[type="number"]');
    await input.setValue('4');
    await input.setValue('4.5');
    await input.trigger('blur');
    expect(project.doc!.transitions[0].duration).toBe(4.5);
    expect(project.undoLabel).toBe('Edit duration');
    project.undo();
    expect(project.doc!.transitions[0].duration).toBe(before);
    await wrapper.vm.$nextTick();
    expect((input.element as HTMLInputElement).value).toBe(String(before));
  });

  it("shows the host's complaint about its own number and no other", async () => {
    // A field looser than the project schema: 0 passes the field, and the host rejects it.
    const { wrapper, project } = await mountWithStudio(ProjectNumberField, undefined, { props: { ...duration, min: 0 } });
    project.setField(['transitions', 0, 'duration'], 0);
    await settle();
    expect(project.fieldError?.path).toEqual(['transitions', 0, 'duration']);
    expect(wrapper.get('[role="alert"]').text()).toBe(project.fieldError!.message);
    await wrapper.setProps({ path: ['transitions', 1, 'duration'] });
    expect(wrapper.find('[role="alert"]').exists()).toBe(false);
  });

  it('shows the default the host uses while the project leaves the number out', async () => {
    const { wrapper } = await mountWithStudio(ProjectNumberField, undefined, {
      props: { path: ['transitions', 0, 'mode', 'budgetSeconds'], label: 'Time budget', fallback: 20, min: 1, max: 86400 },
    });
    expect((wrapper.get('input[type="number"]').element as HTMLInputElement).value).toBe('20');
  });
});
