import { afterEach, describe, expect, it } from 'vitest';
import { layoutMovie } from '../../logic/player-timing';
import { timelineGeometry } from '../../logic/timeline-layout';
import { rulerLabel, rulerTicks, timeAnchors, xOfFrame } from '../../logic/timeline-time';
import { usePlayerStore } from '../../stores/player';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import TimelinePanel from './timeline-panel.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('time ruler (issue 12)', () => {
  it('labels ticks from 0:00 to the end, as close as they fit and never closer', () => {
    const layout = layoutMovie([3, 3], 24);
    const g = timelineGeometry([3, 3], 48);
    const anchors = timeAnchors(g, layout);
    const ticks = rulerTicks(anchors, 24, layout.totalFrames, 56);
    expect(ticks[0]).toMatchObject({ seconds: 0, label: '0:00' });
    expect(ticks.at(-1)!.seconds).toBe(6);
    ticks.slice(1).forEach((t, i) => expect(t.x - ticks[i].x).toBeGreaterThanOrEqual(56));
    // A tick sits where the playhead is at that time: 3 s is keyframe 2's frame, on its card centre.
    expect(ticks.find((t) => t.seconds === 3)!.x).toBe(g.cards[1] + g.card / 2);
    expect(xOfFrame(anchors, 72)).toBe(g.cards[1] + g.card / 2);
    // Zoomed in, steps get finer.
    const fine = rulerTicks(timeAnchors(timelineGeometry([3, 3], 160), layout), 24, layout.totalFrames, 56);
    expect(fine[1].seconds).toBeLessThan(ticks[1].seconds);
    expect(rulerLabel(62.5, 0.5)).toBe('1:02.5');
    expect(rulerLabel(125, 5)).toBe('2:05');
  });

  it('seeks the player to the time under a click', async () => {
    const { wrapper } = await mountWithStudio(TimelinePanel, ['one', 'two', 'three']);
    const player = usePlayerStore();
    const ruler = wrapper.get('[data-testid="time-ruler"]');
    const tick = wrapper.findAll('.tick').find((t) => t.text() === '0:03')!;
    const x = Number(/translateX\(([\d.]+)px\)/.exec(tick.attributes('style') ?? '')![1]);
    const el = ruler.element as HTMLElement;
    const left = el.getBoundingClientRect().left;
    el.dispatchEvent(new PointerEvent('pointerdown', { clientX: left + x, button: 0, bubbles: true }));
    await settle();
    expect(player.frame).toBe(3 * player.fps);
    expect(player.time).toBe('0:03.00');
  });
});
