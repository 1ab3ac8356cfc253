import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../contract/contract';
import { toErrorData } from './errors';
import { HUGE_RENDER_LIMIT, formatDuration, hugeRenderSummary } from './huge-render';
import { createStudio } from './studio';
import { RenderJobDouble } from './testing/render-engine-double';
import { until, withTempDir } from './testing/temp';
import { estimateRender } from './transition-specs';

describe('hugeRenderSummary', () => {
  it('words the estimate past the limit in time and UNet steps, and says nothing below it', () => {
    expect(hugeRenderSummary({ unetEvaluations: 12000, etaSeconds: 7800 })).toBe('about 2 h 10 min: 12 000 UNet steps');
    expect(hugeRenderSummary({ unetEvaluations: 500_000, etaSeconds: HUGE_RENDER_LIMIT.seconds })).toBeNull();
    // Before any speed is measured, the step count decides.
    expect(hugeRenderSummary({ unetEvaluations: HUGE_RENDER_LIMIT.unetEvaluations, etaSeconds: null })).toBeNull();
    expect(hugeRenderSummary({ unetEvaluations: HUGE_RENDER_LIMIT.unetEvaluations + 1, etaSeconds: null })).toMatch(/^20 001 UNet steps/);
    expect(formatDuration(45 * 60)).toBe('about 45 min');
    expect(formatDuration(3600)).toBe('about 1 h');
    expect(formatDuration(40)).toBe('about 40 s');
  });
});

function setUp(dir: string) {
  const studio = createStudio({ engine: new RenderJobDouble(null, 5), host: 'web', mediaBase: '/media', version: 't', configDir: path.join(dir, 'config') });
  const seen: { event: EventName; payload: unknown }[] = [];
  studio.events.subscribe((event, payload) => seen.push({ event, payload }));
  const of = <E extends EventName>(event: E, jobId: string) =>
    seen.filter((s) => s.event === event && (s.payload as { jobId?: string }).jobId === jobId).map((s) => s.payload as EventPayload<E>);
  return { studio, of };
}

describe('RendersService: a huge render starts only when confirmed', () => {
  it('refuses a movie whose plan passes the limit with RENDER_NEEDS_CONFIRMATION naming the estimate, and starts it with confirmHuge', async () => {
    await withTempDir(async (dir) => {
      const { studio } = setUp(dir);
      const state = await studio.projects.create(['a', 'b', 'c', 'd', 'e']);
      const p = state.project;
      studio.projects.update({ ...p, width: 256, height: 256, steps: 250, transitions: p.transitions.map((t) => ({ ...t, duration: 120, mode: { kind: 'fixed', preset: 'ultra' } as const })) });
      const project = studio.projects.require().project;
      const estimate = estimateRender(project, [0, 1, 2, 3], null);
      expect(estimate.unetEvaluations).toBeGreaterThan(HUGE_RENDER_LIMIT.unetEvaluations);
      expect(estimateRender(project, [1], null).unetEvaluations).toBeGreaterThan(HUGE_RENDER_LIMIT.unetEvaluations);

      const refused = (() => {
        try {
          studio.renders.start({ kind: 'movie' });
        } catch (error) {
          return toErrorData(error);
        }
        return null;
      })();
      expect(refused).toMatchObject({ code: 'RENDER_NEEDS_CONFIRMATION' });
      expect(refused!.message).toContain(hugeRenderSummary(estimate)!);
      // One transition of it is huge too; a keyframe is never asked about.
      expect(() => studio.renders.start({ kind: 'transition', index: 1 })).toThrow(expect.objectContaining({ code: 'RENDER_NEEDS_CONFIRMATION' }));
      expect(studio.jobs.list()).toEqual([]);
      studio.renders.start({ kind: 'keyframe', index: 0 });

      const { jobId } = studio.renders.start({ kind: 'movie' }, { confirmHuge: true });
      expect(studio.jobs.list().map((j) => j.jobId)).toContain(jobId);
      await studio.renders.idle();
    });
  });

  it('judges by the speed a finished render measured on this model and size: fast enough means no question', async () => {
    await withTempDir(async (dir) => {
      const { studio, of } = setUp(dir);
      const state = await studio.projects.create(['a', 'b', 'c', 'd', 'e']);
      const p = state.project;
      studio.projects.update({ ...p, width: 256, height: 256 });
      const first = studio.renders.start({ kind: 'movie' });
      await until(() => of('job.done', first.jobId).length > 0, 'the first render');
      // The same model and size, now past the step limit: the double renders in milliseconds per step.
      studio.projects.update({ ...studio.projects.require().project, steps: 250, transitions: p.transitions.map((t) => ({ ...t, duration: 120, mode: { kind: 'fixed', preset: 'ultra' } as const })) });
      expect(estimateRender(studio.projects.require().project, [0, 1, 2, 3], null).unetEvaluations).toBeGreaterThan(HUGE_RENDER_LIMIT.unetEvaluations);
      expect(() => studio.renders.start({ kind: 'movie' })).not.toThrow();
      await studio.renders.idle();
      // Another size has no measured speed yet: the step count decides again.
      studio.projects.update({ ...studio.projects.require().project, width: 512, height: 512 });
      expect(() => studio.renders.start({ kind: 'movie' })).toThrow(expect.objectContaining({ code: 'RENDER_NEEDS_CONFIRMATION' }));
    });
  });
});
