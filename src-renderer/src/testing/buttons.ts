/**
 * The button whose text is `text` under `root` (default the whole page), as a user finds it;
 * `selector` narrows where to look (`.actions button`). Throws, naming the text, when none is.
 */
export function buttonNamed(text: string, root: ParentNode = document.body, selector = 'button'): HTMLButtonElement {
  const found = [...root.querySelectorAll<HTMLButtonElement>(selector)].find((b) => b.textContent?.trim() === text);
  if (!found) throw new Error(`no button "${text}"`);
  return found;
}
