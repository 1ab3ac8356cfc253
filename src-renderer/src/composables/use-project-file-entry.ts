import { computed, ref } from 'vue';
import { defaultFolder, resolveUserPath } from '../logic/paths';
import { useAppStore } from '../stores/app';
import { useProjectStore } from '../stores/project';

/**
 * A project file typed by hand (the browser cannot browse the host's disk): the file it stands
 * for has ~ and bare names resolved, against the current project's folder or else home.
 * `finish` adjusts the resolved path, e.g. adds the project extension for Save As.
 */
export function useProjectFileEntry(finish: (resolved: string) => string = (resolved) => resolved) {
  const app = useAppStore();
  const project = useProjectStore();
  const path = ref('');
  const home = computed(() => app.info?.homeDir ?? '/');
  const target = computed(() => finish(resolveUserPath(path.value, defaultFolder(project.path, home.value), home.value)));
  return { path, home, target };
}
