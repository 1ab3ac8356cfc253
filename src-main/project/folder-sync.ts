/**
 * Folder fsyncs shared by the writes that need them. A render writes dozens of files into one
 * cache folder at once; each rename needs a folder fsync after it to be durable, but one fsync
 * that starts after several renames makes all of them durable. `sync(dir)` resolves once an
 * fsync of `dir` that started after the call has finished: it joins the one queued for `dir`
 * (not started yet) or queues the next behind the one running.
 */
export class FolderSyncs {
  private readonly folders = new Map<string, { queued?: Promise<void>; running?: Promise<void> }>();

  constructor(private readonly fsync: (dir: string) => Promise<void>) {}

  sync(dir: string): Promise<void> {
    let folder = this.folders.get(dir);
    if (!folder) {
      folder = {};
      this.folders.set(dir, folder);
    }
    if (folder.queued) return folder.queued;
    const state = folder;
    const queued = (async () => {
      // Behind the fsync already running: it may have started before this caller's rename.
      await state.running?.catch(() => undefined);
      state.queued = undefined;
      const running = this.fsync(dir);
      state.running = running;
      try {
        await running;
      } finally {
        if (state.running === running) state.running = undefined;
        if (!state.running && !state.queued) this.folders.delete(dir);
      }
    })();
    state.queued = queued;
    return queued;
  }
}
