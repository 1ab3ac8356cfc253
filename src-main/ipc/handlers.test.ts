import { describe, expect, it } from 'vitest';
import type { Studio } from '../services/studio';
import { handlersFor } from './handlers';

/** A studio that records the service calls the handlers make, in order. */
function recordingStudio() {
  const calls: string[] = [];
  const state = { path: '/films/a.lbs.json' };
  const studio = {
    projects: {
      open: async (p: string) => (calls.push(`projects.open ${p}`), state),
      recover: async (id: string) => (calls.push(`projects.recover ${id}`), state),
      saveAs: async (p: string) => (calls.push(`projects.saveAs ${p}`), state),
    },
    renders: {
      restoreFromCache: () => calls.push('renders.restoreFromCache'),
      measureSpacing: async () => void calls.push('renders.measureSpacing'),
      frames: () => (calls.push('renders.frames'), { keyframes: [], transitions: [] }),
    },
  };
  return { calls, state, handlers: handlersFor(studio as unknown as Studio) };
}

describe('handlers', () => {
  it('opening a project loads its cached renders after the project is open', async () => {
    const { calls, state, handlers } = recordingStudio();
    expect(await handlers['project.open']({ path: '/films/a.lbs.json' })).toBe(state);
    expect(calls).toEqual(['projects.open /films/a.lbs.json', 'renders.restoreFromCache']);
  });

  it('recovering a project loads its cached renders too', async () => {
    const { calls, handlers } = recordingStudio();
    await handlers['project.recover']({ id: 'r1' });
    expect(calls).toEqual(['projects.recover r1', 'renders.restoreFromCache']);
  });

  it('Save as loads the moved render cache, so the next reload shows what is rendered', async () => {
    const { calls, state, handlers } = recordingStudio();
    expect(await handlers['project.saveAs']({ path: '/films/b.lbs.json' })).toBe(state);
    expect(calls).toEqual(['projects.saveAs /films/b.lbs.json', 'renders.restoreFromCache']);
  });

  it('renders.frames measures the perceptual spacing before it answers', async () => {
    const { calls, handlers } = recordingStudio();
    await handlers['renders.frames']({});
    expect(calls).toEqual(['renders.measureSpacing', 'renders.frames']);
  });
});
