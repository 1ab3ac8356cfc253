/**
 * The names of every contract method and event, and nothing else: the Electron preload imports
 * this file alone (no zod) to allow-list its channels. `contract.ts` checks at compile time that
 * these lists and its schema maps name exactly the same things.
 */

export const METHOD_NAMES = [
  'app.info',
  'dialog.pick',
  'project.current',
  'project.new',
  'project.open',
  'project.save',
  'project.saveAs',
  'project.update',
  'project.recent',
  'project.recoverable',
  'project.recover',
  'project.discardRecovery',
  'assets.write',
  'assets.url',
  'prompts.tokenize',
  'models.list',
  'models.inspect',
  'models.add',
  'models.remove',
  'models.setProvider',
  'models.hub',
  'models.pull',
  'models.cancelPull',
  'renders.start',
  'renders.cancel',
  'renders.list',
  'renders.frames',
  'renders.variants',
  'exports.start',
  'exports.cancel',
  'farm.get',
  'farm.set',
  'farm.test',
  'shell.showItemInFolder',
  'audio.analyze',
] as const;

export const EVENT_NAMES = [
  'job.queued',
  'job.progress',
  'job.frame',
  'job.variant',
  'job.done',
  'job.error',
  'models.changed',
  'models.download',
  'app.command',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];
export type EventName = (typeof EVENT_NAMES)[number];

const methodSet: ReadonlySet<string> = new Set(METHOD_NAMES);
const eventSet: ReadonlySet<string> = new Set(EVENT_NAMES);

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && methodSet.has(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && eventSet.has(name);
}
