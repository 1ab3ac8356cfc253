// Child process for the crash test: open a project, edit it, save, and die by SIGKILL after the
// new file is written and synced but before it is renamed over the old one.
import { MediaRoots } from '../media/media-roots';
import { ProjectsService } from '../projects';
import { SettingsStore } from '../settings';

const [configDir, projectFile] = process.argv.slice(2);
const projects = new ProjectsService({
  settings: new SettingsStore(configDir),
  media: new MediaRoots('/media'),
  saveOptions: { beforeRename: () => void process.kill(process.pid, 'SIGKILL') },
});
const state = await projects.open(projectFile);
projects.update({ ...state.project, name: 'Edited before the crash' });
await projects.save();
process.stdout.write('saved without crashing\n');
