import { describe, expect, it } from 'vitest';
import { WriteBehind } from './write-behind';

/** A write that finishes when the test says so. */
function gated() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const state = { started: false, done: false };
  const gate = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  const write = async () => {
    state.started = true;
    await gate;
    state.done = true;
  };
  return { write, open, fail, state };
}

/** One turn of the event loop: every promise that can settle now has settled. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('WriteBehind', () => {
  it('with limit 0 finishes each write before add returns', async () => {
    const q = new WriteBehind(0);
    const w = gated();
    const added = q.add(w.write);
    w.open();
    await added;
    expect(w.state.done).toBe(true);
  });

  it('returns before the write is done, runs at most `limit` at once, and flush waits for all', async () => {
    const q = new WriteBehind(2);
    const [a, b, c] = [gated(), gated(), gated()];
    await q.add(a.write);
    await q.add(b.write);
    expect(a.state.started && b.state.started && !a.state.done && !b.state.done).toBe(true);
    let thirdAdded = false;
    const third = q.add(c.write).then(() => (thirdAdded = true));
    await turn();
    expect(thirdAdded).toBe(false);
    expect(c.state.started).toBe(false);
    a.open();
    await third;
    expect(c.state.started).toBe(true);
    let flushed = false;
    const flush = q.flush().then(() => (flushed = true));
    await turn();
    expect(flushed).toBe(false);
    b.open();
    c.open();
    await flush;
    expect([a, b, c].every((w) => w.state.done)).toBe(true);
    expect(q.pending).toBe(0);
  });

  it('fails the next write and the flush with the first failed write', async () => {
    const q = new WriteBehind(4);
    const [a, b] = [gated(), gated()];
    await q.add(a.write);
    await q.add(b.write);
    a.fail(new Error('disk full'));
    await turn();
    await expect(q.add(async () => {})).rejects.toThrow('disk full');
    b.open();
    await expect(q.flush()).rejects.toThrow('disk full');
  });

  it('settle waits for every write and ignores failures (the job already failed)', async () => {
    const q = new WriteBehind(4);
    const [a, b] = [gated(), gated()];
    await q.add(a.write);
    await q.add(b.write);
    a.fail(new Error('disk full'));
    let settled = false;
    const settle = q.settle().then(() => (settled = true));
    await turn();
    expect(settled).toBe(false);
    b.open();
    await settle;
    expect(b.state.done).toBe(true);
  });
});
