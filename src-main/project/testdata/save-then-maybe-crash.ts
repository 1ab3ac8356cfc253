/**
 * Child process for the crash-safety test: saves a project over argv[2] and, when argv[3] is
 * "crash", kills itself with SIGKILL after the temp file is written and synced but before the
 * rename, the worst moment for a non-atomic writer.
 */
import { createProject } from '../create';
import { saveProjectAtomic } from '../store';

const [target, mode] = process.argv.slice(2);
const project = createProject(['the new version of the project', 'written by the child process'], 'New');
await saveProjectAtomic(target, project, {
  beforeRename: () => {
    if (mode === 'crash') process.kill(process.pid, 'SIGKILL');
  },
});
