import { cancelledError } from '../../engine/errors';
import { discardLiveTempsSync } from '../../media/safe-output';

type StopSignal = 'SIGINT' | 'SIGTERM';
const EXIT_CODE: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * One Ctrl-C (and SIGTERM) policy for a whole command, installed before the command starts and
 * kept until the process exits, so there is no moment at which a signal kills the process with
 * its default action. The first signal cancels the command (its `signal` aborts: the engine job
 * stops between UNet calls, the export keeps the old target); a second quits at once, removing
 * any temporary output first. Once the command's result has been put in place (`commit()`) an
 * interrupt can no longer undo it and is ignored, so the exit status always matches the target.
 */
export class CommandInterrupt {
  private readonly controller = new AbortController();
  private received: StopSignal | null = null;
  private committed = false;
  private readonly handlers = new Map<StopSignal, () => void>();

  constructor(
    private readonly stderr: NodeJS.WritableStream = process.stderr,
    private readonly exit: (code: number) => never = (code) => process.exit(code),
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The exit status of a cancelled command: 130 after Ctrl-C, 143 after SIGTERM. */
  get exitCode(): number {
    return EXIT_CODE[this.received ?? 'SIGINT'];
  }

  install(): this {
    for (const name of ['SIGINT', 'SIGTERM'] as const) {
      const handler = (): void => this.receive(name);
      this.handlers.set(name, handler);
      process.on(name, handler);
    }
    return this;
  }

  uninstall(): void {
    for (const [name, handler] of this.handlers) process.off(name, handler);
    this.handlers.clear();
  }

  /** Handle one signal (what the process handlers call). */
  receive(name: StopSignal): void {
    if (this.committed) return;
    if (this.received === null) {
      this.received = name;
      this.stderr.write(name === 'SIGINT' ? '\ncancelling… (Ctrl-C again to quit at once)\n' : '\ncancelling (SIGTERM)…\n');
      this.controller.abort();
      return;
    }
    discardLiveTempsSync();
    this.exit(this.exitCode);
  }

  /**
   * Called synchronously at the last moment the command could still be cancelled (right before
   * the output is renamed into place). Returns false, and commits nothing, if it was cancelled.
   */
  commit(): boolean {
    if (this.controller.signal.aborted) return false;
    this.committed = true;
    return true;
  }

  /** Throw CANCELLED if an interrupt arrived (between phases of a command). */
  throwIfCancelled(what = 'The command'): void {
    if (this.controller.signal.aborted) throw cancelledError(what);
  }
}

let current: CommandInterrupt | null = null;

/** The interrupt of the running command (main installs it before dispatching). */
export function commandInterrupt(): CommandInterrupt {
  current ??= new CommandInterrupt();
  return current;
}
