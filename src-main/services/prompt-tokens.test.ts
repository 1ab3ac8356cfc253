import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MediaRoots } from './media/media-roots';
import { ProjectsService } from './projects';
import { PromptTokensService, cutOffset } from './prompt-tokens';
import { SettingsStore } from './settings';
import { withTempDir } from './testing/temp';

describe('exact prompt token counts', () => {
  it('finds where the cut starts in the text as typed', () => {
    expect(cutOffset('a b  c', 0)).toBeNull();
    expect(cutOffset('a b  c', 1)).toBe(5);
    expect(cutOffset('  one two three', 2)).toBe(6);
  });

  it('counts with the project model tokenizer and reports the words past the limit', async () => {
    await withTempDir(async (dir) => {
      const projects = new ProjectsService({ settings: new SettingsStore(path.join(dir, 'config')), media: new MediaRoots('/media'), autosaveIdleMs: 1000 });
      await projects.create(['x', 'y']);
      const tokens = new PromptTokensService(projects);
      const short = await tokens.count('a red sunset over the ocean');
      expect(short).toEqual({ tokens: 6, limit: 75, cutAt: null, droppedWords: [] });
      // 80 one-token words: the last 5 fall past the 75-token limit.
      const words = Array.from({ length: 80 }, (_, i) => (i < 75 ? 'red' : `blue`));
      const text = words.join(' ');
      const long = await tokens.count(text);
      expect(long.tokens).toBe(80);
      expect(long.droppedWords).toEqual(['blue', 'blue', 'blue', 'blue', 'blue']);
      expect(text.slice(long.cutAt!)).toBe('blue blue blue blue blue');
      await projects.dispose();
    });
  });
});
