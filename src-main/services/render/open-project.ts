import { EngineError } from '../../engine/errors';
import type { SessionOptions } from '../../engine/jobs/models';
import { resolveProjectPaths } from '../../project/create';
import { ProjectError } from '../../project/errors';
import type { Project } from '../../project/schema';
import { loadProject } from '../../project/store';

/**
 * A project as a job renders it: `document` as the file names things (what render identities
 * derive from, as the studio derives them) and `project` with its paths resolved.
 */
export interface OpenedProject {
  document: Project;
  project: Project;
}

export async function openProject(file: string): Promise<OpenedProject> {
  try {
    const document = await loadProject(file);
    return { document, project: resolveProjectPaths(document, file) };
  } catch (error) {
    if (error instanceof ProjectError) throw new EngineError('INVALID_PROJECT', error.message, { file });
    throw error;
  }
}

/**
 * The project a render job names: the one it carries (already validated at the worker seam) or
 * its file's, with paths resolved against `projectFile`.
 */
export async function openRenderProject(job: { projectFile: string; project?: Project }): Promise<OpenedProject> {
  if (!job.project) return openProject(job.projectFile);
  return { document: job.project, project: resolveProjectPaths(job.project, job.projectFile) };
}

/** The project's provider unless the caller overrides it; unset overrides change nothing. */
export function sessionFor(project: Project, session: SessionOptions = {}): SessionOptions {
  const given = Object.fromEntries(Object.entries(session).filter(([, v]) => v !== undefined)) as SessionOptions;
  return { provider: project.provider, ...given };
}
