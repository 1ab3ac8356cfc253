import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import ModalDialog from './modal-dialog.vue';

const mounted: Array<{ unmount(): void }> = [];

afterEach(() => {
  for (const w of mounted.splice(0)) w.unmount();
  document.body.innerHTML = '';
});

function mountDialog(title = 'Export') {
  const wrapper = mount(
    defineComponent({
      emits: ['close'],
      setup(_, { emit }) {
        return () => h(ModalDialog, { title, onClose: () => emit('close') }, { default: () => h('input', { 'aria-label': 'Output path' }), actions: () => h('button', { class: 'primary' }, 'Export') });
      },
    }),
    { attachTo: document.body },
  );
  mounted.push(wrapper);
  return wrapper;
}

function pressOnBody(key: string): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true });
  document.body.dispatchEvent(event);
  return event;
}

describe('ModalDialog', () => {
  it('focuses its first field when it opens', async () => {
    mountDialog();
    await nextTick();
    await nextTick();
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Output path');
  });

  it('closes on Escape even when focus fell back to the page (a pressed button got disabled)', async () => {
    const wrapper = mountDialog();
    await nextTick();
    (document.activeElement as HTMLElement).blur();
    pressOnBody('Escape');
    expect(wrapper.emitted('close')).toHaveLength(1);
  });

  it('keeps keys typed outside it from reaching the studio behind, and Tab brings focus back in', async () => {
    mountDialog();
    await nextTick();
    const studioKeys: string[] = [];
    const studio = (e: KeyboardEvent) => studioKeys.push(e.key);
    window.addEventListener('keydown', studio);
    try {
      (document.activeElement as HTMLElement).blur();
      pressOnBody(' ');
      expect(studioKeys).toEqual([]);
      pressOnBody('Tab');
      expect(document.activeElement?.getAttribute('aria-label')).toBe('Output path');
    } finally {
      window.removeEventListener('keydown', studio);
    }
  });

  it('lets only the innermost of two open dialogs answer Escape', async () => {
    const outer = mountDialog('Mask');
    const inner = mountDialog('Discard changes?');
    await nextTick();
    (document.activeElement as HTMLElement).blur();
    pressOnBody('Escape');
    expect(inner.emitted('close')).toHaveLength(1);
    expect(outer.emitted('close')).toBeUndefined();
  });
});
