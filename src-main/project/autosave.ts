import { readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write';
import { ProjectError } from './errors';
import { parseProjectText } from './parse';
import type { Project } from './schema';
import { serializeProject } from './store';

/**
 * Autosave keeps unsaved edits in a hidden sidecar next to the project
 * (`dir/.movie.lbs.json.autosave`), written atomically like the project itself. The service
 * layer decides when (an idle timer); this module only stores and recovers.
 */

export function autosavePathFor(projectFile: string): string {
  return path.join(path.dirname(projectFile), `.${path.basename(projectFile)}.autosave`);
}

export async function writeAutosave(projectFile: string, project: Project): Promise<void> {
  await writeFileAtomic(autosavePathFor(projectFile), serializeProject(project));
}

export interface Recovery {
  /** The autosaved project, validated. */
  readonly project: Project;
  readonly autosavePath: string;
  readonly savedAt: Date;
}

async function mtimeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * The autosave worth offering when the project opens: one that is newer than the project file
 * and differs from it. Returns undefined when there is none, when it is older or identical, or
 * when it cannot be read as a project (it is then left in place, never deleted silently).
 */
export async function readRecovery(projectFile: string): Promise<Recovery | undefined> {
  const autosavePath = autosavePathFor(projectFile);
  const autosaveTime = await mtimeOf(autosavePath);
  if (autosaveTime === undefined) return undefined;
  const projectTime = await mtimeOf(projectFile);
  if (projectTime !== undefined && autosaveTime <= projectTime) return undefined;

  let project: Project;
  try {
    project = parseProjectText(await readFile(autosavePath, 'utf8'), autosavePath);
  } catch (err) {
    if (err instanceof ProjectError) return undefined;
    throw err;
  }
  if (projectTime !== undefined) {
    try {
      const saved = parseProjectText(await readFile(projectFile, 'utf8'), projectFile);
      if (serializeProject(saved) === serializeProject(project)) return undefined;
    } catch (err) {
      // A broken project file with a good autosave next to it is exactly when recovery helps.
      if (!(err instanceof ProjectError)) throw err;
    }
  }
  return { project, autosavePath, savedAt: new Date(autosaveTime) };
}

/** Remove the autosave (after a save, or when the user declines recovery). */
export async function discardAutosave(projectFile: string): Promise<void> {
  await unlink(autosavePathFor(projectFile)).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}
