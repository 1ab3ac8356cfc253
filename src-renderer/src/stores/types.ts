import type { Project } from '../../../src-main/contract/contract';
export type Keyframe = Project['keyframes'][number];
export type Transition = Project['transitions'][number];

export type Selection =
  | { readonly kind: 'keyframe'; readonly index: number }
  | { readonly kind: 'transition'; readonly index: number }
  | { readonly kind: 'project' };
