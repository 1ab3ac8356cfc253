import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../contract/contract';
import { createStudio } from './studio';
import { RenderJobDouble } from './testing/render-engine-double';
import { until, withTempDir } from './testing/temp';

function setUp(dir: string) {
  const studio = createStudio({ engine: new RenderJobDouble(null, 4), host: 'web', mediaBase: '/media', version: 't', configDir: path.join(dir, 'config') });
  const seen: { event: EventName; payload: unknown }[] = [];
  studio.events.subscribe((event, payload) => seen.push({ event, payload }));
  const of = <E extends EventName>(event: E, jobId: string) =>
    seen.filter((s) => s.event === event && (s.payload as { jobId?: string }).jobId === jobId).map((s) => s.payload as EventPayload<E>);
  return { studio, of };
}

describe('ExportsService (real ffmpeg)', () => {
  it('refuses to export before the movie is rendered, naming the missing transitions', async () => {
    await withTempDir(async (dir) => {
      const { studio } = setUp(dir);
      await studio.projects.create(['a', 'b', 'c']);
      expect(() => studio.exports.start({ path: path.join(dir, 'm.mp4') })).toThrow(/Transitions 1, 2 are not rendered/);
    });
  });

  it('exports the rendered movie as mp4 with progress; the frame count follows durations × fps', async () => {
    await withTempDir(async (dir) => {
      const { studio, of } = setUp(dir);
      const state = await studio.projects.create(['a', 'b', 'c']);
      const p = state.project;
      studio.projects.update({ ...p, width: 256, height: 256, fps: 10, transitions: [{ ...p.transitions[0], duration: 3 }, { ...p.transitions[1], duration: 4 }] });
      const render = studio.renders.start({ kind: 'movie' });
      await until(() => of('job.done', render.jobId).length > 0, 'the render');

      const output = path.join(dir, 'movie.mp4');
      const { jobId } = studio.exports.start({ path: output });
      // The same export again (a double click) joins the running one; another one waits its turn.
      expect(studio.exports.start({ path: output })).toEqual({ jobId, joined: true });
      expect(() => studio.exports.start({ path: path.join(dir, 'other.mp4') })).toThrow(/already running/);
      await until(() => of('job.done', jobId).length + of('job.error', jobId).length > 0, 'the export');
      expect(of('job.error', jobId)).toEqual([]);
      const result = of('job.done', jobId)[0].result;
      // 3 s and 4 s at 10 fps: round(7 · 10) = 70 frames, the middle keyframe on frame 30 (docs: Timing).
      expect(result).toMatchObject({ kind: 'export', path: output, format: 'mp4', frames: 70 });
      const progress = of('job.progress', jobId);
      expect(progress.at(-1)).toMatchObject({ kind: 'export', done: 70, total: 70 });
      const probe = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames,width,height', '-of', 'json', output], { encoding: 'utf8' });
      expect(JSON.parse(probe).streams[0]).toMatchObject({ width: 256, height: 256, nb_read_frames: '70' });
      expect(studio.media.resolve((result as { url: string }).url.slice('/media'.length)).ok).toBe(true);
    });
  });

  it('a GIF export takes the project export.gif, with the request fields overriding it one by one', async () => {
    await withTempDir(async (dir) => {
      const { studio, of } = setUp(dir);
      const state = await studio.projects.create(['a', 'b']);
      const p = state.project;
      studio.projects.update({ ...p, width: 256, height: 256, fps: 10, export: { ...p.export, gif: { ...p.export.gif, scale: 0.25, plays: 4 } } });
      const render = studio.renders.start({ kind: 'movie' });
      await until(() => of('job.done', render.jobId).length > 0, 'the render');
      const output = path.join(dir, 'movie.gif');
      const { jobId } = studio.exports.start({ path: output, gif: { plays: 2 } });
      await until(() => of('job.done', jobId).length + of('job.error', jobId).length > 0, 'the export');
      expect(of('job.error', jobId)).toEqual([]);
      const probe = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'json', output], { encoding: 'utf8' });
      // scale 0.25 from the project, plays 2 (one repeat in the NETSCAPE2.0 block) from the request.
      expect(JSON.parse(probe).streams[0]).toMatchObject({ width: 64, height: 64 });
      const bytes = readFileSync(output);
      expect(bytes.readUInt16LE(bytes.indexOf(Buffer.from('NETSCAPE2.0', 'latin1')) + 13)).toBe(1);
    });
  });

  it('refuses an export into a system folder at once with SYSTEM_FOLDER, before any job starts', async () => {
    await withTempDir(async (dir) => {
      const { studio, of } = setUp(dir);
      const state = await studio.projects.create(['a', 'b']);
      studio.projects.update({ ...state.project, width: 256, height: 256, fps: 10, transitions: [{ ...state.project.transitions[0], duration: 3 }] });
      const render = studio.renders.start({ kind: 'movie' });
      await until(() => of('job.done', render.jobId).length > 0, 'the render');
      for (const target of ['/etc/movie.mp4', '/var/lib/movie.webm', '/usr/frames']) {
        const format = target.endsWith('frames') ? 'png' : undefined;
        expect(() => studio.exports.start({ path: target, format, overwrite: target }), target).toThrow(expect.objectContaining({ code: 'SYSTEM_FOLDER' }));
      }
      expect(studio.jobs.list().filter((j) => j.kind === 'export')).toEqual([]);
    });
  });

  it('cancels an export and leaves no file behind', async () => {
    await withTempDir(async (dir) => {
      const { studio, of } = setUp(dir);
      const state = await studio.projects.create(['a', 'b']);
      studio.projects.update({ ...state.project, width: 256, height: 256, fps: 60, transitions: [{ ...state.project.transitions[0], duration: 60 }] });
      const render = studio.renders.start({ kind: 'movie' });
      await until(() => of('job.done', render.jobId).length > 0, 'the render');
      const output = path.join(dir, 'long.webm');
      const { jobId } = studio.exports.start({ path: output });
      await until(() => of('job.progress', jobId).some((p) => p.done > 0), 'encoding to start');
      expect(studio.exports.cancel(jobId)).toBe(true);
      await until(() => of('job.error', jobId).length + of('job.done', jobId).length > 0, 'the cancel');
      expect(of('job.error', jobId)[0]?.error.code).toBe('CANCELLED');
      expect(() => execFileSync('ls', [output])).toThrow();
    });
  });
});
