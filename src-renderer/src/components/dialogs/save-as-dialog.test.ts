import { afterEach, describe, expect, it } from 'vitest';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import OpenDialog from './open-dialog.vue';
import SaveAsDialog from './save-as-dialog.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

function input(): HTMLInputElement {
  return document.body.querySelector('input[aria-label="Project file"]') as HTMLInputElement;
}

function type(text: string): void {
  input().value = text;
  input().dispatchEvent(new Event('input'));
}

function press(text: string): void {
  [...document.body.querySelectorAll<HTMLButtonElement>('.actions button')].find((b) => b.textContent?.trim() === text)!.click();
}

describe('SaveAsDialog (no native file dialog)', () => {
  it('offers a full path in the home folder that saves as it is', async () => {
    const { host, project } = await mountWithStudio(SaveAsDialog);
    await settle();
    expect(input().value).toBe('/home/me/Untitled.lbs.json');
    press('Save');
    await settle();
    expect(host.calls.find((c) => c.method === 'project.saveAs')?.payload).toEqual({ path: '/home/me/Untitled.lbs.json' });
    expect(project.path).toBe('/home/me/Untitled.lbs.json');
  });

  it('saves a bare name into the home folder with the project extension, and shows where first', async () => {
    const { host } = await mountWithStudio(SaveAsDialog);
    await settle();
    type('night drive');
    await settle();
    expect(document.body.querySelector('[data-testid="resolved-path"]')?.textContent).toBe('Saves /home/me/night drive.lbs.json');
    press('Save');
    await settle();
    expect(host.calls.find((c) => c.method === 'project.saveAs')?.payload).toEqual({ path: '/home/me/night drive.lbs.json' });
    // The untitled project took the file's name, and that is what was saved.
    expect(host.files.get('/home/me/night drive.lbs.json')?.name).toBe('night drive');
  });

  it('shows the host\'s reason when saving fails and stays open', async () => {
    const { host, app } = await mountWithStudio(SaveAsDialog);
    app.dialog = 'saveAs';
    await settle();
    host.failNext('project.saveAs', { code: 'IO', message: 'Cannot write /home/me/x.lbs.json: permission denied.' });
    press('Save');
    await settle();
    expect(document.body.querySelector('[role="alert"]')?.textContent).toContain('permission denied');
    expect(app.dialog).toBe('saveAs');
  });
});

describe('SaveAsDialog replacing a file that is not a project', () => {
  it('asks, and repeats the save with overwrite set to exactly that path only when the user confirms', async () => {
    const { host, app } = await mountWithStudio(SaveAsDialog);
    app.dialog = 'saveAs';
    await settle();
    type('/home/me/package.json');
    await settle();
    host.failNext('project.saveAs', { code: 'OVERWRITE_NEEDS_CONFIRMATION', message: '/home/me/package.lbs.json already exists and is not a Latent Blending Studio project; it was not replaced.' });
    press('Save');
    await settle();
    const saves = () => host.calls.filter((c) => c.method === 'project.saveAs').map((c) => c.payload);
    const target = (saves()[0] as { path: string }).path;
    expect(saves()).toEqual([{ path: target }]);
    expect(document.body.querySelector('[data-testid="confirm-overwrite"]')?.textContent).toContain(target);
    expect(app.dialog).toBe('saveAs');
    press('Replace');
    await settle();
    expect(saves()[1]).toEqual({ path: target, overwrite: target });
    expect(app.dialog).toBe(null);
  });

  it('forgets the confirmation when the path changes', async () => {
    const { host, app } = await mountWithStudio(SaveAsDialog);
    app.dialog = 'saveAs';
    await settle();
    type('/home/me/a.lbs.json');
    host.failNext('project.saveAs', { code: 'OVERWRITE_NEEDS_CONFIRMATION', message: 'not a project' });
    press('Save');
    await settle();
    type('/home/me/b.lbs.json');
    await settle();
    expect(document.body.querySelector('[data-testid="confirm-overwrite"]')).toBe(null);
    press('Save');
    await settle();
    expect(host.calls.filter((c) => c.method === 'project.saveAs').at(-1)?.payload).toEqual({ path: '/home/me/b.lbs.json' });
  });
});

describe('OpenDialog (no native file dialog)', () => {
  it('opens ~/ paths from the home folder', async () => {
    const { host } = await mountWithStudio(OpenDialog);
    host.files.set('/home/me/films/clip.lbs.json', host.state.project);
    await settle();
    type('~/films/clip.lbs.json');
    press('Open');
    await settle();
    expect(host.calls.find((c) => c.method === 'project.open')?.payload).toEqual({ path: '/home/me/films/clip.lbs.json' });
  });
});
