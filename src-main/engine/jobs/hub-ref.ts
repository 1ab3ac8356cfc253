/** A Hub model repository and the revision (branch, tag or commit) to use. */
export interface HubRef {
  readonly repo: string;
  readonly revision: string;
}

export const DEFAULT_REVISION = 'main';

/** owner/name as the Hub allows it: letters, digits, '-', '_', '.', no '--' or '..' and no leading '.'/'-'. */
const REPO_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const REVISION = /^[A-Za-z0-9][A-Za-z0-9_./-]*$/;

export function isHubRepoId(repo: string): boolean {
  return REPO_ID.test(repo) && !repo.includes('--') && !repo.includes('..') && repo.length <= 96;
}

/** "owner/name" or "owner/name@revision" → HubRef; undefined when the text is not of that form. */
export function parseHubRef(text: string): HubRef | undefined {
  const at = text.indexOf('@');
  const repo = at < 0 ? text : text.slice(0, at);
  const revision = at < 0 ? DEFAULT_REVISION : text.slice(at + 1);
  if (!isHubRepoId(repo) || !REVISION.test(revision) || revision.includes('..')) return undefined;
  return { repo, revision };
}

export function formatHubRef(ref: HubRef): string {
  return ref.revision === DEFAULT_REVISION ? ref.repo : `${ref.repo}@${ref.revision}`;
}
