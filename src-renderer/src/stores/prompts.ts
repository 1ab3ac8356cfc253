import { defineStore } from 'pinia';
import type { Response } from '../../../src-main/contract/contract';
import { transport } from '../api/transport';

/** What the open project's text encoder makes of a prompt. */
export const usePromptStore = defineStore('prompts', () => {
  /** The exact CLIP token count of a prompt and where the model's limit cuts it. */
  async function tokenize(text: string): Promise<Response<'prompts.tokenize'>> {
    return transport().invoke('prompts.tokenize', { text });
  }

  return { tokenize };
});
