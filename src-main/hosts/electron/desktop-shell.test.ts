import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { EventName, EventPayload } from '../../contract/contract';
import { handlersFor } from '../../ipc/handlers';
import { createStudio } from '../../services/studio';
import { RenderJobDouble } from '../../services/testing/render-engine-double';
import { until, withTempDir } from '../../services/testing/temp';
import { desktopShell } from './desktop-shell';

const electron = vi.hoisted(() => ({ shown: [] as string[] }));
vi.mock('electron', () => ({ shell: { showItemInFolder: (file: string) => electron.shown.push(file) } }));

function studioIn(dir: string, host: 'electron' | 'web') {
  const studio = createStudio({
    engine: new RenderJobDouble(null, 4), host, mediaBase: host === 'web' ? '/media' : 'lbs-media://media', version: 't',
    configDir: path.join(dir, 'config'), ...(host === 'electron' ? { shell: desktopShell } : {}),
  });
  const seen: { event: EventName; payload: unknown }[] = [];
  studio.events.subscribe((event, payload) => seen.push({ event, payload }));
  const of = <E extends EventName>(event: E, jobId: string) =>
    seen.filter((s) => s.event === event && (s.payload as { jobId?: string }).jobId === jobId).map((s) => s.payload as EventPayload<E>);
  return { studio, of, show: handlersFor(studio)['shell.showItemInFolder'] };
}

describe('Show in folder (Electron shell)', () => {
  it('opens the file manager on an exported file, and on nothing else', async () => {
    await withTempDir(async (dir) => {
      const { studio, of, show } = studioIn(dir, 'electron');
      const state = await studio.projects.create(['a', 'b']);
      studio.projects.update({ ...state.project, width: 256, height: 256, fps: 10, transitions: [{ ...state.project.transitions[0], duration: 3 }] });
      const output = path.join(dir, 'movie.mp4');
      // Not exported yet: refused, the shell untouched.
      expect(() => show({ path: output })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
      const render = studio.renders.start({ kind: 'movie' });
      await until(() => of('job.done', render.jobId).length > 0, 'the render');
      const { jobId } = studio.exports.start({ path: output });
      await until(() => of('job.done', jobId).length + of('job.error', jobId).length > 0, 'the export');
      expect(of('job.error', jobId)).toEqual([]);
      expect(await show({ path: output })).toEqual({ ok: true });
      expect(electron.shown).toEqual([output]);
      expect(() => show({ path: path.join(dir, 'config', 'settings.json') })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
      expect(electron.shown).toEqual([output]);
    });
  });

  it('is unsupported on the web host', async () => {
    await withTempDir(async (dir) => {
      const { show } = studioIn(dir, 'web');
      expect(() => show({ path: path.join(dir, 'movie.mp4') })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
    });
  });
});
