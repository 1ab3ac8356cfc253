import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import NumberField from './NumberField.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

function mountDuration(modelValue = 3) {
  return mount(NumberField, { props: { label: 'Duration', modelValue, min: 0.1, max: 3600, step: 0.1, unit: 's' }, attachTo: document.body });
}

describe('NumberField', () => {
  it('emits only valid numbers and says why while the text is not one', async () => {
    const wrapper = mountDuration();
    const input = wrapper.get('input[type="number"]');
    await input.setValue('-3');
    expect(wrapper.emitted('update:modelValue')).toBeUndefined();
    expect(wrapper.get('.error-text').text()).toBe('Use a value from 0.1 to 3600');
    await input.setValue('4.5');
    expect(wrapper.emitted('update:modelValue')).toEqual([[4.5]]);
    expect(wrapper.find('.error-text').exists()).toBe(false);
  });

  it('puts the value in use back when the field is left with an invalid entry, and says so', async () => {
    const wrapper = mountDuration(3);
    const input = wrapper.get('input[type="number"]');
    await input.setValue('-3');
    await input.trigger('blur');
    expect((input.element as HTMLInputElement).value).toBe('3');
    expect(wrapper.find('.error-text').exists()).toBe(false);
    expect(wrapper.get('[role="status"]').text()).toBe('Kept 3 s: use a value from 0.1 to 3600.');
    expect(wrapper.emitted('update:modelValue')).toBeUndefined();
    expect(wrapper.emitted('commit')).toHaveLength(1);
    // The next edit clears the note.
    await input.setValue('2');
    expect(wrapper.find('[role="status"]').exists()).toBe(false);
  });

  it('puts the value back when the field is left empty', async () => {
    const wrapper = mountDuration(1.5);
    const input = wrapper.get('input[type="number"]');
    await input.setValue('');
    await input.trigger('blur');
    expect((input.element as HTMLInputElement).value).toBe('1.5');
    expect(wrapper.get('[role="status"]').text()).toBe('Kept 1.5 s: enter a number from 0.1 to 3600.');
  });

  it('leaves a valid entry alone on leaving the field', async () => {
    const wrapper = mountDuration(3);
    const input = wrapper.get('input[type="number"]');
    await input.setValue('7');
    await input.trigger('blur');
    expect((input.element as HTMLInputElement).value).toBe('7');
    expect(wrapper.find('[role="status"]').exists()).toBe(false);
  });
});
