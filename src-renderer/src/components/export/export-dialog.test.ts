import { afterEach, describe, expect, it } from 'vitest';
import type { RenderedFrames } from '../../../../src-main/contract/contract';
import { buttonNamed } from '../../testing/buttons';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import ExportDialog from './export-dialog.vue';

/** A button of the dialog's action row. */
const actionButton = (text: string) => buttonNamed(text, document.body, '.actions button');

afterEach(() => {
  document.body.innerHTML = '';
});

const RENDERED: RenderedFrames = {
  keyframes: [],
  transitions: [0, 1].map((index) => ({ index, complete: true, frames: [{ position: 0, url: `a${index}` }, { position: 1, url: `b${index}` }] })),
};

function field(label: string): HTMLInputElement {
  return document.body.querySelector(`input[aria-label="${label}"]`) as HTMLInputElement;
}


function exportCalls(host: { calls: Array<{ method: string; payload: unknown }> }) {
  return host.calls.filter((c) => c.method === 'exports.start').map((c) => c.payload as { path: string; audio: string | null });
}

describe('ExportDialog', () => {
  it('suggests a file in the home folder for an untitled project and resolves ~ and bare names', async () => {
    const { host, renders } = await mountWithStudio(ExportDialog);
    host.frames = RENDERED;
    await renders.refresh();
    await settle();
    expect(field('Output path').value).toBe('/home/me/Untitled.mp4');
    field('Output path').value = '~/Videos/night.mp4';
    field('Output path').dispatchEvent(new Event('input'));
    field('Audio file').value = 'track.mp3';
    field('Audio file').dispatchEvent(new Event('input'));
    await settle();
    expect(document.body.querySelector('[data-testid="resolved-path"]')?.textContent).toBe('Writes /home/me/Videos/night.mp4');
    actionButton('Export').click();
    await settle();
    expect(exportCalls(host)).toEqual([expect.objectContaining({ path: '/home/me/Videos/night.mp4', audio: '/home/me/track.mp3' })]);
  });

  it('Export while the movie renders follows that render instead of queueing a second one', async () => {
    const { host, renders } = await mountWithStudio(ExportDialog);
    await renders.start({ kind: 'movie' }, 'Movie');
    await settle();
    actionButton('Export').click();
    await settle();
    expect(host.calls.filter((c) => c.method === 'renders.start')).toHaveLength(2);
    expect(renders.jobs.filter((j) => j.scope?.kind === 'movie').map((j) => j.jobId)).toEqual(['job-1']);
    expect(document.body.textContent).toContain('Rendering the movie');
    host.frames = RENDERED;
    host.emit('job.done', { jobId: 'job-1', kind: 'render', result: { kind: 'render', scope: { kind: 'movie' }, frames: 10, fromCache: false } });
    await settle();
    expect(exportCalls(host)).toHaveLength(1);
  });

  it('renders the movie first when transitions are missing, then exports', async () => {
    const { host } = await mountWithStudio(ExportDialog);
    await settle();
    expect(document.body.querySelector('[data-testid="export-renders-first"]')?.textContent).toContain('The movie is not rendered yet');
    actionButton('Export').click();
    await settle();
    const render = host.calls.find((c) => c.method === 'renders.start');
    expect(render?.payload).toEqual({ scope: { kind: 'movie' } });
    expect(exportCalls(host)).toEqual([]);
    expect(document.body.textContent).toContain('Rendering the movie');
    expect(actionButton('Cancel').disabled).toBe(false);
    host.frames = RENDERED;
    host.emit('job.done', { jobId: 'job-1', kind: 'render', result: { kind: 'render', scope: { kind: 'movie' }, frames: 10, fromCache: false } });
    await settle();
    expect(exportCalls(host)).toHaveLength(1);
  });

  it('exports nothing when the movie render fails, and says why', async () => {
    const { host } = await mountWithStudio(ExportDialog);
    await settle();
    actionButton('Export').click();
    await settle();
    host.emit('job.error', { jobId: 'job-1', kind: 'render', error: { code: 'ENGINE', message: 'The UNet failed.', hint: 'Try the CPU provider.' } });
    await settle();
    expect(exportCalls(host)).toEqual([]);
    expect(document.body.querySelector('[role="alert"]')?.textContent).toBe('The movie could not be rendered, so nothing was exported. The UNet failed. Try the CPU provider.');
  });

  it('Cancel during the movie render cancels the render and exports nothing', async () => {
    const { host } = await mountWithStudio(ExportDialog);
    await settle();
    actionButton('Export').click();
    await settle();
    actionButton('Cancel').click();
    await settle();
    expect(host.calls.some((c) => c.method === 'renders.cancel')).toBe(true);
    expect(exportCalls(host)).toEqual([]);
    expect(document.body.textContent).toContain('Export cancelled.');
  });

  it('a file of another kind at the target is replaced only after the user confirms that exact path', async () => {
    const { host, renders } = await mountWithStudio(ExportDialog);
    host.frames = RENDERED;
    await renders.refresh();
    await settle();
    field('Output path').value = '/home/me/notes.mp4';
    field('Output path').dispatchEvent(new Event('input'));
    await settle();
    actionButton('Export').click();
    await settle();
    expect(exportCalls(host)[0]).not.toHaveProperty('overwrite');
    const first = host.calls.filter((c) => c.method === 'exports.start').length;
    const jobId = renders.jobs.find((j) => j.kind === 'export')!.jobId;
    host.emit('job.error', { jobId, kind: 'export', error: { code: 'OVERWRITE_NEEDS_CONFIRMATION', message: '/home/me/notes.mp4 already exists and is not a MP4 video; it was not replaced.', hint: 'Choose another file name.' } });
    await settle();
    const confirm = document.body.querySelector('[data-testid="confirm-overwrite"]');
    expect(confirm?.textContent).toContain('/home/me/notes.mp4');
    expect(first).toBe(1);
    confirm!.querySelector('button')!.click();
    await settle();
    expect(exportCalls(host)[1]).toMatchObject({ path: '/home/me/notes.mp4', overwrite: '/home/me/notes.mp4' });
  });
});

describe('ExportDialog: the finished file', () => {
  async function exported(hostKind: 'web' | 'electron', format: 'mp4' | 'png' = 'mp4') {
    const mounted = await mountWithStudio(ExportDialog);
    const { host, renders, app } = mounted;
    app.info = { ...app.info!, host: hostKind };
    host.frames = RENDERED;
    await renders.refresh();
    await settle();
    actionButton('Export').click();
    await settle();
    const jobId = renders.jobs.find((j) => j.kind === 'export')!.jobId;
    const path = format === 'png' ? '/home/me/Untitled-frames' : '/home/me/Night drive.mp4';
    const url = format === 'png' ? '/media/abc/00000.png' : '/media/abc/Night%20drive.mp4';
    host.emit('job.done', { jobId, kind: 'export', result: { kind: 'export', path, url, format, frames: 10, bytes: 1000, warnings: [] } });
    await settle();
    return mounted;
  }

  it('offers a Download link through the media route in the browser, saving under the file name', async () => {
    await exported('web');
    const link = document.body.querySelector<HTMLAnchorElement>('[data-testid="export-download"]');
    expect(link?.getAttribute('href')).toBe('/media/abc/Night%20drive.mp4?download=1');
    expect(link?.getAttribute('download')).toBe('Night drive.mp4');
    expect(document.body.querySelector('[data-testid="export-show-in-folder"]')).toBeNull();
  });

  it('offers no Download for a PNG folder', async () => {
    await exported('web', 'png');
    expect(document.body.querySelector('[data-testid="export-download"]')).toBeNull();
  });

  it('shows the file in its folder in the desktop app', async () => {
    const { host } = await exported('electron');
    expect(document.body.querySelector('[data-testid="export-download"]')).toBeNull();
    document.body.querySelector<HTMLButtonElement>('[data-testid="export-show-in-folder"]')!.click();
    await settle();
    expect(host.calls.filter((c) => c.method === 'shell.showItemInFolder').map((c) => c.payload)).toEqual([{ path: '/home/me/Night drive.mp4' }]);
  });
});

describe('ExportDialog: GIF options', () => {
  it('shows size, plays and palette choices only for GIF, and sends and remembers them', async () => {
    const { host, renders, project } = await mountWithStudio(ExportDialog);
    host.frames = RENDERED;
    await renders.refresh();
    await settle();
    expect(document.body.querySelector('[data-testid="gif-options"]')).toBeNull();
    const format = document.body.querySelector('select[aria-label="Format"]') as HTMLSelectElement;
    format.value = 'gif';
    format.dispatchEvent(new Event('change'));
    await settle();
    expect(document.body.querySelector('[data-testid="gif-options"]')).not.toBeNull();
    expect(document.body.querySelector('select[aria-label="Dithering"]')).not.toBeNull();
    const setNumber = (label: string, value: string) => {
      const tag = [...document.body.querySelectorAll<HTMLLabelElement>('label.field-label')].find((l) => l.textContent?.trim() === label)!;
      const input = document.getElementById(tag.htmlFor) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new Event('change'));
    };
    setNumber('GIF size', '0.5');
    setNumber('Plays', '3');
    setNumber('Colours', '128');
    const dither = document.body.querySelector('select[aria-label="Dithering"]') as HTMLSelectElement;
    dither.value = 'sierra2_4a';
    dither.dispatchEvent(new Event('change'));
    await settle();
    // The bayer strength only matters for bayer dithering.
    expect([...document.body.querySelectorAll('label')].some((l) => l.textContent?.trim() === 'Bayer strength')).toBe(false);
    actionButton('Export').click();
    await settle();
    const sent = host.calls.filter((c) => c.method === 'exports.start').map((c) => c.payload as { path: string; gif?: object });
    expect(sent).toEqual([expect.objectContaining({ path: '/home/me/Untitled.gif', gif: { scale: 0.5, plays: 3, colors: 128, dither: 'sierra2_4a', bayerScale: 3, statsMode: 'diff' } })]);
    expect(project.doc!.export.gif).toMatchObject({ scale: 0.5, plays: 3, colors: 128, dither: 'sierra2_4a' });
  });
});
