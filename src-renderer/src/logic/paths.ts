import { EXPORT_FORMATS } from './limits';

/**
 * Default export target: next to the project file, named after it (`film.lbs.json` →
 * `film.mp4`; a PNG sequence gets a `film-frames` folder). Empty for an untitled project:
 * the browser cannot know a folder, so the user types one.
 */
export function exportPathFor(projectPath: string | null, projectName: string, format: (typeof EXPORT_FORMATS)[number]['value']): string {
  if (!projectPath) return '';
  const cut = Math.max(projectPath.lastIndexOf('/'), projectPath.lastIndexOf('\\'));
  const dir = projectPath.slice(0, cut + 1);
  const base = projectPath.slice(cut + 1).replace(/\.lbs\.json$/i, '').replace(/\.json$/i, '') || safeName(projectName);
  const ext = EXPORT_FORMATS.find((f) => f.value === format)!.extension;
  return format === 'png' ? `${dir}${base}-frames` : `${dir}${base}${ext}`;
}

/** A file name from a project name: no separators or characters Windows refuses. */
export function safeName(name: string): string {
  return name.replace(/[\\/:*?"<>|]+/g, '-').trim() || 'untitled';
}

/** `~/films/clip` → `~/films/clip.lbs.json`: project files always get their extension. */
export function withProjectExtension(path: string): string {
  const p = path.trim();
  return /\.lbs\.json$/i.test(p) ? p : `${p.replace(/\.json$/i, '')}.lbs.json`;
}
