import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import NumberField from './NumberField.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

function mountDuration(modelValue = 3) {
  return mount(NumberField, { props: { label: 'Duration', modelValue, min: 0.1, max: 3600, step: 0.1, unit: 's' }, attachTo: document.body });
}

/** A Duration field holding `modelValue`, left after typing `text`. */
async function leaveDurationWith(text: string, modelValue = 3) {
  const wrapper = mountDuration(modelValue);
  const input = wrapper.get('input[type="number"]');
  await input.setValue(text);
  await input.trigger('blur');
  return { wrapper, input: input.element as HTMLInputElement };
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
    const { wrapper, input } = await leaveDurationWith('-3', 3);
    expect(input.value).toBe('3');
    expect(wrapper.find('.error-text').exists()).toBe(false);
    expect(wrapper.get('[role="status"]').text()).toBe('Kept 3 s: use a value from 0.1 to 3600.');
    expect(wrapper.emitted('update:modelValue')).toBeUndefined();
    expect(wrapper.emitted('commit')).toHaveLength(1);
    // The next edit clears the note.
    input.value = '2';
    input.dispatchEvent(new Event('input'));
    await wrapper.vm.$nextTick();
    expect(wrapper.find('[role="status"]').exists()).toBe(false);
  });

  it('puts the value back when the field is left empty', async () => {
    const { wrapper, input } = await leaveDurationWith('', 1.5);
    expect(input.value).toBe('1.5');
    expect(wrapper.get('[role="status"]').text()).toBe('Kept 1.5 s: enter a number from 0.1 to 3600.');
  });

  it('leaves a valid entry alone on leaving the field', async () => {
    const { wrapper, input } = await leaveDurationWith('7', 3);
    expect(input.value).toBe('7');
    expect(wrapper.find('[role="status"]').exists()).toBe(false);
  });
});
