import { afterEach, describe, expect, it } from 'vitest';
import { effectScope, ref } from 'vue';
import type { TimelineItem } from '../logic/timeline-nav';
import type { Selection } from '../stores/types';
import { useTimelineTabStop } from './use-timeline-tab-stop';

afterEach(() => {
  document.body.innerHTML = '';
});

function key(target: HTMLElement, k: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key: k, cancelable: true, bubbles: true, ...init });
  Object.defineProperty(event, 'target', { value: target });
  Object.defineProperty(event, 'currentTarget', { value: target });
  return event;
}

function setup(selection: Selection = { kind: 'keyframe', index: 1 }) {
  const track = document.body.appendChild(document.createElement('ol'));
  const cards = [0, 1, 2].map((i) => {
    const li = track.appendChild(document.createElement('li'));
    li.setAttribute('data-nav', `keyframe-${i}`);
    li.tabIndex = -1;
    return li;
  });
  const calls: string[] = [];
  const sel = ref<Selection>(selection);
  const scope = effectScope();
  const tabStop = scope.run(() =>
    useTimelineTabStop({
      track: ref(track),
      selection: sel,
      keyframeCount: ref(3),
      keyframes: ref([]),
      select: (item: TimelineItem) => {
        calls.push(`select ${item.kind} ${item.index}`);
        sel.value = item;
      },
      move: (from, to) => calls.push(`move ${from} ${to}`),
      remove: (i) => calls.push(`remove ${i}`),
    }),
  )!;
  return { tabStop, cards, calls, scope };
}

describe('useTimelineTabStop', () => {
  it('puts the one Tab stop on the selection, and on the first keyframe for the project', () => {
    const { tabStop } = setup();
    expect(tabStop.isTabStop('keyframe', 1)).toBe(true);
    expect(tabStop.isTabStop('keyframe', 0)).toBe(false);
    expect(setup({ kind: 'project' }).tabStop.isTabStop('keyframe', 0)).toBe(true);
  });

  it('maps arrows to selection, Alt+arrows to a move inside the movie, Delete to a removal', () => {
    const { tabStop, cards, calls } = setup();
    const right = key(cards[1], 'ArrowRight');
    tabStop.onItemKey(right, { kind: 'keyframe', index: 1 });
    expect(right.defaultPrevented).toBe(true);
    tabStop.onItemKey(key(cards[1], 'ArrowLeft', { altKey: true }), { kind: 'keyframe', index: 1 });
    tabStop.onItemKey(key(cards[0], 'ArrowLeft', { altKey: true }), { kind: 'keyframe', index: 0 });
    tabStop.onItemKey(key(cards[2], 'Delete'), { kind: 'keyframe', index: 2 });
    expect(calls).toEqual(['select transition 1', 'move 1 0', 'remove 2']);
  });

  it('leaves keys it does not handle, and Delete on a button inside the card, to others', () => {
    const { tabStop, cards, calls } = setup();
    const button = cards[1].appendChild(document.createElement('button'));
    const onButton = new KeyboardEvent('keydown', { key: 'Delete', cancelable: true });
    Object.defineProperty(onButton, 'target', { value: button });
    Object.defineProperty(onButton, 'currentTarget', { value: cards[1] });
    tabStop.onItemKey(onButton, { kind: 'keyframe', index: 1 });
    const letter = key(cards[1], 'a');
    tabStop.onItemKey(letter, { kind: 'keyframe', index: 1 });
    expect(calls).toEqual([]);
    expect(onButton.defaultPrevented).toBe(false);
    expect(letter.defaultPrevented).toBe(false);
  });

  it('keeps the keyboard on the selection after an edit made from inside the timeline', async () => {
    const { tabStop, cards } = setup();
    cards[1].focus();
    await tabStop.keepingFocus(() => undefined);
    expect(document.activeElement).toBe(cards[1]);
    cards[2].focus();
    await tabStop.keepingFocus(() => undefined);
    expect(document.activeElement).toBe(cards[1]);
  });
});
