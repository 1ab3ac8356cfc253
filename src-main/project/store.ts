import { readFile } from 'node:fs/promises';
import { writeFileAtomic, type AtomicWriteOptions } from './atomicWrite';
import { ProjectError } from './errors';
import { parseProject, parseProjectText } from './parse';
import type { Project } from './schema';

/**
 * The bytes a project is saved as: validated and normalised through the schema (so fields
 * come out in the schema's order whatever order they were built in), 2-space JSON, final
 * newline. Equal projects serialise to equal bytes, which keeps diffs and autosave checks honest.
 */
export function serializeProject(project: Project): string {
  return `${JSON.stringify(parseProject(project), null, 2)}\n`;
}

/**
 * Save atomically: an invalid project is refused (ProjectError) before anything is written,
 * and a crash at any moment leaves either the previous file or the new one at `file`.
 */
export async function saveProjectAtomic(file: string, project: Project, options?: AtomicWriteOptions): Promise<void> {
  let text: string;
  try {
    text = serializeProject(project);
  } catch (err) {
    if (err instanceof ProjectError) throw new ProjectError(err.issues, file);
    throw err;
  }
  await writeFileAtomic(file, text, options);
}

/** Read and validate a project file. Opening never writes: a migrated file is rewritten on the next save. */
export async function loadProject(file: string): Promise<Project> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'file not found; check the path'
        : code === 'EISDIR'
          ? 'is a folder, not a project file; choose the *.lbs.json file inside it'
          : code === 'EACCES' || code === 'EPERM'
            ? 'cannot be read (permission denied)'
            : `cannot be read (${(err as Error).message})`;
    throw new ProjectError([{ path: '', message }], file);
  }
  return parseProjectText(text, file);
}
