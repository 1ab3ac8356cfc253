import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import NumberField from './number-field.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

function mountDuration(modelValue = 3) {
  return mount(NumberField, { props: { label: 'Duration', modelValue, min: 0.1, max: 3600, step: 0.1, unit: 's' }, attachTo: document.body });
}

/** One keystroke: the input event a browser sends (VTU's setValue also sends change, which commits). */
async function keystroke(wrapper: ReturnType<typeof mountDuration>, text: string): Promise<void> {
  const input = wrapper.get('input[type="number"]').element as HTMLInputElement;
  input.value = text;
  input.dispatchEvent(new Event('input'));
  await wrapper.vm.$nextTick();
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
  it('emits only valid numbers, on commit, and says why while the text is not one', async () => {
    const wrapper = mountDuration();
    const input = wrapper.get('input[type="number"]');
    await keystroke(wrapper, '-3');
    expect(wrapper.emitted('update:modelValue')).toBeUndefined();
    expect(wrapper.get('.error-text').text()).toBe('Use a value from 0.1 to 3600');
    await keystroke(wrapper, '4.5');
    expect(wrapper.emitted('update:modelValue')).toBeUndefined();
    expect(wrapper.find('.error-text').exists()).toBe(false);
    await input.trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('update:modelValue')).toEqual([[4.5]]);
  });

  /** Type `text` one keystroke at a time, as a user does, then leave the field. */
  async function typeAndLeave(text: string, modelValue = 3) {
    const wrapper = mountDuration(modelValue);
    const input = wrapper.get('input[type="number"]');
    for (let i = 1; i <= text.length; i++) await keystroke(wrapper, text.slice(0, i));
    await input.trigger('blur');
    return wrapper;
  }

  it('never commits a prefix on the way: 99999 is refused, not 999 s', async () => {
    const wrapper = await typeAndLeave('99999');
    expect(wrapper.emitted('update:modelValue')).toBeUndefined();
    expect(wrapper.get('[role="status"]').text()).toBe('Kept 3 s: use a value from 0.1 to 3600.');
  });

  it('never commits a prefix on the way: 1e9 is refused, not 1 s', async () => {
    const wrapper = await typeAndLeave('1e9');
    expect(wrapper.emitted('update:modelValue')).toBeUndefined();
    expect((wrapper.get('input[type="number"]').element as HTMLInputElement).value).toBe('3');
  });

  it('commits a typed value once, when it is whole', async () => {
    const wrapper = await typeAndLeave('120');
    expect(wrapper.emitted('update:modelValue')).toEqual([[120]]);
  });

  it('shows the range when the entry is not a number at all', async () => {
    const { wrapper } = await leaveDurationWith('Infinity', 3);
    expect(wrapper.get('[role="status"]').text()).toBe('Kept 3 s: "Infinity" is not a number; use a value from 0.1 to 3600.');
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
