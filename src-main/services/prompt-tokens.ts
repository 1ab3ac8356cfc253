import { join } from 'node:path';
import { resolveModelDir } from '../engine/jobs/model-ref';
import { ClipTokenizer } from '../engine/tokenizer/clip-tokenizer';
import type { ProjectsService } from './projects';
import { modelRefOf } from './transition-specs';

export interface PromptTokenCount {
  /** Tokens of text (without the start and end markers). */
  tokens: number;
  /** Tokens of text the model reads (77 minus the two markers). */
  limit: number;
  /** Character offset of the first word CLIP drops, or null when everything fits. */
  cutAt: number | null;
  droppedWords: string[];
}

/**
 * Exact CLIP token counts for the prompt fields, with the open project's own tokenizer (a real
 * SD folder's vocabulary differs from the demo's). Tokenizers are loaded once per model folder.
 */
export class PromptTokensService {
  private readonly tokenizers = new Map<string, Promise<ClipTokenizer>>();

  constructor(private readonly projects: ProjectsService) {}

  private async tokenizer(): Promise<ClipTokenizer> {
    const state = this.projects.state();
    const dir = await resolveModelDir(state ? modelRefOf(state.project, false) : { kind: 'demo' });
    let pending = this.tokenizers.get(dir);
    if (!pending) {
      pending = ClipTokenizer.fromFolder(join(dir, 'tokenizer'));
      pending.catch(() => this.tokenizers.delete(dir));
      this.tokenizers.set(dir, pending);
    }
    return pending;
  }

  async count(text: string): Promise<PromptTokenCount> {
    const tokenizer = await this.tokenizer();
    const encoded = tokenizer.encode(text);
    const tokens = tokenizer.tokenize(text).length - 2;
    return { tokens, limit: tokenizer.maxLength - 2, cutAt: cutOffset(text, encoded.droppedWords.length), droppedWords: encoded.droppedWords };
  }
}

/** Offset of the first of the last `dropped` whitespace-separated words (as the tokenizer reports them). */
export function cutOffset(text: string, dropped: number): number | null {
  if (dropped === 0) return null;
  const starts = [...text.matchAll(/\S+/g)].map((m) => m.index);
  return starts[starts.length - dropped] ?? null;
}
