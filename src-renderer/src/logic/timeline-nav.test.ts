import { describe, expect, it } from 'vitest';
import { isNavKey, navigate, tabStop, type TimelineItem } from './timeline-nav';

const k = (index: number): TimelineItem => ({ kind: 'keyframe', index });
const t = (index: number): TimelineItem => ({ kind: 'transition', index });

describe('navigate', () => {
  it('walks keyframes and transitions in movie order with the arrows', () => {
    expect(navigate(k(0), 'ArrowRight', 3)).toEqual(t(0));
    expect(navigate(t(0), 'ArrowRight', 3)).toEqual(k(1));
    expect(navigate(k(1), 'ArrowLeft', 3)).toEqual(t(0));
    expect(navigate(t(1), 'ArrowLeft', 3)).toEqual(k(1));
  });

  it('stops at the ends instead of wrapping', () => {
    expect(navigate(k(0), 'ArrowLeft', 3)).toEqual(k(0));
    expect(navigate(k(2), 'ArrowRight', 3)).toEqual(k(2));
    expect(navigate(k(0), 'ArrowRight', 1)).toEqual(k(0));
  });

  it('goes to the first and last keyframe with Home and End', () => {
    expect(navigate(t(1), 'Home', 3)).toEqual(k(0));
    expect(navigate(k(0), 'End', 10)).toEqual(k(9));
  });

  it('refuses a timeline without keyframes', () => {
    expect(() => navigate(k(0), 'End', 0)).toThrow(/at least one keyframe, got 0/);
  });

  it('knows its keys', () => {
    expect(['ArrowLeft', 'ArrowRight', 'Home', 'End', 'ArrowUp', 'Delete'].filter(isNavKey)).toEqual(['ArrowLeft', 'ArrowRight', 'Home', 'End']);
  });
});

describe('tabStop', () => {
  it('is the selected keyframe or transition', () => {
    expect(tabStop({ kind: 'keyframe', index: 2 }, 3)).toEqual(k(2));
    expect(tabStop({ kind: 'transition', index: 1 }, 3)).toEqual(t(1));
  });

  it('is the first keyframe while the project settings are shown or the selection is gone', () => {
    expect(tabStop({ kind: 'project' }, 3)).toEqual(k(0));
    expect(tabStop({ kind: 'keyframe', index: 3 }, 3)).toEqual(k(0));
    expect(tabStop({ kind: 'transition', index: 2 }, 3)).toEqual(k(0));
  });
});
