/**
 * A transition's quality preset also sets the project's step count N when `steps` is not
 * pinned (every keyframe is shared by two transitions, so the project has one N: the largest
 * preset's). Changing a preset can therefore re-render every keyframe and transition; the
 * inspector says so before the change, with the counts, and offers to keep N.
 */
import { effectiveSteps, type Project } from '../../../src-main/contract/contract';

export interface StepsChange {
  readonly from: number;
  readonly to: number;
}

type StepsSource = Parameters<typeof effectiveSteps>[0];

/** The step count before and after an edit, when the edit changes it. */
export function stepsChange(before: StepsSource, after: StepsSource): StepsChange | null {
  const from = effectiveSteps(before);
  const to = effectiveSteps(after);
  return from === to ? null : { from, to };
}

/** `project` with transition `index`'s mode replaced. */
export function withMode(project: Project, index: number, mode: Project['transitions'][number]['mode']): Project {
  return { ...project, transitions: project.transitions.map((t, i) => (i === index ? { ...t, mode } : t)) };
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What a step-count change throws away, in a creator's words; null when nothing is rendered. */
export function rerenderSummary(change: StepsChange, rendered: { stills: number; transitions: number }): string | null {
  const parts = [
    rendered.stills > 0 ? count(rendered.stills, 'keyframe still', 'keyframe stills') : null,
    rendered.transitions > 0 ? count(rendered.transitions, 'rendered transition', 'rendered transitions') : null,
  ].filter((p): p is string => p !== null);
  if (parts.length === 0) return null;
  return `Every keyframe then renders with ${change.to} steps instead of ${change.from}: ${parts.join(' and ')} will render again.`;
}
