import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FrameKind } from '../../engine/blend/fill-frames';
import { encodePng } from '../../media/png';
import { projectPacing } from '../../project/pacing';
import type { Project } from '../../project/schema';
import { movieFrames, planMovie, renderedTransitions, type FinalImages } from '../movie-frames';

/** One movie frame as frames.json lists it. */
export interface FrameEntry {
  file: string;
  time: number;
  transition: number;
  position: number;
  kind: FrameKind;
}

/** Write DIR/00000.png … and DIR/frames.json for the whole movie at the project's fps. */
export async function writeMovieFrames(project: Project, finals: readonly FinalImages[], dir: string, signal?: AbortSignal): Promise<number> {
  await mkdir(dir, { recursive: true });
  const entries: FrameEntry[] = [];
  const plan = await planMovie(renderedTransitions(project, finals), project.fps, projectPacing(project));
  for await (const { image, transition, position, kind } of movieFrames(plan, signal)) {
    const n = entries.length;
    const entry: FrameEntry = { file: `${String(n).padStart(5, '0')}.png`, time: n / project.fps, transition, position, kind };
    await writeFile(join(dir, entry.file), encodePng(image));
    entries.push(entry);
  }
  // Frames from an earlier, longer render would otherwise look like part of this one.
  for (let n = entries.length; existsSync(join(dir, `${String(n).padStart(5, '0')}.png`)); n++) await rm(join(dir, `${String(n).padStart(5, '0')}.png`));
  await writeFile(join(dir, 'frames.json'), `${JSON.stringify({ fps: project.fps, width: project.width, height: project.height, frames: entries }, null, 2)}\n`);
  return entries.length;
}
