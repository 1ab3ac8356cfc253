import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress-bar';
import { transitionsLine } from './farm-render-session';

describe('the farm progress line', () => {
  it('shows each transition: cached or done, keyframes, percent rendered, waiting', () => {
    const line = transitionsLine({
      phase: 'rendering', done: 60, total: 120, etaMs: 3000,
      transitions: [
        { index: 0, state: 'cached', done: 40, total: 40 },
        { index: 1, state: 'rendering', done: 10, total: 40, worker: 'gpu1' },
        { index: 2, state: 'keyframes', done: 0, total: 40, worker: 'gpu0' },
        { index: 3, state: 'waiting', done: 0, total: 40 },
        { index: 4, state: 'done', done: 40, total: 40, worker: 'gpu0' },
      ],
    });
    expect(line).toBe('T1 ✓ T2 25% T3 kf T4 … T5 ✓');
  });

  it('follows the bar on a terminal', () => {
    const written: string[] = [];
    const stream = { isTTY: true, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    new ProgressBar(stream).update({ phase: 'rendering', done: 1, total: 2, etaMs: 1000 }, 'T1 50%');
    expect(written[0]).toMatch(/1\/2 ETA 1s {2}T1 50%/);
  });
});
