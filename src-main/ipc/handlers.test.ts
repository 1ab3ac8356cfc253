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
    },
    renders: { restoreFromCache: () => calls.push('renders.restoreFromCache') },
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
});
