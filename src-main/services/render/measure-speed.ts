import { seededStepNoise } from '../../engine/noise/step-noise';
import { needsStepNoise } from '../../engine/scheduler/schedule';
import type { StableDiffusion } from '../../engine/sd/types';
import type { Project } from '../../project/schema';

/** Measure this machine's speed on the project's model and size: one UNet step (CFG when the project guides) and one decode. */
export async function measureSpeed(sd: StableDiffusion, project: Project): Promise<{ stepSeconds: number; decodeSeconds: number }> {
  const scheduler = project.scheduler ?? sd.info.scheduler.kind;
  const schedule = sd.makeSchedule(scheduler, 10);
  const empty = (await sd.encodePrompt('')).embedding;
  const noise = sd.initialNoise(0, project.width, project.height);
  const stepNoise = needsStepNoise(scheduler) ? seededStepNoise(0, noise.dims) : undefined;
  const request = { startLatent: noise, startStep: 8, cond: empty, uncond: empty, guidance: project.guidance, stepNoise };
  await sd.runTrajectories([request], schedule); // warm-up: first runs allocate arenas
  const t0 = performance.now();
  const [t] = await sd.runTrajectories([request], schedule);
  const t1 = performance.now();
  await sd.decode(t.final);
  const t2 = performance.now();
  return { stepSeconds: (t1 - t0) / 2000, decodeSeconds: (t2 - t1) / 1000 };
}
