/**
 * Child process of the scale benchmark: loads one model folder and runs a few UNet steps, then
 * prints one JSON line. Alone in its process, so its peak RSS is the load's and the steps' own.
 */
import { readFileSync } from 'node:fs';
import { loadStableDiffusion } from '../src-main/engine/sd/pipeline';

/**
 * Peak RSS of this process image in bytes. Linux's VmHWM, not getrusage's ru_maxrss: that one
 * survives fork+exec, so a child would report its parent's (the folder writer's) peak.
 */
function peakRss(): number {
  const line = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return line ? Number(line[1]) * 1024 : process.resourceUsage().maxRSS * 1024;
}

const [dir, stepsText, sizeText] = process.argv.slice(2);
const steps = Number(stepsText ?? 5);
const size = Number(sizeText ?? 512);
const baseline = process.memoryUsage().rss;
const t0 = performance.now();
const sd = await loadStableDiffusion(dir, { provider: 'cpu' });
const loadMs = performance.now() - t0;
const rssAfterLoad = process.memoryUsage().rss;
const maxRssAfterLoad = peakRss();
const schedule = sd.makeSchedule('ddim', steps + 1);
const cond = await sd.encodePrompt('a lighthouse on a cliff at dusk');
const uncond = await sd.encodePrompt('');
const request = { startLatent: sd.initialNoise(0, size, size), startStep: 0, cond: cond.embedding, uncond: uncond.embedding, guidance: 7.5 };
// The first step pays for ONNX Runtime's first-run allocations; the rest are timed.
const times: number[] = [];
let last = performance.now();
await sd.runTrajectories([request], schedule, {
  onUnetCall: () => {
    const now = performance.now();
    times.push(now - last);
    last = now;
  },
});
const steady = times.slice(1);
process.stdout.write(
  `${JSON.stringify({
    loadMs,
    baselineRss: baseline,
    rssAfterLoad,
    maxRssAfterLoad,
    maxRss: peakRss(),
    firstStepMs: times[0],
    stepMs: steady.reduce((a, b) => a + b, 0) / steady.length,
  })}\n`,
);
await sd.dispose();
