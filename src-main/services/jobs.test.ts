import { describe, expect, it } from 'vitest';
import type { EventName } from '../contract/contract';
import { JobBoard } from './jobs';

describe('JobBoard', () => {
  it('names each job\'s project and when it was queued and ended, in the list and the events', () => {
    let t = 1_000;
    const events: { event: EventName; payload: unknown }[] = [];
    const board = new JobBoard((event, payload) => events.push({ event, payload }), () => t);
    const movie = board.add('render', 'Movie (2 transitions)', { kind: 'movie' }, 'Harbour at dusk');
    expect(events[0]).toEqual({ event: 'job.queued', payload: expect.objectContaining({ project: 'Harbour at dusk', queuedAt: 1_000 }) });
    t = 5_000;
    board.running(movie.jobId);
    board.done(movie.jobId, { kind: 'render', scope: { kind: 'movie' }, frames: 10, fromCache: false });
    t = 6_000;
    const failed = board.add('export', 'Export a.mp4', undefined, 'Harbour at dusk');
    board.fail(failed.jobId, { code: 'FFMPEG_FAILED', message: 'no' });
    expect(board.list().map((j) => [j.label, j.project, j.queuedAt, j.finishedAt])).toEqual([
      ['Movie (2 transitions)', 'Harbour at dusk', 1_000, 5_000],
      ['Export a.mp4', 'Harbour at dusk', 6_000, 6_000],
    ]);
  });
});
