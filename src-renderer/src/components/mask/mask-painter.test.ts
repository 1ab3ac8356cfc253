import { afterEach, describe, expect, it } from 'vitest';
import { mountWithStudio, settle } from '../../testing/mount-studio';
import MaskPainter from './mask-painter.vue';

afterEach(() => {
  document.body.innerHTML = '';
});

function press(text: string): void {
  const found = [...document.body.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === text);
  if (!found) throw new Error(`no button "${text}"`);
  found.click();
}

function escape(): void {
  document.body.querySelector('[role="dialog"]')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
}

async function openPainter() {
  const studio = await mountWithStudio(MaskPainter);
  studio.app.dialog = 'mask';
  await settle();
  return studio;
}

describe('MaskPainter closing', () => {
  it('closes at once when nothing was painted', async () => {
    const { app } = await openPainter();
    press('Cancel');
    expect(app.dialog).toBeNull();
  });

  it('asks before discarding painted changes; Escape or Keep painting go back to the canvas', async () => {
    const { app, project } = await openPainter();
    press('Fill');
    await settle();
    escape();
    await settle();
    expect(app.dialog).toBe('mask');
    expect(document.body.querySelector('[role="alert"]')?.textContent).toContain('Close without saving?');
    escape(); // Escape again answers "keep painting", never "discard"
    await settle();
    expect(document.body.querySelector('[role="alert"]')).toBeNull();
    expect(app.dialog).toBe('mask');
    press('Cancel');
    await settle();
    press('Keep painting');
    await settle();
    expect(app.dialog).toBe('mask');
    press('Cancel');
    await settle();
    press('Discard changes');
    expect(app.dialog).toBeNull();
    expect(project.doc!.keyframes[0].mask).toBeUndefined();
  });
});
