import { AppError } from '../services/errors';
import type { Studio } from '../services/studio';
import type { MethodName, ParsedRequest, Response } from '../contract/contract';

export type Handler<M extends MethodName> = (request: ParsedRequest<M>) => Promise<Response<M>> | Response<M>;
export type Handlers = { [M in MethodName]: Handler<M> };

const ok = { ok: true as const };

/** Each contract method mapped to the service that does it; requests arrive validated. */
export function handlersFor(studio: Studio): Handlers {
  const { projects, models, renders, exports, media } = studio;
  return {
    'app.info': () => studio.info(),
    'dialog.pick': async (req) => {
      if (!studio.dialogs) {
        throw new AppError('UNSUPPORTED', 'File dialogs are not available in the browser.', { hint: 'Type the full path of the file on the host machine instead.' });
      }
      return { path: await studio.dialogs.pick(req) };
    },

    'project.current': () => ({ state: projects.state() }),
    'project.new': (req) => projects.create(req.prompts, req.name),
    'project.open': async (req) => {
      const state = await projects.open(req.path);
      renders.restoreFromCache();
      return state;
    },
    'project.save': () => projects.save(),
    'project.saveAs': async (req) => {
      const state = await projects.saveAs(req.path, req.overwrite);
      // The render cache moved (or was copied) next to the new file: show what it holds, so
      // the next reload finds the renders where they now are.
      renders.restoreFromCache();
      return state;
    },
    'project.update': (req) => projects.edit(req.base, req.changes),
    'project.recent': async () => ({ entries: await projects.recent() }),
    'project.recoverable': async () => ({ entries: await projects.recoverable() }),
    'project.recover': async (req) => {
      const state = await projects.recover(req.id);
      renders.restoreFromCache();
      return state;
    },
    'project.discardRecovery': async (req) => {
      await projects.discardRecovery(req.id);
      return ok;
    },

    'assets.write': async (req) => {
      const png = Buffer.from(req.pngBase64, 'base64');
      const { path, file } = await projects.writeAsset(req.kind, req.keyframeId, png);
      return { path, url: media.urlFor(file) };
    },
    'assets.url': (req) => ({ url: media.urlFor(projects.servableAsset(req.path)) }),

    'models.list': async () => ({ models: await models.list(), provider: await models.provider() }),
    'prompts.tokenize': (req) => studio.prompts.count(req.text),
    'models.inspect': (req) => models.inspect(req.ref, req.provider),
    'models.add': async (req) => ({ model: await models.add(req.path) }),
    'models.remove': async (req) => {
      await models.remove(req.path);
      return ok;
    },
    'models.setProvider': (req) => models.setProvider(req.provider),
    'models.hub': async () => models.hub(),
    'models.pull': async (req) => ({ downloadId: models.downloads.start(req.repo) }),
    'models.cancelPull': async (req) => ({ cancelled: models.downloads.cancel(req.downloadId) }),

    'renders.start': (req) => renders.start(req.scope, { confirmHuge: req.confirmHuge }),
    'renders.variants': (req) => renders.variants(req.index, req.seeds),
    'renders.cancel': (req) => ({ cancelled: renders.cancel(req.jobId) }),
    'renders.list': () => ({ jobs: studio.jobs.list() }),
    'renders.frames': async () => {
      await renders.measureSpacing();
      return renders.frames();
    },

    'exports.start': (req) => exports.start(req),
    'exports.cancel': (req) => ({ cancelled: exports.cancel(req.jobId) }),

    'farm.get': () => studio.farm.get(),
    'farm.set': (req) => studio.farm.set(req),
    'farm.test': async (req) => {
      const { url, redisVersion, workers } = await studio.farm.test(req.url);
      return { url, redisVersion, workers };
    },
    'shell.showItemInFolder': (req) => {
      const shell = studio.options.shell;
      if (!shell) throw new AppError('UNSUPPORTED', 'Showing a file in its folder needs the desktop app.', { hint: 'Use the Download link, or open the folder on the host machine.' });
      if (!exports.wrote(req.path)) throw new AppError('NOT_FOUND', `${req.path} is not a file this session exported.`, { hint: 'Export the movie first, then choose Show in folder.' });
      shell.showItemInFolder(req.path);
      return ok;
    },
    'audio.analyze': () => studio.audio.analyze(),
  };
}
