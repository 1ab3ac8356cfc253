/**
 * `npm run bench`: prints engine, blending and export figures measured in one run on this
 * machine. Numbers only, no assertions: performance is judged by people reading ratios.
 */
import { blendBench } from './blend-bench';
import { runExportBench, runGifBench } from './export-bench';
import { fastBench } from './fast-bench';
import { hotPathBench } from './hot-path-bench';
import { keyframeBench } from './keyframe-bench';
import { scaleBench } from './scale-bench';

export async function main(_argv: string[] = []): Promise<number> {
  const sections: [string, () => Promise<Record<string, number | string>>][] = [
    ['keyframe (demo model, 512×512, 25 steps)', keyframeBench],
    ['blending (demo model, 512×512)', blendBench],
    ['export (mp4, 512×512)', () => runExportBench()],
    ['export (gif, 512×512, 120 frames: one-pass graph vs ffmpeg two-pass palette)', () => runGifBench()],
    [`model at scale (UNet with ${process.env.LBS_BENCH_UNET_GB ?? 1} GB of external weights, CPU)`, scaleBench],
    ['few-step fast mode vs medium preset (one 3 s transition at 24 fps, demo model, 512×512)', fastBench],
    ['hot path (demo model, 512×512, medium, cold cache)', hotPathBench],
  ];
  let failed = false;
  for (const [title, run] of sections) {
    process.stdout.write(`\n## ${title}\n`);
    let figures: Record<string, number | string>;
    try {
      figures = await run();
    } catch (err) {
      // One section's missing tool (no ffmpeg on a render box) must not hide the other figures.
      const e = err as { code?: string; message?: string };
      process.stdout.write(`section not measured: ${e.code ?? 'ERROR'}: ${String(e.message ?? err).split('\n')[0]}\n`);
      failed = true;
      continue;
    }
    for (const [name, value] of Object.entries(figures)) {
      process.stdout.write(`${name.padEnd(44)} ${typeof value === 'number' ? formatNumber(value) : value}\n`);
    }
  }
  return failed ? 1 : 0;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
