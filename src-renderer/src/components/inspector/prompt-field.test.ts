import { afterEach, describe, expect, it } from 'vitest';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import PromptField from './prompt-field.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('PromptField token counter', () => {
  it('shows an estimate at once, then the host’s exact count and the words it cuts', async () => {
    // Long words the estimate counts as several tokens; the (fake) host counts one per word.
    const text = Array.from({ length: 78 }, (_, i) => `extraordinarilylongword${i}`).join(' ');
    const { wrapper } = await mountWithStudio(PromptField, undefined, { props: { label: 'Prompt', modelValue: text } });
    const counter = () => wrapper.find('.counter').text();
    expect(counter()).toMatch(/^≈ /);
    await new Promise((r) => setTimeout(r, 300));
    await settle();
    expect(counter()).toBe('78 / 75 tokens · 3 cut');
    expect(wrapper.find('.cut s').text()).toBe('extraordinarilylongword75 extraordinarilylongword76 extraordinarilylongword77');
  });

  it('falls back to the estimate when the text changed since the host answered', async () => {
    const { wrapper } = await mountWithStudio(PromptField, undefined, { props: { label: 'Prompt', modelValue: 'a red fox' } });
    await new Promise((r) => setTimeout(r, 300));
    await settle();
    expect(wrapper.find('.counter').text()).toBe('3 / 75 tokens');
    await wrapper.setProps({ modelValue: 'a red fox in the snow' });
    expect(wrapper.find('.counter').text()).toMatch(/^≈ /);
  });
});
